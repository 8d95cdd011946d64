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


async def test_a_production_account_is_guarded_while_its_roles_stream_in(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows shown before the discovery ends are classified as the final list is: a name
    rule's production account says ▲ PROD, and Enter on it asks first."""
    from switcher.actions.browser import INTERNAL
    from switcher.model import Environment
    from switcher.tui.screens.confirm import ConfirmScreen
    from tests.tui.test_app import until

    organization = generated_organization(300)  # 20 requests/s: about 15 s of roles
    with Emulator(organization, Knobs(latency_ms=20)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SWITCHER_BROWSER", INTERNAL)
        workspace = Workspace(dict(os.environ))
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: approve(url), approve)
        app = SwitcherApp(workspace)
        async with app.run_test(size=(120, 32)) as pilot:
            table = app.screen.query_one(TargetTable)
            await until(pilot, lambda: len(table.targets) >= 300, tries=200)
            await pilot.press(*"team-0070-prod")

            def streamed() -> list[object]:
                return [t for t in table.shown if t.account_name == "team-0070-prod" and t.ways]

            await until(pilot, streamed, tries=200)
            assert streamed(), "the typed account's roles were not listed first"
            assert PENDING_ROLE in [t.role_name for t in table.targets]  # still discovering
            assert {t.environment for t in table.shown
                    if t.account_name == "team-0070-prod" and t.ways} == {Environment.PRODUCTION}
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), tries=40)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.press("ctrl+q")


async def test_any_row_acted_on_before_the_discovery_ends_asks_first(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Organizations tags and OUs, and switch-role settings, are merged in only when the
    discovery ends, and any of them can make an account production: until then Enter on a
    row that looks like development asks too, and says why."""
    from switcher.actions.browser import INTERNAL
    from switcher.model import Environment
    from switcher.tui.screens.confirm import ConfirmScreen
    from tests.tui.test_app import until

    organization = generated_organization(300)
    with Emulator(organization, Knobs(latency_ms=20)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SWITCHER_BROWSER", INTERNAL)
        account = next(a for a, found in organization.accounts.items()
                       if found.name == "team-0017-dev")
        from switcher import paths

        settings = paths.config_dir() / "config.toml"
        settings.parent.mkdir(parents=True, exist_ok=True)
        # Merged when the discovery ends: it makes the whole account production.
        settings.write_text(f'[[switch_roles]]\naccount = "{account}"\nrole = "Deployer"\n'
                            'source_profile = "none"\nenvironment = "production"\n')
        workspace = Workspace(dict(os.environ))
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: approve(url), approve)
        app = SwitcherApp(workspace)
        async with app.run_test(size=(120, 32)) as pilot:
            table = app.screen.query_one(TargetTable)
            await until(pilot, lambda: len(table.targets) >= 300, tries=200)
            await pilot.press(*"team-0017-dev")

            def streamed() -> list[object]:
                return [t for t in table.shown if t.account_name == "team-0017-dev" and t.ways]

            await until(pilot, streamed, tries=200)
            assert PENDING_ROLE in [t.role_name for t in table.targets]  # still discovering
            assert Environment.PRODUCTION not in {t.environment for t in table.shown
                                                  if t.account_name == "team-0017-dev"
                                                  and "Deployer" not in t.role_name}
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), tries=40)
            assert isinstance(app.screen, ConfirmScreen)
            said = " ".join(str(label.render()) for label in app.screen.query("Label"))
            assert "not final" in said
            await pilot.press("n")
            await pilot.press("ctrl+q")
