"""An Identity Center access token kept alive over a long run of calls.

A discovery of thousands of accounts can outlast its access token (Identity Center's 20
requests/s make 1,000 accounts take a minute; some instances hand out tokens for less). The
token is renewed from the refresh token a margin before it expires, and at once when a call
is refused with it; the calls share one renewal, however many were refused together. Only a
refresh token that is refused (or absent) means signing in again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from switcher.auth.token_cache import EXPIRY_WINDOW, SsoInstance, SsoToken, utcnow
from switcher.clients import bearer_token
from switcher.errors import NotSignedInError

Renew = Callable[[SsoInstance, SsoToken], "SsoToken | None"]
"""A new token from the refresh token (saved where the AWS CLI reads it), or None."""

REFUSED_TOKEN = frozenset({"UnauthorizedException", "ExpiredTokenException"})
"""The error codes of a call refused because of its access token."""
ATTEMPTS = 3
"""Tries of one call, each after its token was refused and renewed."""


def renewal_margin(token: SsoToken, now: datetime) -> timedelta:
    """How long before expiry to renew: the AWS CLI's 15 minutes, or a quarter of the time
    the token had left when it came (a 3 s token is renewed with 0.75 s to go)."""
    return min(EXPIRY_WINDOW, max(token.expires_at - now, timedelta(0)) / 4)


class LiveToken:
    """`current()` before a call; `refused(token)` when the call was refused with it."""

    def __init__(self, instance: SsoInstance, token: SsoToken, renew: Renew | None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.instance = instance
        self._renew = renew
        self._clock = clock
        self._lock = threading.Lock()
        self._token = token
        self._margin = renewal_margin(token, clock())
        self._early_failed = ""
        """The access token whose early renewal failed: used until it is refused."""
        self.gone = False
        """Renewal was refused: every call from now on fails at once."""
        self.renewals = 0

    def _take(self, token: SsoToken) -> None:
        self._token = token
        self._margin = renewal_margin(token, self._clock())
        self.renewals += 1

    def _signed_out(self) -> NotSignedInError:
        return NotSignedInError(f"The sign-in to {self.instance.label} has expired and could "
                                "not be renewed; run `switcher login`")

    def current(self) -> str:
        """The access token to call with, renewed first when it is about to expire."""
        with self._lock:
            if self.gone:
                raise self._signed_out()
            token = self._token
            if (self._renew is not None and token.access_token != self._early_failed
                    and token.expires_at - self._clock() <= self._margin):
                renewed = self._renew(self.instance, token)
                if renewed is None:
                    self._early_failed = token.access_token  # it may still work a while
                else:
                    self._take(renewed)
            return self._token.access_token

    def refused(self, access_token: str) -> str:
        """A call was refused with `access_token`: the token to try it again with (renewed
        once, whichever refused call comes first), or NotSignedInError."""
        with self._lock:
            if self.gone:
                raise self._signed_out()
            if self._token.access_token != access_token:
                return self._token.access_token  # another call renewed it already
            renewed = self._renew(self.instance, self._token) if self._renew else None
            if renewed is None:
                self.gone = True
                raise self._signed_out()
            self._take(renewed)
            return renewed.access_token

    def call(self, operation: Callable[..., Any], **params: Any) -> Any:
        """`operation(accessToken=..., **params)` (a portal API call of a ClientFactory
        client), which sends the token that is current when it leaves the rate limiter's
        queue; tried again with a renewed token when refused with the one it sent (short
        tokens can expire in a long queue): up to ATTEMPTS tries."""
        from botocore.exceptions import ClientError

        sent = [self.current()]

        def now() -> str:
            sent[0] = self.current()
            return sent[0]

        attempt = 1
        reset = bearer_token.set(now)
        try:
            while True:
                try:
                    return operation(accessToken=sent[0], **params)
                except ClientError as error:
                    code = error.response.get("Error", {}).get("Code")
                    if code not in REFUSED_TOKEN or attempt >= ATTEMPTS:
                        raise
                sent[0], attempt = self.refused(sent[0]), attempt + 1
        finally:
            bearer_token.reset(reset)
