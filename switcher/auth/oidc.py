"""IAM Identity Center sign-in: the device code and PKCE flows, refresh and logout.

Tokens are kept in the AWS CLI's cache (switcher.auth.token_cache). SsoInstance, SsoToken,
Registration and TokenCache are re-exported here for the modules that import them from here.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import string
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from switcher.auth.token_cache import Registration, SsoInstance, SsoToken, TokenCache, utcnow
from switcher.clients import ClientFactory
from switcher.errors import NotSignedInError, SignInError

if TYPE_CHECKING:
    from switcher.auth.live_token import LiveToken

__all__ = ["PromptCallback", "Registration", "SignIn", "SsoInstance", "SsoToken", "TokenCache"]

log = logging.getLogger(__name__)

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEFAULT_SCOPES = ("sso:account:access",)
AUTHORIZATION_GRANTS = ("authorization_code", "refresh_token")
REDIRECT_URI = "http://127.0.0.1/oauth/callback"  # registered without a port, as the AWS CLI does
VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"


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
        token together with the PKCE verifier. Only an answer carrying our `state` counts."""
        from botocore.exceptions import BotoCoreError, ClientError

        registration = self._register(instance, authorization_code=True)
        oidc = self._oidc(instance)
        verifier = "".join(secrets.choice(VERIFIER_ALPHABET) for _ in range(64))
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        state = str(uuid.uuid4())
        from switcher.auth.loopback import LoopbackListener

        with LoopbackListener(state) as listener:
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
            expires_at=utcnow() + timedelta(seconds=int(answer["expiresIn"])),
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
        if not fresh.refresh_token:  # not rotated: the one we have stays good
            fresh = replace(fresh, refresh_token=token.refresh_token)
        self.cache.save(instance, fresh)
        return fresh

    def renew(self, instance: SsoInstance, token: SsoToken) -> SsoToken | None:
        """A token to replace `token`: the one another process (the AWS CLI, another
        switcher) put in the cache meanwhile, else a new one from the refresh token."""
        cached = self.cache.load(instance)
        if (cached is not None and cached.access_token != token.access_token
                and cached.expires_at > token.expires_at):
            return cached
        return self.refresh(instance, cached or token)

    def live(self, instance: SsoInstance) -> LiveToken:
        """The access token for a long run of calls (a discovery), renewed as it goes."""
        from switcher.auth.live_token import LiveToken

        return LiveToken(instance, self.token(instance), self.renew)

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

    def has_session(self, instance: SsoInstance) -> bool:
        """Whether the cache holds a token that is valid or can be refreshed (no network: a
        refresh token the server has revoked still counts)."""
        cached = self.cache.load(instance)
        return cached is not None and (cached.usable() or cached.can_refresh())

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
