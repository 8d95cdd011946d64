"""The AWS CLI's SSO token cache: where a sign-in's token and client registration live.

Tokens live in ~/.aws/sso/cache/<sha1>.json (sha1 of the [sso-session] name, or of the start URL
for legacy profiles; same fields as the AWS CLI writes, 0600), so a login in switcher makes `aws`
work and the reverse. Client registrations are cached beside them under the AWS CLI's key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from switcher.store.atomic import write_private
from switcher.store.credential_cache import Fingerprint, fingerprint
from switcher.store.reading import TOKEN_LIMIT, read_regular

log = logging.getLogger(__name__)

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EXPIRY_WINDOW = timedelta(minutes=15)  # the AWS CLI treats a token this close to expiry as gone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def parse_time(value: str) -> datetime:
    """ISO 8601 as the AWS CLI writes it ("...Z") and as botocore's refresh writes it
    ("...UTC")."""
    text = value.strip()
    for suffix in ("UTC", "Z"):
        if text.endswith(suffix):
            text = text[: -len(suffix)] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # year 1 with a positive offset, year 9999 with a negative one
        raise ValueError(f"a time out of range: {value!r}") from None


def format_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


@dataclass(frozen=True)
class SsoInstance:
    """One IAM Identity Center sign-in: an [sso-session], or a legacy profile's start URL."""

    start_url: str
    region: str
    session_name: str = ""
    scopes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.session_name or self.start_url

    @property
    def cache_key(self) -> str:
        return hashlib.sha1((self.session_name or self.start_url).encode("utf-8")).hexdigest()

    @property
    def registration_key(self) -> str:
        args: dict[str, Any] = {"tool": "botocore", "startUrl": self.start_url,
                                "region": self.region, "scopes": list(self.scopes),
                                "session_name": self.session_name or None}
        return hashlib.sha1(json.dumps(args, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SsoToken:
    start_url: str
    region: str
    access_token: str
    expires_at: datetime
    refresh_token: str = ""
    client_id: str = ""
    client_secret: str = ""
    registration_expires_at: datetime | None = None

    def __repr__(self) -> str:  # never show the token itself
        return f"SsoToken(start_url={self.start_url!r}, expires_at={self.expires_at!r})"

    def usable(self, now: datetime | None = None) -> bool:
        # Compared this way round: year 1 minus the window would overflow.
        return self.expires_at > (now or utcnow()) + EXPIRY_WINDOW

    def can_refresh(self, now: datetime | None = None) -> bool:
        current = now or utcnow()
        return bool(self.refresh_token and self.client_id and self.client_secret and
                    self.registration_expires_at and self.registration_expires_at > current)

    def to_cache(self) -> dict[str, str]:
        data = {"startUrl": self.start_url, "region": self.region,
                "accessToken": self.access_token, "expiresAt": format_time(self.expires_at)}
        if self.client_id:
            data["clientId"] = self.client_id
            data["clientSecret"] = self.client_secret
        if self.registration_expires_at:
            data["registrationExpiresAt"] = format_time(self.registration_expires_at)
        if self.refresh_token:
            data["refreshToken"] = self.refresh_token
        return data

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> SsoToken:
        registration = data.get("registrationExpiresAt")
        return cls(
            start_url=str(data.get("startUrl", "")), region=str(data.get("region", "")),
            access_token=str(data["accessToken"]), expires_at=parse_time(str(data["expiresAt"])),
            refresh_token=str(data.get("refreshToken", "")),
            client_id=str(data.get("clientId", "")),
            client_secret=str(data.get("clientSecret", "")),
            registration_expires_at=parse_time(str(registration)) if registration else None)


@dataclass(frozen=True)
class Registration:
    client_id: str
    client_secret: str
    expires_at: datetime
    grant_types: tuple[str, ...] = ()


class TokenCache:
    """The AWS CLI's SSO cache folder. Files of other tools there are never touched."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.tokens_read: list[Fingerprint] = []
        """The token files this process read, as they were just before (for the warm
        credential cache: another sign-in there is another identity)."""

    def _read(self, key: str) -> dict[str, Any] | None:
        path = self.directory / f"{key}.json"
        try:
            data = json.loads(read_regular(path, TOKEN_LIMIT))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as error:
            log.warning("ignoring unreadable SSO cache file %s: %s", path, error)
            return None
        return data if isinstance(data, dict) else None

    def load(self, instance: SsoInstance) -> SsoToken | None:
        self.tokens_read += fingerprint([str(self.directory / f"{instance.cache_key}.json")])
        data = self._read(instance.cache_key)
        if data is None:
            return None
        try:
            token = SsoToken.from_cache(data)
        except (KeyError, ValueError):
            log.warning("ignoring SSO cache entry for %s: missing or bad fields", instance.label)
            return None
        if token.start_url and token.start_url.rstrip("/") != instance.start_url.rstrip("/"):
            return None  # same name, other start URL: not ours to use
        return token

    def save(self, instance: SsoInstance, token: SsoToken) -> None:
        path = self.directory / f"{instance.cache_key}.json"
        write_private(path, json.dumps(token.to_cache(), indent=2))

    def remove(self, instance: SsoInstance) -> bool:
        path = self.directory / f"{instance.cache_key}.json"
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def load_registration(self, instance: SsoInstance) -> Registration | None:
        data = self._read(instance.registration_key)
        if data is None:
            return None
        try:
            registration = Registration(str(data["clientId"]), str(data["clientSecret"]),
                                        parse_time(str(data["expiresAt"])),
                                        tuple(data.get("grantTypes") or ()))
        except (KeyError, ValueError):
            return None
        if registration.expires_at <= utcnow() + EXPIRY_WINDOW:
            return None
        return registration

    def save_registration(self, instance: SsoInstance, registration: Registration) -> None:
        data: dict[str, Any] = {"clientId": registration.client_id,
                                "clientSecret": registration.client_secret,
                                "expiresAt": format_time(registration.expires_at),
                                "scopes": list(instance.scopes)}
        if registration.grant_types:
            data["grantTypes"] = list(registration.grant_types)
        write_private(self.directory / f"{instance.registration_key}.json", json.dumps(data))
