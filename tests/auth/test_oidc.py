"""Device-code sign-in against the emulator, and the AWS CLI's token cache on disk."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import urllib.error
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
from tests.other_user import fetch_as_other_user, refused


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


def _callback(authorize_url: str) -> tuple[str, str]:
    """The loopback address and the state of an authorize address."""
    query = parse_qs(urlsplit(authorize_url).query)
    return query["redirect_uri"][0], query["state"][0]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_forged_callback_does_not_abort_the_sign_in(setup: Setup, tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    forged: list[int] = []

    def browser(url: str) -> None:
        redirect, _ = _callback(url)
        forged.append(_status(f"{redirect}?code=stolen&state=not-the-one"))
        forged.append(_status(f"{redirect}?code=stolen"))
        approve(url)  # then the user's own browser comes back with the right state

    token = signin.login_with_browser(_instance(setup), browser)
    assert forged == [400, 400]
    cached = signin.cache.load(_instance(setup))
    assert token.usable() and cached is not None and cached.access_token == token.access_token


def test_only_forged_callbacks_mean_the_sign_in_times_out(setup: Setup, tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))

    def forger(url: str) -> None:
        redirect, _ = _callback(url)
        assert _status(f"{redirect}?code=stolen&state=not-the-one") == 400

    with pytest.raises(SignInError, match="not completed in the browser in time"):
        signin.login_with_browser(_instance(setup), forger, timeout=0.5)
    assert signin.cache.load(_instance(setup)) is None


def test_a_silent_connection_does_not_stall_the_pkce_sign_in(setup: Setup,
                                                             tmp_path: Path) -> None:
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    silent: list[socket.socket] = []

    def browser(url: str) -> None:
        port = urlsplit(_callback(url)[0]).port
        assert port is not None
        silent.append(socket.create_connection(("127.0.0.1", port)))  # connects, says nothing
        approve(url)

    try:
        assert signin.login_with_browser(_instance(setup), browser).usable()
    finally:
        for connection in silent:
            connection.close()


def test_another_user_cannot_answer_the_pkce_sign_in(setup: Setup, tmp_path: Path) -> None:
    """The authorize address (state included) is on the browser's command line, so another
    local user can read it: neither a callback forged with the right state nor completing the
    authorize address themselves reaches the listener; the user's own browser still does."""
    signin = SignIn(ClientFactory(), TokenCache(tmp_path / "cache"))
    attacks: list[str] = []

    def browser(url: str) -> None:
        redirect, state = _callback(url)
        attacks.append(fetch_as_other_user(f"{redirect}?code=stolen&state={state}"))
        attacks.append(fetch_as_other_user(url, follow=True))
        approve(url)

    token = signin.login_with_browser(_instance(setup), browser)
    assert len(attacks) == 2 and all(refused(outcome) for outcome in attacks), attacks
    cached = signin.cache.load(_instance(setup))
    assert token.usable() and cached is not None and cached.access_token == token.access_token
