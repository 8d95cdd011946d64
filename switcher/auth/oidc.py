"""IAM Identity Center sign-in, with the AWS CLI's token cache.

Tokens live in the AWS CLI's cache (~/.aws/sso/cache/<sha1>.json: sha1 of the [sso-session] name,
or of the start URL for legacy profiles; same fields, 0600), so a login in switcher makes `aws`
work and the reverse. Client registrations are cached beside them under the AWS CLI's key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from switcher.clients import ClientFactory
from switcher.errors import NotSignedInError, SignInError
from switcher.store.atomic import write_private

log = logging.getLogger(__name__)

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EXPIRY_WINDOW = timedelta(minutes=15)  # the AWS CLI treats a token this close to expiry as gone
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEFAULT_SCOPES = ("sso:account:access",)
AUTHORIZATION_GRANTS = ("authorization_code", "refresh_token")
REDIRECT_URI = "http://127.0.0.1/oauth/callback"  # registered without a port, as the AWS CLI does
VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"


class LoopbackListener:
    """Waits on 127.0.0.1 (a free port) for the browser's redirect to /oauth/callback."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, HTTPServer

        self._answer: dict[str, str] | None = None
        self._done = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                split = urlsplit(self.path)
                if split.path != "/oauth/callback" or outer._done.is_set():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer._answer = dict(parse_qsl(split.query))
                body = (b"<!doctype html><title>switcher</title><h1>Signed in</h1>"
                        b"<p>You can close this window and return to switcher.</p>")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                outer._done.set()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> LoopbackListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str] | None:
        return self._answer if self._done.wait(timeout) else None


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _parse_time(value: str) -> datetime:
    """ISO 8601 as the AWS CLI writes it ("...Z") and as botocore's refresh writes it
    ("...UTC")."""
    text = value.strip()
    for suffix in ("UTC", "Z"):
        if text.endswith(suffix):
            text = text[: -len(suffix)] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _format_time(value: datetime) -> str:
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
        return self.expires_at - EXPIRY_WINDOW > (now or _utcnow())

    def can_refresh(self, now: datetime | None = None) -> bool:
        current = now or _utcnow()
        return bool(self.refresh_token and self.client_id and self.client_secret and
                    self.registration_expires_at and self.registration_expires_at > current)

    def to_cache(self) -> dict[str, str]:
        data = {"startUrl": self.start_url, "region": self.region,
                "accessToken": self.access_token, "expiresAt": _format_time(self.expires_at)}
        if self.client_id:
            data["clientId"] = self.client_id
            data["clientSecret"] = self.client_secret
        if self.registration_expires_at:
            data["registrationExpiresAt"] = _format_time(self.registration_expires_at)
        if self.refresh_token:
            data["refreshToken"] = self.refresh_token
        return data

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> SsoToken:
        registration = data.get("registrationExpiresAt")
        return cls(
            start_url=str(data.get("startUrl", "")), region=str(data.get("region", "")),
            access_token=str(data["accessToken"]), expires_at=_parse_time(str(data["expiresAt"])),
            refresh_token=str(data.get("refreshToken", "")),
            client_id=str(data.get("clientId", "")),
            client_secret=str(data.get("clientSecret", "")),
            registration_expires_at=_parse_time(str(registration)) if registration else None)


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

    def _read(self, key: str) -> dict[str, Any] | None:
        path = self.directory / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, RecursionError) as error:
            log.warning("ignoring unreadable SSO cache file %s: %s", path, error)
            return None
        return data if isinstance(data, dict) else None

    def load(self, instance: SsoInstance) -> SsoToken | None:
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
                                        _parse_time(str(data["expiresAt"])),
                                        tuple(data.get("grantTypes") or ()))
        except (KeyError, ValueError):
            return None
        if registration.expires_at - EXPIRY_WINDOW <= _utcnow():
            return None
        return registration

    def save_registration(self, instance: SsoInstance, registration: Registration) -> None:
        data: dict[str, Any] = {"clientId": registration.client_id,
                                "clientSecret": registration.client_secret,
                                "expiresAt": _format_time(registration.expires_at),
                                "scopes": list(instance.scopes)}
        if registration.grant_types:
            data["grantTypes"] = list(registration.grant_types)
        write_private(self.directory / f"{instance.registration_key}.json", json.dumps(data))


