"""Device-code sign-in against the emulator, and the AWS CLI's token cache on disk."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import botocore.session
import pytest
from botocore.utils import JSONFileCache, SSOTokenLoader

from switcher.auth.oidc import SignIn
from switcher.auth.token_cache import SsoInstance, SsoToken, TokenCache
from switcher.clients import ClientFactory
from switcher.errors import NotSignedInError, SignInError
from tests.conftest import Setup, approve


def _instance(setup: Setup) -> SsoInstance:
    organization = setup.emulator.state.organization
    return SsoInstance(organization.start_url, organization.sso_region, "emulator",
                       ("sso:account:access",))


def test_device_code_login_writes_the_aws_cli_cache(setup: Setup, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "cache")
    other = tmp_path / "cache" / "0123456789abcdef0123456789abcdef01234567.json"
    other.parent.mkdir(parents=True)
    foreign = b'{"startUrl": "https://ide.example", "accessToken": "x", "expiresAt": "bad"}\n'
    other.write_bytes(foreign)
    prompts: list[tuple[str, str]] = []

    def prompt(code: str, url: str) -> None:
        prompts.append((code, url))
        approve(url)

    token = SignIn(ClientFactory(), cache).login_with_device_code(_instance(setup), prompt)
    path = tmp_path / "cache" / f"{hashlib.sha1(b'emulator').hexdigest()}.json"
    data = json.loads(path.read_text())
    assert set(data) == {"startUrl", "region", "accessToken", "expiresAt", "clientId",
                         "clientSecret", "registrationExpiresAt", "refreshToken"}
    assert data["accessToken"] == token.access_token
    assert data["expiresAt"].endswith("Z")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert prompts and prompts[0][0] in prompts[0][1]
    assert other.read_bytes() == foreign  # another tool's token file is left alone
    # botocore's own loader (what `aws` uses) accepts the file switcher wrote
    loaded = SSOTokenLoader(cache=JSONFileCache(str(tmp_path / "cache")))
    assert loaded(_instance(setup).start_url, session_name="emulator")["accessToken"] == (
        token.access_token)


def test_a_token_written_by_botocore_is_used_by_switcher(setup: Setup, tmp_path: Path) -> None:
    """The reverse direction: botocore's refresh path writes the cache, switcher reads it."""
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    instance = _instance(setup)
    first = signin.login_with_device_code(instance, lambda _c, url: approve(url))
    # Make the cached token look nearly expired, then let botocore refresh it in place.
    path = tmp_path / "cache" / f"{instance.cache_key}.json"
    data = json.loads(path.read_text())
    data["expiresAt"] = (datetime.now(timezone.utc) + timedelta(minutes=5)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    path.write_text(json.dumps(data))
    config = tmp_path / "config"
    config.write_text(f"[sso-session emulator]\nsso_start_url = {instance.start_url}\n"
                      f"sso_region = {instance.region}\n[profile p]\nsso_session = emulator\n")
    os.environ["AWS_CONFIG_FILE"] = str(config)
    from botocore.tokens import SSOTokenProvider

    session = botocore.session.Session(profile="p")
    provider = SSOTokenProvider(session, cache=JSONFileCache(str(tmp_path / "cache")))
    refreshed = provider.load_token().get_frozen_token().token
    assert refreshed != first.access_token
    assert json.loads(path.read_text())["accessToken"] == refreshed
    assert signin.token(instance).access_token == refreshed


def test_expired_token_is_refreshed_then_reported(setup: Setup, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "cache")
    signin = SignIn(ClientFactory(), cache)
    instance = _instance(setup)
    first = signin.login_with_device_code(instance, lambda _c, url: approve(url))
    stale = SsoToken(first.start_url, first.region, first.access_token,
                     datetime.now(timezone.utc) - timedelta(minutes=1), first.refresh_token,
                     first.client_id, first.client_secret, first.registration_expires_at)
    cache.save(instance, stale)
    fresh = signin.token(instance)
    assert fresh.access_token != first.access_token and fresh.usable()
    cache.save(instance, SsoToken(first.start_url, first.region, "gone",
                                  datetime.now(timezone.utc) - timedelta(minutes=1)))
    with pytest.raises(NotSignedInError, match="switcher login"):
        signin.token(instance)


def test_registration_is_reused(setup: Setup, tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    instance = _instance(setup)
    first = signin.login_with_device_code(instance, lambda _c, url: approve(url))
    second = signin.login_with_device_code(instance, lambda _c, url: approve(url))
    assert first.client_id == second.client_id
    assert setup.emulator.state.calls["sso-oidc.RegisterClient"] == 1


def test_pkce_login_through_the_loopback_redirect(setup: Setup, tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    opened: list[str] = []

    def browser(url: str) -> None:
        opened.append(url)
        approve(url)  # follows the authorize page's redirect to our loopback listener

    token = signin.login_with_browser(_instance(setup), browser)
    assert token.usable() and token.refresh_token
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert "code_verifier" not in opened[0]
    client = setup.emulator.state.clients[token.client_id]
    assert "authorization_code" in client.grant_types


def test_pkce_refuses_an_answer_with_the_wrong_state(setup: Setup, tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))

    def forged(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        urllib.request.urlopen(f"{redirect}?code=stolen&state=not-the-one", timeout=5).read()

    with pytest.raises(SignInError, match="did not match"):
        signin.login_with_browser(_instance(setup), forged)
    assert signin.cache.load(_instance(setup)) is None
