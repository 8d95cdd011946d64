"""boto3 clients for switcher: standard retries, endpoints from the normal settings, and one
shared rate limit for IAM Identity Center (20 requests a second is its collective quota).

boto3 is imported only when a client is first needed, so start-up stays fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from switcher.errors import ConfigError

IDENTITY_CENTER_REQUESTS_PER_SECOND = 20.0


class RateLimiter:
    """A token bucket that makes callers wait instead of failing: `rate` requests a second.
    Urgent callers (someone waiting at the keyboard) take the next token before background
    ones (a discovery listing thousands of roles)."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate / 4)
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._lock = threading.Lock()
        self._urgent_waiting = 0

    def acquire(self, urgent: bool = False) -> None:
        if urgent:
            with self._lock:
                self._urgent_waiting += 1
        try:
            while True:
                with self._lock:
                    now = time.monotonic()
                    self._tokens = min(self.capacity,
                                       self._tokens + (now - self._updated) * self.rate)
                    self._updated = now
                    if self._tokens >= 1 and (urgent or not self._urgent_waiting):
                        self._tokens -= 1
                        return
                    wait = max(1 - self._tokens, 0.2) / self.rate
                time.sleep(wait)
        finally:
            if urgent:
                with self._lock:
                    self._urgent_waiting -= 1


DEFAULT_MAX_ATTEMPTS = 9
BEARER_HEADER = "x-amz-sso_bearer_token"
bearer_token: ContextVar[Callable[[], str] | None] = ContextVar("bearer_token", default=None)
"""Set around an Identity Center portal call: what gives the access token to send, asked
once the rate limiter lets the request go (and again for each retry). A token chosen before
a wait in the limiter's queue may have expired by the end of it."""


def _attempts_from_environment() -> int:
    import os

    try:
        attempts = int(os.environ.get("AWS_MAX_ATTEMPTS", ""))
    except ValueError:
        return DEFAULT_MAX_ATTEMPTS
    return attempts if attempts > 0 else DEFAULT_MAX_ATTEMPTS


class Wanted:
    """The accounts someone is waiting for (a target named on the command line, a query typed
    in the app, Enter on a row whose roles are still being listed): a discovery lists their
    roles before the others', the latest wish first. Kept short: a query that matches
    everything says nothing about what to list first."""

    LIMIT = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._order: list[str] = []

    def want(self, account_ids: Iterable[str]) -> None:
        """Put these accounts first (in the order given), ahead of earlier wishes."""
        wished = list(dict.fromkeys(account_ids))[:self.LIMIT]
        if not wished:
            return
        with self._lock:
            chosen = set(wished)
            self._order = [*wished, *(a for a in self._order if a not in chosen)][:self.LIMIT]

    def first_of(self, waiting: Mapping[str, object]) -> str | None:
        """The most wanted of the accounts in `waiting`, or None when none is wanted."""
        with self._lock:
            return next((account_id for account_id in self._order if account_id in waiting),
                        None)


class ClientFactory:
    """Makes boto3 clients that share one botocore session and one Identity Center limiter."""

    def __init__(self, identity_center_rate: float = IDENTITY_CENTER_REQUESTS_PER_SECOND,
                 max_pool_connections: int = 32, read_timeout: float = 30.0,
                 max_attempts: int | None = None) -> None:
        """`max_attempts` counts every try of a call, the first included, as AWS_MAX_ATTEMPTS
        does (botocore's Config calls that total_max_attempts; its max_attempts counts only
        retries); by default AWS_MAX_ATTEMPTS when it is set, else 9."""
        self._read_timeout = read_timeout
        self._max_attempts = max_attempts or _attempts_from_environment()
        self.identity_center_limiter = RateLimiter(identity_center_rate)
        self.wanted = Wanted()
        self._urgent = threading.local()
        self.discoveries_stopped = 0
        """Counts `stop_discoveries` calls: a discovery stops when it changes."""
        self._max_pool_connections = max_pool_connections
        self._session: Any = None
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, bool], Any] = {}

    def _botocore_session(self) -> Any:
        if self._session is None:
            import botocore.session

            # Our clients get explicit credentials (or none); an AWS_PROFILE naming another
            # tool's profile must not make them fail, so the profile is not read from the
            # environment.
            self._session = botocore.session.Session(
                session_vars={"profile": (None, None, None, None)})
        return self._session

    def stop_discoveries(self) -> None:
        """The discoveries running now take no further account and fail (so nothing partial
        is cached): the process is ending, and a thread still listing roles would hold it
        until the last account (100 s at 2,000 accounts under 20 requests/s). Later
        discoveries are not affected."""
        self.discoveries_stopped += 1

    @contextmanager
    def urgent(self) -> Iterator[None]:
        """Identity Center requests made in this thread meanwhile take the limiter's next
        token before the background ones (someone is waiting for their answer)."""
        self._urgent.active = True
        try:
            yield
        finally:
            self._urgent.active = False

    def _limit(self, **_: object) -> None:
        self.identity_center_limiter.acquire(urgent=getattr(self._urgent, "active", False))

    def _limit_urgent(self, **_: object) -> None:
        self.identity_center_limiter.acquire(urgent=True)

    @staticmethod
    def _bearer_now(request: Any, **_: object) -> None:
        source = bearer_token.get()
        if source is not None:
            request.headers[BEARER_HEADER] = source()

    def client(self, service: str, region: str, unsigned: bool = False,
               credentials: Any = None) -> Any:
        """A client for `service` in `region`; unsigned for Identity Center's bearer-token APIs."""
        from botocore import UNSIGNED
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError

        key = (service, region, unsigned)
        with self._lock:
            if credentials is None and key in self._clients:
                return self._clients[key]
            config = Config(
                region_name=region,
                retries={"mode": "standard", "total_max_attempts": self._max_attempts},
                max_pool_connections=self._max_pool_connections,
                connect_timeout=10,
                read_timeout=self._read_timeout,
                signature_version=UNSIGNED if unsigned else None,
            )
            kwargs: dict[str, Any] = {"config": config}
            if credentials is not None:
                kwargs.update(aws_access_key_id=credentials.access_key_id,
                              aws_secret_access_key=credentials.secret_access_key,
                              aws_session_token=credentials.session_token or None)
            try:
                client = self._botocore_session().create_client(service, **kwargs)
            except (ValueError, BotoCoreError) as error:  # AWS_ENDPOINT_URL_*, AWS_STS_... etc.
                raise ConfigError(f"The AWS SDK's settings for {service} cannot be used "
                                  f"({type(error).__name__}: {error}); check the AWS_* "
                                  "variables and the [default] profile") from None
            if service == "sso":
                # Credentials are asked for by someone waiting; listings run in the background.
                client.meta.events.register("before-send.sso.GetRoleCredentials",
                                            self._limit_urgent)
                client.meta.events.register("before-send.sso.Logout", self._limit_urgent)
                client.meta.events.register("before-send.sso.ListAccounts", self._limit)
                client.meta.events.register("before-send.sso.ListAccountRoles", self._limit)
                for operation in ("GetRoleCredentials", "ListAccounts", "ListAccountRoles"):
                    client.meta.events.register(f"before-send.sso.{operation}",
                                                self._bearer_now)
            if credentials is None:
                self._clients[key] = client
            return client
