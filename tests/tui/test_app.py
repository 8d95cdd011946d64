"""The app driven by Pilot against the emulator: filter, select, console, shell, help."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from switcher.actions.browser import INTERNAL
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.confirm import ConfirmScreen
from switcher.tui.screens.help import HelpScreen
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.filter_input import FilterInput
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace
from tests.conftest import Setup


class RecordingShell:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, command: Sequence[str], environment: Mapping[str, str]) -> int:
        self.calls.append((list(command), dict(environment)))
        return 0


def _workspace(setup: Setup) -> Workspace:
    os.environ["SWITCHER_BROWSER"] = INTERNAL
    return setup.sign_in(setup.workspace())


async def until(pilot: Any, condition: Callable[[], object], tries: int = 100) -> None:
    """Let the app run until `condition` holds (or about `tries` x 50 ms have passed)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)


async def _wait_for_rows(app: SwitcherApp, pilot: object) -> TargetTable:
    """The list once the first discovery has finished (rows stream in before that)."""
    table = app.screen.query_one(TargetTable)
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    assert table.row_count
    return table


async def test_filter_then_enter_opens_the_console(setup: Setup) -> None:
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        everything = table.row_count
        await pilot.press(*"payments prod read")
        await pilot.pause()
        assert table.row_count == 1 < everything
        assert table.selected is not None
        assert table.selected.display_name == "payments-prod/ReadOnlyAccess"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # production: the guardrail asks first
        assert not setup.emulator.state.console_visits
        await pilot.press("y")
        await until(pilot, lambda: setup.emulator.state.console_visits)
        visit = setup.emulator.state.console_visits[-1]
        assert visit["account_name"] == "payments-prod"
        assert visit["role"].startswith("AWSReservedSSO_ReadOnlyAccess_")
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == everything


async def test_region_choice_applies_to_the_console(setup: Setup) -> None:
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        from switcher.tui.screens.regions import RegionScreen

        await pilot.press("f2")  # a region not in the list can be typed
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)
        await pilot.press(*"ap-nowhere", "enter")  # refused: not a region name
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)
        app.screen.query_one("#regions-filter", Input).value = ""
        await pilot.press(*"ap-northeast-1", "enter")
        await pilot.pause()
        assert screen.region_choice == "ap-northeast-1"
        assert "ap-northeast-1" in str(screen.query_one("#region", Static).render())
        await pilot.press(*"storefront-dev admin", "enter")
        await until(pilot, lambda: setup.emulator.state.console_visits)
        assert table.selected is not None
        assert setup.emulator.state.console_visits[-1]["region"] == "ap-northeast-1"


async def test_ctrl_s_starts_a_shell_with_the_targets_credentials(setup: Setup) -> None:
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"jane-playground power")
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)  # the filter keeps the focus
        assert not shell.calls
        await pilot.press("ctrl+s")
        await until(pilot, lambda: shell.calls)
        command, environment = shell.calls[0]
        assert command[0] == (os.environ.get("SHELL") or "/bin/sh")
        assert environment["SWITCHER_PROMPT_LABEL"] == "SANDBOX jane-playground/PowerUserAccess"
        assert environment["SWITCHER_TARGET"] == "jane-playground/PowerUserAccess"
        assert environment["SWITCHER_ACCOUNT_ID"] == setup.account_id("jane-playground")
        assert environment["AWS_ACCESS_KEY_ID"].startswith("ASIA")
        assert "AWS_PROFILE" not in environment