PromptCallback = Callable[[str, str], None]
"""Called with (user code, verification URL) when the user must approve a device code."""


class SignIn:
    """Signs in to Identity Center instances and keeps their tokens fresh."""

    def __init__(self, clients: ClientFactory, cache: TokenCache) -> None:
        self.clients = clients
        self.cache = cache

    def _oidc(self, instance: SsoInstance) -> Any:
        return self.clients.client("sso-oidc", instance.region, unsigned=True)

    def _register(self, instance: SsoInstance, authorization_code: bool = False) -> Registration:
        """A client registration for the flow, reused from the cache while it is valid."""
        cached = self.cache.load_registration(instance)
        if cached is not None and authorization_code == (
                "authorization_code" in cached.grant_types):
            return cached
        from botocore.exceptions import BotoCoreError, ClientError

        name = f"switcher-{instance.session_name or int(time.time())}"
        kwargs: dict[str, Any] = {"clientName": name, "clientType": "public"}
        if instance.scopes:
            kwargs["scopes"] = list(instance.scopes)
        if authorization_code:
            kwargs.update(grantTypes=list(AUTHORIZATION_GRANTS), redirectUris=[REDIRECT_URI],
                          issuerUrl=instance.start_url,
                          scopes=list(instance.scopes or DEFAULT_SCOPES))
        try:
            answer = self._oidc(instance).register_client(**kwargs)
        except (ClientError, BotoCoreError) as error:
            raise SignInError(f"Could not register with IAM Identity Center "
                              f"({instance.label}): {error}") from None
        registration = Registration(answer["clientId"], answer["clientSecret"],
                                    datetime.fromtimestamp(answer["clientSecretExpiresAt"],
                                                           tz=timezone.utc),
                                    AUTHORIZATION_GRANTS if authorization_code else ())
        self.cache.save_registration(instance, registration)
        return registration

    def login_with_browser(self, instance: SsoInstance, open_url: Callable[[str], None],
                           timeout: float = 600.0) -> SsoToken:
        """Authorization code with PKCE and a loopback redirect (the AWS CLI v2 default): the
        browser signs in, the portal redirects to 127.0.0.1 with a code, which is traded for a
        token together with the PKCE verifier."""
        from botocore.exceptions import BotoCoreError, ClientError

        registration = self._register(instance, authorization_code=True)
        oidc = self._oidc(instance)
        verifier = "".join(secrets.choice(VERIFIER_ALPHABET) for _ in range(64))
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        state = str(uuid.uuid4())
        with LoopbackListener() as listener:
            redirect_uri = f"http://127.0.0.1:{listener.port}/oauth/callback"
            query = urlencode({"response_type": "code", "client_id": registration.client_id,
                               "redirect_uri": redirect_uri, "state": state,
                               "code_challenge_method": "S256",
                               "scopes": " ".join(instance.scopes or DEFAULT_SCOPES),
                               "code_challenge": challenge})
            open_url(f"{oidc.meta.endpoint_url.rstrip('/')}/authorize?{query}")
            answer = listener.wait(timeout)
        if answer is None:
            raise SignInError(f"Sign-in to {instance.label} was not completed in the browser "
                              "in time; try again (or use --no-browser for a device code)")
        if answer.get("error"):
            raise SignInError(f"Sign-in to {instance.label} was refused: {answer['error']}")
        if answer.get("state") != state:
            raise SignInError("The sign-in answer did not match the request (state); "
                              "try again")
        try:
            token = oidc.create_token(
                clientId=registration.client_id, clientSecret=registration.client_secret,
                grantType="authorization_code", code=answer.get("code", ""),
                redirectUri=redirect_uri, codeVerifier=verifier)
        except (ClientError, BotoCoreError) as error:
            raise SignInError(f"Sign-in to {instance.label} failed: {error}") from None
        fresh = self._token_from(instance, registration, token)
        self.cache.save(instance, fresh)
        return fresh

    def login_with_device_code(self, instance: SsoInstance, prompt: PromptCallback,
                               timeout: float = 600.0,
                               sleep: Callable[[float], None] = time.sleep) -> SsoToken:
        """The device authorization flow: the user approves a code in a browser anywhere."""
        from botocore.exceptions import BotoCoreError, ClientError

        registration = self._register(instance)
        oidc = self._oidc(instance)
        try:
            device = oidc.start_device_authorization(
                clientId=registration.client_id, clientSecret=registration.client_secret,
                startUrl=instance.start_url)
        except (ClientError, BotoCoreError) as error:
            raise SignInError(f"Could not start sign-in to {instance.label}: {error}") from None
        prompt(device["userCode"], device.get("verificationUriComplete")
               or device["verificationUri"])
        interval = float(device.get("interval") or 5)
        deadline = time.monotonic() + min(timeout, float(device.get("expiresIn") or timeout))
        while time.monotonic() < deadline:
            try:
                answer = oidc.create_token(
                    clientId=registration.client_id, clientSecret=registration.client_secret,
                    grantType=DEVICE_GRANT, deviceCode=device["deviceCode"])
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code == "AuthorizationPendingException":
                    sleep(interval)
                    continue
                if code == "SlowDownException":
                    interval += 5
                    sleep(interval)
                    continue
                if code == "ExpiredTokenException":
                    break
                raise SignInError(f"Sign-in to {instance.label} failed: {code}") from None
            except BotoCoreError as error:
                raise SignInError(f"Sign-in to {instance.label} failed: {error}") from None
            token = self._token_from(instance, registration, answer)
            self.cache.save(instance, token)
            return token
        raise SignInError(f"Sign-in to {instance.label} was not approved in time; try again")

    def _token_from(self, instance: SsoInstance, registration: Registration,
                    answer: dict[str, Any]) -> SsoToken:
        return SsoToken(
            start_url=instance.start_url, region=instance.region,
            access_token=answer["accessToken"],
            expires_at=_utcnow() + timedelta(seconds=int(answer["expiresIn"])),
            refresh_token=answer.get("refreshToken", ""),
            client_id=registration.client_id, client_secret=registration.client_secret,
            registration_expires_at=registration.expires_at)

    def refresh(self, instance: SsoInstance, token: SsoToken) -> SsoToken | None:
        """A new access token from the refresh token, or None when that is not possible."""
        if not token.can_refresh():
            return None
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self._oidc(instance).create_token(
                clientId=token.client_id, clientSecret=token.client_secret,
                grantType="refresh_token", refreshToken=token.refresh_token)
        except (ClientError, BotoCoreError) as error:
            log.info("refreshing the token of %s failed: %s", instance.label, error)
            return None
        assert token.registration_expires_at is not None
        registration = Registration(token.client_id, token.client_secret,
                                    token.registration_expires_at)
        fresh = self._token_from(instance, registration, answer)
        self.cache.save(instance, fresh)
        return fresh

    def token(self, instance: SsoInstance) -> SsoToken:
        """A usable access token: cached, refreshed if needed, or NotSignedInError."""
        cached = self.cache.load(instance)
        if cached is not None and cached.usable():
            return cached
        if cached is not None:
            refreshed = self.refresh(instance, cached)
            if refreshed is not None:
                return refreshed
        raise NotSignedInError(f"Not signed in to {instance.label}; run `switcher login`")

    def expiry(self, instance: SsoInstance) -> datetime | None:
        cached = self.cache.load(instance)
        return cached.expires_at if cached else None

    def logout(self, instance: SsoInstance) -> bool:
        cached = self.cache.load(instance)
        if cached is None:
            return False
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.clients.client("sso", instance.region, unsigned=True).logout(
                accessToken=cached.access_token)
        except (ClientError, BotoCoreError) as error:
            log.info("server-side logout of %s failed: %s", instance.label, error)
        return self.cache.remove(instance)
