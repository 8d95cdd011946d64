"""A discovery that outlasts its access token: the token is renewed from the refresh token
(before it expires, and when a call is refused with it), and only a refused refresh token
means signing in again."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.state import Knobs
from switcher.model import SourceKind
from tests.conftest import Setup, _setup

TOKEN_SECONDS = 3
ACCOUNTS = 120
RATE = 30.0
"""Requests a second: 120 accounts' roles take about 4 s, longer than a 3 s token."""


@pytest.fixture
def short_tokens(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    yield from _setup(generated_organization(ACCOUNTS),
                      Knobs(throttle=False, token_ttl=TOKEN_SECONDS, latency_ms=20),
                      isolated_home, monkeypatch)


def _sso_pairs(setup: Setup) -> set[tuple[str, str]]:
    organization = setup.emulator.state.organization
    return {(a.account_id, p) for a in organization.account_list() if a.permission_sets
            for p in a.permission_sets}


def _calls(setup: Setup, operation: str) -> int:
    return setup.emulator.state.calls.get(operation, 0)


def test_a_discovery_longer_than_the_token_finishes(short_tokens: Setup) -> None:
    workspace = short_tokens.sign_in(short_tokens.workspace(ClientFactory(
        identity_center_rate=RATE)))
    instance = workspace.instances()[0]
    signed_in_with = workspace.signin.cache.load(instance)
    assert signed_in_with is not None
    exchanges = _calls(short_tokens, "sso-oidc.CreateToken")
    sign_ins = _calls(short_tokens, "sso-oidc.StartDeviceAuthorization")

    started = time.monotonic()
    refresh = workspace.refresh()
    elapsed = time.monotonic() - started

    assert elapsed > TOKEN_SECONDS  # (the discovery did outlast the token)
    assert refresh.complete and not refresh.not_signed_in and not refresh.failed_accounts
    found = {(t.account_id, t.role_name) for t in refresh.targets
             if any(w.kind is SourceKind.SSO for w in t.ways)}
    assert found == _sso_pairs(short_tokens)
    renewals = _calls(short_tokens, "sso-oidc.CreateToken") - exchanges
    assert renewals >= 1
    # Renewed once per token's life, not once per worker refused: each lasts 3 s, renewed
    # with a quarter of it left.
    assert renewals <= elapsed / (TOKEN_SECONDS * 0.75) + 2
    assert _calls(short_tokens, "sso-oidc.StartDeviceAuthorization") == sign_ins
    # Written back to the cache the AWS CLI reads, in its format.
    renewed = workspace.signin.cache.load(instance)
    assert renewed is not None and renewed.access_token != signed_in_with.access_token
    assert renewed.refresh_token and renewed.expires_at > signed_in_with.expires_at
    written = json.loads((workspace.signin.cache.directory
                          / f"{instance.cache_key}.json").read_text())
    assert {"startUrl", "region", "accessToken", "expiresAt", "refreshToken", "clientId",
            "clientSecret", "registrationExpiresAt"} <= set(written)


def test_list_refresh_outlasting_the_token_lists_everything(short_tokens: Setup) -> None:
    """The finding: 9 of 601 targets and "not signed in … run `switcher login`", while the
    refresh token was valid."""
    short_tokens.sign_in(short_tokens.workspace())
    listed = subprocess.run([sys.executable, "-m", "switcher", "list", "--refresh", "--json"],
                            capture_output=True, text=True, timeout=180, check=False)

    assert listed.returncode == 0, listed.stderr
    assert "login" not in listed.stderr and "signed in" not in listed.stderr
    rows = json.loads(listed.stdout)
    found = {(row["account_id"], row["role"]) for row in rows
             if any(way["kind"] == SourceKind.SSO.value for way in row["ways"])}
    assert found == _sso_pairs(short_tokens)


def test_a_token_refused_mid_discovery_is_renewed_and_the_call_tried_again(
        setup: Setup) -> None:
    """The token cache says the token is good for hours; the server stops taking it while
    the roles are listed (revoked, or the clocks disagree)."""
    workspace = setup.sign_in(setup.workspace())
    setup.emulator.knobs.latency_ms = 300
    for token in setup.emulator.state.tokens.values():
        token.expires_at = time.time() + 0.45  # valid for ListAccounts, gone for the roles
    exchanges = _calls(setup, "sso-oidc.CreateToken")

    refresh = workspace.refresh()

    assert refresh.complete and not refresh.not_signed_in and not refresh.failed_accounts
    assert {(t.account_id, t.role_name) for t in refresh.targets
            if any(w.kind is SourceKind.SSO for w in t.ways)} == _sso_pairs(setup)
    assert _calls(setup, "sso-oidc.CreateToken") - exchanges == 1  # one renewal for all


def test_a_refused_refresh_token_is_one_sign_in_not_many_failures(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    setup.emulator.knobs.latency_ms = 300
    for token in setup.emulator.state.tokens.values():
        token.expires_at = time.time() + 0.45
    setup.emulator.state.refresh_tokens.clear()  # the refresh token is refused too
    exchanges = _calls(setup, "sso-oidc.CreateToken")

    refresh = workspace.refresh()

    assert refresh.not_signed_in == ["emulator"]
    assert not refresh.failed_accounts and not refresh.complete
    assert _calls(setup, "sso-oidc.CreateToken") - exchanges == 1  # tried once, not per call


def test_credentials_asked_with_a_refused_token_renew_it(setup: Setup) -> None:
    """`exec` and the app's console: GetRoleCredentials refused with a token the cache
    calls good is tried again with a renewed one, not reported as a refusal."""
    workspace = setup.sign_in(setup.workspace())
    target = next(t for t in workspace.refresh().targets if t.way.kind is SourceKind.SSO)
    for token in setup.emulator.state.tokens.values():
        token.revoked = True
    exchanges = _calls(setup, "sso-oidc.CreateToken")

    credentials = workspace.credentials(target)

    issued = setup.emulator.state.credentials[credentials.access_key_id]
    assert issued.account_id == target.account_id and issued.kind == "sso"
    assert _calls(setup, "sso-oidc.CreateToken") - exchanges == 1


@pytest.fixture
def one_second_tokens(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    yield from _setup(generated_organization(80), Knobs(throttle=False, token_ttl=1),
                      isolated_home, monkeypatch)


def test_a_token_is_taken_when_the_call_leaves_the_rate_limiters_queue(
        one_second_tokens: Setup) -> None:
    """At 20 requests/s, 16 workers wait up to 0.8 s for their turn: a token chosen before
    that wait was gone at the end of it, and so was its renewal at the end of the next."""
    workspace = one_second_tokens.sign_in(one_second_tokens.workspace())

    refresh = workspace.refresh()

    assert refresh.complete and not refresh.not_signed_in
    assert {(t.account_id, t.role_name) for t in refresh.targets
            if any(w.kind is SourceKind.SSO for w in t.ways)} == _sso_pairs(one_second_tokens)
