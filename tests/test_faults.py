"""The fault matrix: the emulator's knobs break things the way AWS and networks do; switcher
keeps working, says what happened, keeps the last good inventory, and recovers by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from switcher.actions.browser import INTERNAL
from switcher.clients import ClientFactory
from switcher.store.inventory import FORMAT_VERSION
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace
from tests.conftest import Setup


def test_connection_resets_are_retried(signed_in: Workspace, setup: Setup) -> None:
    setup.emulator.knobs.reset_rate = 0.2
    for _ in range(5):  # a refresh is ~15 calls: at 0.2 one may pass untouched (3.5%)
        refresh = signed_in.refresh()
        assert refresh.complete
        if setup.emulator.state.resets:
            break
    assert setup.emulator.state.resets > 0


# Enough attempts for a short burst of failures, few enough that a lasting fault gives up
# without seconds of back-off.
FEW_ATTEMPTS = 3


def test_pagination_failing_half_way(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace(ClientFactory(max_attempts=FEW_ATTEMPTS)))
    from switcher.sources import sso

    sso.PAGE_SIZE = 5  # several pages for the seeded organisation
    try:
        setup.emulator.knobs.failing_pages = FEW_ATTEMPTS - 1  # retried within the call
        assert workspace.refresh().complete
        cached = workspace.inventory_cache.path.read_bytes()
        setup.emulator.knobs.failing_pages = 10_000  # page 2 keeps failing
        broken = workspace.refresh()
        assert not broken.complete and broken.failed_sources == ["sso:emulator"]
        assert any("the last known ones are kept" in w for w in broken.warnings)
        assert workspace.inventory_cache.path.read_bytes() == cached
        setup.emulator.knobs.failing_pages = 0  # the fault clears: the next refresh is whole
        assert workspace.refresh().complete
    finally:
        sso.PAGE_SIZE = 100


def test_app_keeps_the_last_good_inventory_and_stays_responsive(setup: Setup) -> None:
    import asyncio

    os.environ["SWITCHER_BROWSER"] = INTERNAL
    workspace = setup.sign_in(setup.workspace())
    known = len(workspace.refresh().targets)
    setup.emulator.knobs.error_rate = 1.0  # every API call fails from now on
    setup.emulator.knobs.federation_latency_ms = 4000  # and sign-in is slow

    async def drive() -> None:
        app = SwitcherApp(Workspace(dict(os.environ), ClientFactory(max_attempts=FEW_ATTEMPTS)))
        async with app.run_test(size=(120, 32)) as pilot:
            table = app.screen.query_one(TargetTable)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert table.row_count == known  # the failed refresh took nothing away
            setup.emulator.knobs.error_rate = 0.0
            await pilot.press(*"payments-dev read", "enter")
            await pilot.press("escape", *"sto")  # typing while it signs in
            await pilot.pause()
            assert not setup.emulator.state.console_visits  # the sign-in is still under way
            assert table.shown and table.shown[0].account_name.startswith("storefront")
            for _ in range(200):
                if setup.emulator.state.console_visits:
                    break
                await pilot.pause(0.05)
            assert setup.emulator.state.console_visits[-1]["account_name"] == "payments-dev"

    asyncio.run(drive())


def test_two_processes_refreshing_and_writing_at_once(signed_in: Workspace) -> None:
    signed_in.targets()
    command = [sys.executable, "-m", "switcher"]
    processes = [subprocess.Popen([*command, "list", "--refresh", "--json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
    processes += [subprocess.Popen([*command, "destinations", "payments-dev/ReadOnlyAccess",
                                    "--add", page], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE) for page in ("s3", "ec2", "iam")]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    cache = Path(os.environ["SWITCHER_CACHE_DIR"]) / "inventory.json"
    assert json.loads(cache.read_text())["version"] == FORMAT_VERSION
    assert Workspace(dict(os.environ)).cached_inventory() is not None
    import tomlkit

    settings = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
    saved = tomlkit.parse(settings.read_text())["targets"]
    assert len(next(iter(saved.values()))["destinations"]) >= 1  # valid TOML, last writer won
    leftovers = [p for p in cache.parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


def test_timeouts_are_reported_not_hung_on(setup: Setup) -> None:
    from switcher.actions.console import ConsoleEndpoints, signin_url
    from switcher.errors import ConsoleError

    workspace = setup.sign_in(setup.workspace(ClientFactory(read_timeout=0.5, max_attempts=2)))
    good = workspace.refresh()
    assert good.complete
    setup.emulator.knobs.latency_ms = 1500  # every API call now outlasts the read timeout
    slow = workspace.refresh()
    assert not slow.complete and slow.failed_sources == ["sso:emulator"]
    assert any("ReadTimeoutError" in w for w in slow.warnings)
    assert workspace.inventory_cache.load() is not None  # the last good inventory is kept
    setup.emulator.knobs.latency_ms = 0
    setup.emulator.knobs.federation_latency_ms = 3000
    target, _ = workspace.resolve("payments-dev/ReadOnlyAccess")
    credentials = workspace.credentials(target)
    try:
        signin_url(credentials, "us-east-1", ConsoleEndpoints.from_environment(os.environ),
                   timeout=0.5)
    except ConsoleError as error:
        assert "Could not reach the federation endpoint" in str(error)
    else:
        raise AssertionError("a federation endpoint slower than the timeout must fail")
