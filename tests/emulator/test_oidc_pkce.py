"""The emulator's authorization-code grant with PKCE and a loopback redirect."""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.conftest import Setup


class _Stop(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _authorize(base: str, client_id: str, redirect_uri: str, challenge: str, state: str) -> str:
    query = urlencode({"response_type": "code", "client_id": client_id,
                       "redirect_uri": redirect_uri, "state": state,
                       "code_challenge_method": "S256", "code_challenge": challenge,
                       "scopes": "sso:account:access"})
    with pytest.raises(urllib.error.HTTPError) as redirected:
        urllib.request.build_opener(_Stop()).open(f"{base}/authorize?{query}", timeout=10)
    assert redirected.value.code == 302
    return str(redirected.value.headers["Location"])


def test_authorization_code_with_pkce(setup: Setup) -> None:
    oidc = boto3.client("sso-oidc", region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED))
    client = oidc.register_client(
        clientName="pkce-test", clientType="public",
        grantTypes=["authorization_code", "refresh_token"],
        redirectUris=["http://127.0.0.1/oauth/callback"],
        issuerUrl=setup.emulator.state.organization.start_url, scopes=["sso:account:access"])
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()
    challenge = challenge.rstrip("=")
    redirect_uri = "http://127.0.0.1:51234/oauth/callback"
    location = _authorize(setup.emulator.url, client["clientId"], redirect_uri, challenge, "s-1")
    assert location.startswith(redirect_uri + "?")
    answer = parse_qs(urlsplit(location).query)
    assert answer["state"] == ["s-1"]
    code = answer["code"][0]
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                          grantType="authorization_code", code=code, redirectUri=redirect_uri,
                          codeVerifier="wrong-verifier-" + "x" * 40)
    code = parse_qs(urlsplit(_authorize(setup.emulator.url, client["clientId"], redirect_uri,
                                        challenge, "s-2")).query)["code"][0]
    token = oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                              grantType="authorization_code", code=code,
                              redirectUri=redirect_uri, codeVerifier=verifier)
    assert token["accessToken"] and token["refreshToken"]
    with pytest.raises(oidc.exceptions.InvalidGrantException):  # a code works once
        oidc.create_token(clientId=client["clientId"], clientSecret=client["clientSecret"],
                          grantType="authorization_code", code=code, redirectUri=redirect_uri,
                          codeVerifier=verifier)


def test_unregistered_redirect_is_refused(setup: Setup) -> None:
    oidc = boto3.client("sso-oidc", region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED))
    client = oidc.register_client(clientName="t", clientType="public",
                                  grantTypes=["authorization_code"],
                                  redirectUris=["http://127.0.0.1/oauth/callback"])
    query = urlencode({"response_type": "code", "client_id": client["clientId"],
                       "redirect_uri": "https://evil.example/cb", "state": "x",
                       "code_challenge_method": "S256", "code_challenge": "abc"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{setup.emulator.url}/authorize?{query}", timeout=10)
    assert refused.value.code == 400
