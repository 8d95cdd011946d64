"""IAM Identity Center as a source: the instances named in the AWS config, and every account
and role a signed-in user is assigned, listed concurrently under the shared rate limit."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from switcher.auth.live_token import REFUSED_TOKEN, LiveToken
from switcher.auth.token_cache import SsoInstance, SsoToken
from switcher.clients import ClientFactory
from switcher.errors import NotSignedInError, SwitcherError
from switcher.model import Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig
from switcher.text import clean_name

log = logging.getLogger(__name__)

PAGE_SIZE = 100
ROLE_WORKERS = 16


def sso_instances(config: AwsConfig) -> list[SsoInstance]:
    """Every [sso-session] and every distinct legacy `sso_start_url` profile."""
    found: dict[str, SsoInstance] = {}
    for name, values in config.sso_sessions.items():
        if values.get("sso_start_url") and values.get("sso_region"):
            scopes = tuple(s.strip() for s in values.get("sso_registration_scopes", "").split(",")
                           if s.strip())
            found[f"session:{name}"] = SsoInstance(values["sso_start_url"], values["sso_region"],
                                                   name, scopes)
    for values in config.profiles.values():
        if values.get("sso_session") or not values.get("sso_start_url"):
            continue
        key = f"url:{values['sso_start_url']}"
        if key not in found and values.get("sso_region"):
            found[key] = SsoInstance(values["sso_start_url"], values["sso_region"])
    return list(found.values())


@dataclass
class Discovery:
    """What one Identity Center instance gave: its targets and the accounts whose roles failed."""

    instance: SsoInstance
    targets: list[Target] = field(default_factory=list)
    failed_accounts: dict[str, str] = field(default_factory=dict)
    account_count: int = 0


AccountsCallback = Callable[[list[Account]], None]
TargetsCallback = Callable[[list[Target]], None]
"""Called with the targets found since the last call, while roles are still being listed."""
STREAM_INTERVAL = 0.25


def _error_text(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or error)
    return str(error)


def discover(instance: SsoInstance, token: SsoToken | LiveToken, clients: ClientFactory,
             on_accounts: AccountsCallback | None = None,
             workers: int = ROLE_WORKERS,
             on_targets: TargetsCallback | None = None,
             only: Callable[[Account], bool] | None = None) -> Discovery:
    """List every account, then every account's roles (those `clients.wanted` names first);
    one failing account fails alone. With `only`, the roles of the accounts it picks alone
    (a targeted discovery: a part of the instance, never to be taken for all of it). A
    LiveToken is renewed as the discovery goes (a plain token is used until refused)."""
    live = token if isinstance(token, LiveToken) else LiveToken(instance, token, None)
    sso = clients.client("sso", instance.region, unsigned=True)
    accounts: list[Account] = []
    for page in _pages(sso.list_accounts, live):
        accounts.extend(Account(a["accountId"], clean_name(a.get("accountName", "")),
                                clean_name(a.get("emailAddress", "")))
                        for a in page["accountList"])
    if on_accounts is not None:
        on_accounts(accounts)
    way = Way(SourceKind.SSO, sso_session=instance.session_name, start_url=instance.start_url,
              sso_region=instance.region)
    discovery = Discovery(instance, account_count=len(accounts))
    listed = accounts if only is None else [a for a in accounts if only(a)]
    _list_roles(discovery, listed, live, sso, way, workers, on_targets, clients)
    if live.gone or any(reason in REFUSED_TOKEN for reason in discovery.failed_accounts.values()):
        # The sign-in ended during the refresh and could not be renewed: one sign-in is the
        # remedy, not a list of failed accounts.
        raise NotSignedInError(f"The sign-in to {instance.label} expired during the refresh; "
                               "run `switcher login`")
    return discovery


def _pages(call: Callable[..., Any], live: LiveToken, **params: Any) -> Iterator[Any]:
    """Each page of a listing, every request with the live token (botocore's paginators
    take one token for them all)."""
    next_token = ""
    while True:
        page = live.call(call, maxResults=PAGE_SIZE, **params,
                         **({"nextToken": next_token} if next_token else {}))
        yield page
        next_token = page.get("nextToken") or ""
        if not next_token:
            return


def _list_roles(discovery: Discovery, accounts: list[Account], live: LiveToken, sso: Any,
                way: Way, workers: int, on_targets: TargetsCallback | None = None,
                clients: ClientFactory | None = None) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    def roles_of(account: Account) -> tuple[Account, list[str] | Exception]:
        try:
            names = [role["roleName"]
                     for page in _pages(sso.list_account_roles, live,
                                        accountId=account.account_id)
                     for role in page["roleList"]]
        except (ClientError, BotoCoreError, NotSignedInError) as error:
            return account, error
        return account, names

    batch: list[Target] = []
    sent = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sso-roles") as pool:
        for (account, result), wanted in in_wanted_order(pool, roles_of, accounts, workers,
                                                         clients):
            if isinstance(result, Exception):
                discovery.failed_accounts[account.account_id] = _error_text(result)
                # Said once, by whoever shows the refresh (the CLI's report, the app's notice).
                log.info("listing roles of %s failed: %s", account.account_id,
                         _error_text(result))
                continue
            found = [Target(account, role, (way,)) for role in result]
            discovery.targets.extend(found)
            batch.extend(found)
            # Someone waits for a wanted account's roles: they go out at once.
            if on_targets is not None and (wanted or
                                           time.monotonic() - sent >= STREAM_INTERVAL):
                on_targets(batch)
                batch, sent = [], time.monotonic()
    if on_targets is not None and batch:
        on_targets(batch)
    position = {account.account_id: index for index, account in enumerate(accounts)}
    discovery.targets.sort(key=lambda target: position[target.account_id])  # listing order


class DiscoveryStoppedError(SwitcherError):
    """`ClientFactory.stop_discoveries` was called while roles were being listed."""


Listed = TypeVar("Listed")


def in_wanted_order(pool: Executor, list_one: Callable[[Account], Listed],
                    accounts: list[Account], workers: int, clients: ClientFactory | None
                    ) -> Iterator[tuple[Listed, bool]]:
    """`list_one(account)` for every account, `workers` at a time in `pool`, each result as
    it comes
    with whether its account was wanted. Each worker takes the most wanted account still
    waiting (`clients.wanted`, read at every take, so a wish made while the discovery runs
    moves those accounts to the front), else the next in order; a wanted account's requests
    take the limiter's next token. The caller sorts: results come in completion order."""
    waiting = {account.account_id: account for account in accounts}
    order = deque(waiting)
    generation = clients.discoveries_stopped if clients is not None else 0
    lock = threading.Lock()
    results: queue.Queue[tuple[Listed, bool] | BaseException] = queue.Queue()

    def take() -> tuple[Account, bool] | None:
        if clients is not None and clients.discoveries_stopped != generation:
            raise DiscoveryStoppedError("the discovery was stopped: the program is ending")
        with lock:
            wanted = clients.wanted.first_of(waiting) if clients is not None else None
            if wanted is not None:
                return waiting.pop(wanted), True
            while order:
                account = waiting.pop(order.popleft(), None)
                if account is not None:
                    return account, False
            return None

    def work() -> None:
        while True:
            try:
                taken = take()
            except DiscoveryStoppedError as error:
                results.put(error)
                return
            if taken is None:
                return
            account, wanted = taken
            try:
                if wanted and clients is not None:
                    with clients.urgent():
                        result = list_one(account)
                else:
                    result = list_one(account)
            except BaseException as error:  # handed to the caller, which raises it
                results.put(error)
                return
            results.put((result, wanted))

    for _ in range(min(workers, len(accounts))):
        pool.submit(work)
    try:
        for _ in range(len(accounts)):
            outcome = results.get()
            if isinstance(outcome, BaseException):
                raise outcome
            yield outcome
    finally:
        with lock:  # an error (or a caller that stopped early): the rest is not listed
            waiting.clear()
            order.clear()
