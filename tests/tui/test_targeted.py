"""No cache, discovery under way at 20 requests/s: what the user types has its accounts'
roles listed first, and Enter on an account still listing its roles opens the console as
soon as they are known."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher.actions.browser import INTERNAL
from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.state import Knobs
from switcher.sources import sso
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import PENDING_ROLE
from switcher.tui.widgets.target_table import TargetTable
from tests.conftest import Setup, _setup
from tests.tui.test_app import RecordingShell, until

ACCOUNTS = 400


@pytest.fixture
def throttled(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """400 accounts behind Identity Center's 20 requests/s: all their roles take 20 s."""
    monkeypatch.setenv("SWITCHER_BROWSER", INTERNAL)
    yield from _setup(generated_organization(ACCOUNTS), Knobs(latency_ms=5), isolated_home,
                      monkeypatch)


def _app(setup: Setup) -> SwitcherApp:
    workspace = setup.sign_in(setup.workspace(ClientFactory()))  # our own 20 requests/s
    assert workspace.cached_inventory() is None
    return SwitcherApp(workspace, RecordingShell())


async def test_typing_an_account_name_lists_its_roles_first_and_enter_opens_it(
        throttled: Setup) -> None:
    name = "team-0099-sandbox"  # the last account a discovery would list
    account_id = throttled.account_id(name)
    state = throttled.emulator.state
    app = _app(throttled)
    async with app.run_test(size=(120, 32)) as pilot:
        table = app.screen.query_one(TargetTable)
        await pilot.press(*name)
        typed = len(state.role_listings)
        await until(pilot, lambda: any(t.account_id == account_id and t.ways
                                       for t in table.shown), tries=200)
        assert table.selected is not None and table.selected.account_id == account_id
        await pilot.press("enter")
        await until(pilot, lambda: state.console_visits, tries=200)
        assert state.console_visits[-1]["account_name"] == name
        listed = list(state.role_listings)
        assert len(listed) < ACCOUNTS / 2  # the discovery is far from over
        # Without the query it would come last; with it, after the requests in flight.
        assert listed.index(account_id) <= typed + sso.ROLE_WORKERS + 2, (
            listed.index(account_id), typed)
        assert os.environ["SWITCHER_BROWSER"] == INTERNAL


async def test_enter_on_an_account_still_listing_roles_opens_the_console_once_known(
        throttled: Setup) -> None:
    state = throttled.emulator.state
    app = _app(throttled)
    async with app.run_test(size=(120, 32)) as pilot:
        table = app.screen.query_one(TargetTable)
        await until(pilot, lambda: len({t.account_id for t in table.targets}) >= ACCOUNTS,
                    tries=200)
        await pilot.press("ctrl+end")
        waiting = table.selected
        assert waiting is not None and waiting.role_name == PENDING_ROLE
        assert waiting.account_id not in state.role_listings
        await pilot.press("enter")
        await until(pilot, lambda: state.console_visits, tries=200)
        visit = state.console_visits[-1]
        assert visit["account_name"] == waiting.account_name
        assert len(state.role_listings) < ACCOUNTS / 2
        assert table.selected is not None and table.selected.account_id == waiting.account_id
        assert table.selected.ways


async def test_quitting_during_a_discovery_stops_it_and_caches_nothing(
        throttled: Setup) -> None:
    state = throttled.emulator.state
    app = _app(throttled)
    async with app.run_test(size=(120, 32)) as pilot:
        table = app.screen.query_one(TargetTable)
        await until(pilot, lambda: len({t.account_id for t in table.targets}) >= ACCOUNTS,
                    tries=200)
        app.exit()
    for _ in range(100):  # the threads listing roles end with the requests in flight
        if not any(t.name.startswith("sso-roles") for t in threading.enumerate()):
            break
        time.sleep(0.05)
    assert not any(t.name.startswith("sso-roles") for t in threading.enumerate())
    assert len(state.role_listings) < ACCOUNTS / 2
    cache = Path(throttled.environment["SWITCHER_CACHE_DIR"])
    assert not (cache / "inventory.json").exists()
    assert not (cache / "inventory-merged.json").exists()