async def test_help_screen_and_refresh_and_hostile_names(setup: Setup) -> None:
    hostile = "[bold red]prod[/] \x1b[31mEVIL\x1b]0;title\x07"
    account = setup.emulator.state.organization.accounts[setup.account_id("jane-playground")]
    account.name = hostile
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(160, 40)) as pilot:
        table = await _wait_for_rows(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        cells = [table.row_text(i) for i in range(table.row_count)]
        shown = [c for c in cells if "[bold red]prod[/]" in c]
        assert shown and all("[bold red]prod[/] \\x1b[31m" in c and "\x1b" not in c
                             for c in shown)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "[bold red]prod[/]" in svg.replace("&#160;", " ")
        calls_before = setup.emulator.state.calls.get("sso.ListAccounts", 0)
        await pilot.press("ctrl+r")
        calls = setup.emulator.state.calls
        await until(pilot, lambda: calls.get("sso.ListAccounts", 0) > calls_before)
        assert setup.emulator.state.calls["sso.ListAccounts"] > calls_before


async def test_signed_out_user_is_told_and_can_sign_in(setup: Setup) -> None:
    workspace = setup.workspace()
    os.environ["SWITCHER_BROWSER"] = INTERNAL
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause(0.5)
        status = str(app.screen.query_one("#status").render())
        assert "signed out" in status
        table = app.screen.query_one(TargetTable)
        profiles_only = table.row_count
        await pilot.press("f6")
        await until(pilot, lambda: table.row_count > profiles_only, tries=200)
        assert table.row_count > 20 > profiles_only
        await pilot.pause(0.2)
        assert "signed in" in str(app.screen.query_one("#status").render())


async def test_mfa_is_asked_in_a_dialog_once(setup: Setup) -> None:
    from switcher.emulator.organization import IAM_USER_MFA_SEED
    from switcher.emulator.totp import totp
    from switcher.tui.screens.mfa import MfaScreen

    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"breakglass", "enter")
        await until(pilot, lambda: isinstance(app.screen, MfaScreen))
        assert isinstance(app.screen, MfaScreen)
        await pilot.press(*"12a", "enter")  # not six digits: the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, MfaScreen)
        await pilot.press("backspace", "backspace", "backspace", *totp(IAM_USER_MFA_SEED),
                          "enter")
        await until(pilot, lambda: setup.emulator.state.console_visits)
        assert setup.emulator.state.console_visits[-1]["role"] == "BreakGlass"
        await pilot.press("enter")  # the session is cached: no second dialog
        await until(pilot, lambda: len(setup.emulator.state.console_visits) == 2)
        assert len(setup.emulator.state.console_visits) == 2
        assert not isinstance(app.screen, MfaScreen)


async def test_cancelled_mfa_is_a_notice_not_a_crash(setup: Setup) -> None:
    from switcher.tui.screens.mfa import MfaScreen

    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"breakglass", "enter")
        await until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
        assert any("No MFA code was given" in str(n.message) for n in app._notifications)
        assert not setup.emulator.state.console_visits


async def test_destination_picker_and_copy_url(setup: Setup, clipboard_tool: Path) -> None:
    import urllib.request
    from pathlib import Path

    from switcher.tui.screens.destinations import DestinationScreen

    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    dev = setup.account_id("payments-dev")
    (folder / "config.toml").write_text(
        f'# mine\n[targets."{dev}/ReadOnlyAccess"]\ndestinations = ["cloudwatch", "s3"]\n')
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"payments-dev read", "ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, DestinationScreen)
        await pilot.press("enter")  # the first favourite: cloudwatch
        await until(pilot, lambda: setup.emulator.state.console_visits)
        assert setup.emulator.state.console_visits[-1]["service"] == "cloudwatch"
        await pilot.press("ctrl+l")
        await until(pilot, clipboard_tool.exists)
        copied = clipboard_tool.read_text()
        assert copied.startswith(os.environ["SWITCHER_FEDERATION_ENDPOINT"])
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        assert "payments-dev" in opener.open(copied, timeout=10).read().decode()
        await until(pilot, lambda: any("Copied" in n.message for n in app._notifications))


async def test_choosing_the_way_in(setup: Setup) -> None:
    from pathlib import Path

    from switcher.tui.screens.ways import WayScreen

    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    dev = setup.account_id("storefront-dev")
    (folder / "config.toml").write_text(  # a second way in that cannot work: no such IAM role
        f'[[switch_roles]]\naccount = "{dev}"\nrole = "PowerUserAccess"\n'
        'display_name = "dev power (manual)"\nsource_profile = "jane-iam"\n')
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"storefront-dev power", "f4")
        await pilot.pause()
        assert isinstance(app.screen, WayScreen)
        await pilot.press("down", "enter")  # the switch-role way
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(100):
            if any("switch-role:dev power (manual)" in str(n.message)
                   for n in app._notifications if n.severity == "error"):
                break
            await pilot.pause(0.05)
        assert not shell.calls  # AssumeRole of a role that does not exist failed
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+home", "enter")  # back to Identity Center, the first way
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: shell.calls)
        assert shell.calls[0][1]["SWITCHER_ACCOUNT_ID"] == dev


