"""Refreshes in the app: one at a time (Ctrl+R during a discovery joins it), and a partial
one shows the last known targets of what failed, marked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs
from switcher.model import SourceKind
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.status import StatusBar
from switcher.tui.widgets.target_table import LAST_KNOWN, TargetTable
from switcher.workspace import Workspace
from tests.conftest import Setup, approve
from tests.tui.test_app import until

ACCOUNTS = 300


def _discovering(app: SwitcherApp) -> bool:
    return any(w.name == "Discovery" and not w.is_finished for w in app.workers)


async def test_ctrl_r_during_a_discovery_joins_it(isolated_home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    organization = generated_organization(ACCOUNTS)
    with Emulator(organization, Knobs(throttle=False, latency_ms=40)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        workspace = Workspace(dict(os.environ), ClientFactory(identity_center_rate=40))
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: approve(url), approve)
        calls = emulator.state.calls
        app = SwitcherApp(workspace)
        async with app.run_test(size=(120, 32)) as pilot:
            table = app.screen.query_one(TargetTable)
            await until(pilot, lambda: any(t.ways for t in table.targets), tries=200)
            assert _discovering(app)  # (roles are streaming in: the first discovery runs)
            await pilot.press("ctrl+r")
            samples = duplicated = 0
            while _discovering(app) and samples < 1200:
                keys = [t.key for t in table.targets]
                samples += 1
                duplicated += len(keys) != len(set(keys))
                if samples == 10:
                    await pilot.press("ctrl+r")
                await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = list(table.targets)
        assert samples > 10  # (sampled while it ran, across both presses)
        assert duplicated == 0
        # One discovery's worth of requests: each account's roles listed once.
        assert calls["sso.ListAccountRoles"] == ACCOUNTS
        assert calls["sso.ListAccounts"] == -(-ACCOUNTS // 100)
        keys = [t.key for t in shown]
        assert len(keys) == len(set(keys))
        expected = {(a.account_id, p) for a in organization.account_list()
                    for p in a.permission_sets}
        assert {(t.account_id, t.role_name) for t in shown
                if any(w.kind is SourceKind.SSO for w in t.ways)} == expected
        again = Workspace(dict(os.environ), ClientFactory(identity_center_rate=10_000))
        assert len(shown) == len(again.targets(refresh=True))


async def test_a_partial_refresh_marks_the_last_known_rows(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace(ClientFactory(max_attempts=2)))
    full = workspace.refresh()
    failing = setup.account_id("storefront-prod")
    setup.emulator.knobs.failing_accounts = [failing]
    app = SwitcherApp(workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.screen.query_one(TargetTable)
        await until(pilot, lambda: setup.emulator.state.role_listings.get(failing, 0) >= 2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = {table.shown[i].key: table.row_text(i) for i in range(table.row_count)}
        status = app.screen.query_one(StatusBar).extra

    assert set(rows) == {t.key for t in full.targets}
    marked = {key for key, text in rows.items() if LAST_KNOWN in text}
    only_sso = {t.key for t in full.targets if t.account_id == failing
                and all(w.kind is SourceKind.SSO for w in t.ways)}
    assert only_sso and marked == only_sso
    assert "last known" in status
