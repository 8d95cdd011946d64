"""With no cache, every account shows as soon as it is listed; roles stream in after."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import PENDING_ROLE
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace
from tests.conftest import approve


async def test_accounts_first_then_roles(isolated_home: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    organization = generated_organization(300)
    with Emulator(organization, Knobs(throttle=False, latency_ms=40)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        workspace = Workspace(dict(os.environ), ClientFactory(identity_center_rate=10_000))
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: approve(url), approve)
        app = SwitcherApp(workspace)
        async with app.run_test(size=(120, 32)) as pilot:
            table = app.screen.query_one(TargetTable)
            saw_pending_with_every_account = False
            for _ in range(400):
                roles = [t.role_name for t in table.targets]
                accounts = {t.account_id for t in table.targets}
                if PENDING_ROLE in roles and len(accounts) >= 300:
                    saw_pending_with_every_account = True
                if roles and PENDING_ROLE not in roles and len(roles) >= 900:
                    break
                await pilot.pause(0.05)
            assert saw_pending_with_every_account
            assert len([t for t in table.targets if t.ways]) >= 900
            assert PENDING_ROLE not in [t.role_name for t in table.targets]
