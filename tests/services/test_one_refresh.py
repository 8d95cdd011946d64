"""One refresh at a time: a second one asked while the first runs (another thread, another
workspace of the same process) joins it instead of running beside it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.state import Knobs
from switcher.model import SourceKind, Target
from switcher.services.inventory import Refresh
from switcher.workspace import Workspace
from tests.conftest import Setup, _setup

ACCOUNTS = 100


@pytest.fixture
def slow(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    yield from _setup(generated_organization(ACCOUNTS), Knobs(throttle=False, latency_ms=20),
                      isolated_home, monkeypatch)


def test_two_workspaces_refreshing_at_once_share_one_discovery(slow: Setup) -> None:
    first = slow.sign_in(slow.workspace(ClientFactory(identity_center_rate=50)))
    second = slow.workspace(ClientFactory(identity_center_rate=50))
    calls = slow.emulator.state.calls
    results: dict[str, Refresh] = {}
    streamed: dict[str, list[Target]] = {"first": [], "second": []}

    def run(name: str, workspace: Workspace) -> None:
        results[name] = workspace.refresh(on_targets=streamed[name].extend)

    leader = threading.Thread(target=run, args=("first", first))
    leader.start()
    deadline = time.monotonic() + 30
    while calls.get("sso.ListAccountRoles", 0) < ACCOUNTS // 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leader.is_alive()  # (the first discovery is under way)
    run("second", second)
    leader.join(timeout=60)

    assert calls["sso.ListAccountRoles"] == ACCOUNTS  # each account's roles listed once
    assert calls["sso.ListAccounts"] == 1
    assert results["second"].complete
    assert [t.key for t in results["second"].targets] == [t.key for t in results["first"].targets]
    # The joiner heard all that was found, before it came and after, each target once.
    for name in ("first", "second"):
        keys = [t.key for t in streamed[name]]
        assert len(keys) == len(set(keys))
        assert set(keys) == {t.key for t in results[name].targets
                             if any(w.kind is SourceKind.SSO for w in t.ways)}


def test_a_refresh_after_another_ended_discovers_again(signed_in: Workspace,
                                                      setup: Setup) -> None:
    signed_in.refresh()
    before = setup.emulator.state.calls["sso.ListAccounts"]
    signed_in.refresh()
    assert setup.emulator.state.calls["sso.ListAccounts"] == before + 1
