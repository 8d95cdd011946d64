"""When temporary credentials are due for renewal: the one rule for the resolver's memory,
the keyring's copies, the warm cache between processes, and so for the credential endpoint
and credential-process, which serve what those hold.

botocore refreshes credentials 15 minutes before they expire (advisory; 10 minutes:
mandatory) and, inside that window, asks its provider again on every call. Credentials we
hand over must be outside it, or every SDK call comes back to us (the credential endpoint,
credential-process) for the same credentials. So credentials are renewed a minute before
the SDK's window. Credentials too short-lived for that to leave a quarter of their life
(STS's 15-minute minimum, the emulator's 60 seconds) are ones the SDK considers due whatever
we do: those are renewed with a quarter of their lifetime left (and never handed out with
less than two seconds left).

No imports beyond the standard library's datetime: the warm path reads this."""

from __future__ import annotations

from datetime import datetime

SDK_ADVISORY_WINDOW = 15 * 60
"""Seconds before expiry at which botocore starts refreshing (10 minutes: it must)."""
SLACK = 60
"""Beyond the window: clocks that differ, and the time the SDK's own call takes."""
RENEW_BEFORE = SDK_ADVISORY_WINDOW + SLACK
MIN_LEFT = 2.0
"""Seconds credentials have left, at least, when handed out: their expiry goes out in whole
seconds (up to one lost) and the call that uses them needs the rest."""
ASSUMED_LIFETIME = 3600.0
"""Credentials kept before their issue time was recorded: the usual session length."""


def renewal_margin(lifetime: float) -> float:
    """Seconds before expiry at which credentials of `lifetime` seconds are renewed."""
    lifetime = max(lifetime, 0.0)
    if lifetime - RENEW_BEFORE >= lifetime / 4:
        return float(RENEW_BEFORE)
    return max(lifetime / 4, MIN_LEFT)


def due(issued: float | None, expires: float, now: float) -> bool:
    """Whether credentials obtained at `issued` (epoch seconds; None: not known) and
    expiring at `expires` are to be renewed at `now` rather than handed out."""
    lifetime = ASSUMED_LIFETIME if issued is None else expires - issued
    return now >= expires - renewal_margin(lifetime)


def due_at(issued: datetime | None, expiration: datetime, now: datetime) -> bool:
    """`due` for datetimes (timezone-aware)."""
    return due(None if issued is None else issued.timestamp(), expiration.timestamp(),
               now.timestamp())