async def test_favourites_and_recents_order_the_list(setup: Setup) -> None:
    workspace = _workspace(setup)
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        await pilot.press(*"storefront-sandbox read", "f3")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert table.shown[0].display_name == "storefront-sandbox/ReadOnlyAccess"
        await pilot.press(*"payments-dev power", "enter")  # used: rises to second
        await until(pilot, lambda: setup.emulator.state.console_visits)
        await pilot.press("escape")
        await pilot.pause()
        names = [t.display_name for t in table.shown[:2]]
        assert names == ["storefront-sandbox/ReadOnlyAccess", "payments-dev/PowerUserAccess"]
    again = SwitcherApp(workspace.__class__(dict(os.environ)), RecordingShell())
    async with again.run_test(size=(120, 32)) as pilot:  # remembered across runs
        table = await _wait_for_rows(again, pilot)
        assert table.shown[0].display_name == "storefront-sandbox/ReadOnlyAccess"
        from switcher.tui.screens.regions import RegionScreen

        await pilot.press("f2")
        await pilot.pause()
        picker = again.screen
        assert isinstance(picker, RegionScreen)
        assert picker.values[1] == "us-east-1"  # the region used last comes first


async def test_command_palette_reaches_the_actions(setup: Setup) -> None:
    from switcher.tui.screens.help import HelpScreen

    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"show the keys")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HelpScreen)


async def test_grouping_by_environment_and_back(setup: Setup) -> None:
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _wait_for_rows(app, pilot)
        flat = [t.key for t in table.shown]
        await pilot.press("f5")  # environment
        await pilot.pause()
        headings = [row for row in table._rows if isinstance(row, str)]
        assert any(h.startswith("▾ Production") for h in headings)
        assert sorted(t.key for t in table.shown) == sorted(flat)
        environments = [t.environment for t in table.shown]
        assert environments == sorted(environments, key=environments.index)  # contiguous
        assert table.selected is not None  # the cursor never stands on a heading
        await pilot.press("up", "down", "down")
        assert table.selected is not None
        for _ in range(4):  # ou, source, account, flat
            await pilot.press("f5")
        await pilot.pause()
        assert table.group_by == "flat" and [t.key for t in table.shown] == flat


async def test_marked_targets_open_several_consoles_and_shells(setup: Setup) -> None:
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        await pilot.press(*"storefront read", "ctrl+t", "ctrl+t")
        await pilot.pause()
        assert len(table.marked) == 2 and "✓" in table.row_text(0)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # storefront-prod is production: the guardrail asks for it
        await until(pilot, lambda: len(setup.emulator.state.console_visits) == 2)
        assert {v["account_name"] for v in setup.emulator.state.console_visits} == {
            "storefront-dev", "storefront-prod"}
        assert not table.marked
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+s")
        await pilot.pause()
        if app.screen.__class__.__name__ == "ConfirmScreen":
            await pilot.press("y")
        await until(pilot, lambda: len(shell.calls) == 2)
        assert len(shell.calls) == 2
        assert shell.calls[0][1]["SWITCHER_TARGET"] != shell.calls[1][1]["SWITCHER_TARGET"]


async def test_copy_credentials_as_exports(setup: Setup, clipboard_tool: Path) -> None:
    import subprocess
    import sys

    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"payments-dev read", "ctrl+y")
        await until(pilot, clipboard_tool.exists)
        copied = clipboard_tool.read_text()
        assert copied.startswith("unset AWS_PROFILE")
        check = ("import boto3; print(boto3.client('sts').get_caller_identity()['Account'])")
        shown = subprocess.run(["sh", "-c", copied + f"\n{sys.executable} -c \"{check}\""],
                               capture_output=True, text=True, timeout=60, check=True).stdout
        assert shown.strip() == setup.account_id("payments-dev")


async def test_region_key_and_the_mouse(setup: Setup) -> None:
    from switcher.tui.screens.regions import RegionScreen

    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.click("#region")  # a click opens the region list, as F2 does
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, RegionScreen)
        await pilot.press("down", "enter")  # the first region after the target's own
        await pilot.pause()
        assert main.region_choice == "us-east-1"
        await pilot.click(TargetTable, offset=(20, 3))  # a click selects the fourth row
        await pilot.pause()
        assert table.cursor_row == 3
        chosen = table.selected
        assert chosen is not None
        await pilot.click(TargetTable, offset=(20, 3), times=2)  # a double click opens it
        for _ in range(100):
            if app.screen.__class__.__name__ == "ConfirmScreen":
                await pilot.press("y")
            if setup.emulator.state.console_visits:
                break
            await pilot.pause(0.05)
        visit = setup.emulator.state.console_visits[-1]
        assert visit["account_id"] == chosen.account_id and visit["region"] == "us-east-1"
