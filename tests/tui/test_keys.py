"""Keys, driven by Pilot against the emulator: typing always filters, the cursor, the action
menu, the footer, and `[keys]` in config.toml."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from textual.keys import key_to_character
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from switcher.tui.app import SwitcherApp
from switcher.tui.screens.actions import ActionMenu
from switcher.tui.screens.help import HelpScreen, help_rows
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.filter_input import FilterInput
from switcher.tui.widgets.target_table import TargetTable
from tests.conftest import Setup
from tests.tui.test_app import RecordingShell, _wait_for_rows, _workspace, until


def _config(text: str) -> Path:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)
    return folder / "config.toml"


async def test_every_printable_key_filters_from_the_first_frame(setup: Setup) -> None:
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        assert isinstance(app.focused, FilterInput)  # before anything is listed
        await pilot.press(*"sandbox")
        await until(pilot, lambda: app.screen.query_one(TargetTable).row_count)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.query_one(FilterInput).value == "sandbox"
        table = await _wait_for_rows(app, pilot)
        assert {t.environment.value for t in table.shown} == {"sandbox"}
        typed = string.ascii_letters + string.digits + string.punctuation + " "
        main.query_one(FilterInput).value = ""
        await pilot.press(*typed)
        await pilot.pause()
        assert main.query_one(FilterInput).value == typed
        assert app.screen is main and not shell.calls
        assert not setup.emulator.state.console_visits
        assert not [n.message for n in app._notifications]  # nothing was started
        # Nothing on this screen answers a printable key: the filter takes them all.
        for key in main.active_bindings:
            character = key if len(key) == 1 else key_to_character(key)
            assert character is None or not character.isprintable(), key


async def test_the_cursor_is_on_the_best_match_and_moves_while_typing(setup: Setup) -> None:
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        table = await _wait_for_rows(app, pilot)
        assert table.cursor_row == 0
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press(*"payments")
        await pilot.pause()
        assert table.cursor_row == 0 and table.selected == table.shown[0]
        await pilot.press("down", "pagedown", "up")
        assert isinstance(app.focused, FilterInput) and table.cursor_row > 1
        await pilot.press("ctrl+end")
        assert table.selected == table.shown[-1]
        await pilot.press("ctrl+home")
        assert table.cursor_row == 0
        await pilot.press("down", *"-dev")
        await pilot.pause()
        assert table.cursor_row == 0  # a filter change: back to the best match
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(FilterInput).value == "" and table.cursor_row == 0
        await pilot.click(TargetTable, offset=(20, 3))  # the mouse moves the cursor...
        await pilot.press(*"acme")
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)  # ...and the filter keeps the focus
        assert app.screen.query_one(FilterInput).value == "acme"


async def test_the_action_menu_lists_every_action_and_runs_one(setup: Setup) -> None:
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"jane-playground power", "ctrl+o")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        assert "jane-playground/PowerUserAccess" in str(menu.query_one("Label").render())
        options = menu.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert len(prompts) == len(menu.entries) >= 14
        assert any(p.startswith("Ctrl+S") and "Shell" in p for p in prompts)
        assert any(p.startswith("Ctrl+T") and "Mark" in p for p in prompts)
        await pilot.press(*"shell")
        await pilot.pause()
        assert options.option_count < len(prompts)
        assert "Shell" in str(options.get_option_at_index(0).prompt)  # the title's match first
        await pilot.press("enter")
        await until(pilot, lambda: shell.calls)
        assert shell.calls[0][1]["SWITCHER_TARGET"] == "jane-playground/PowerUserAccess"
        await pilot.press("ctrl+o", "down", "escape")  # Escape closes it, nothing run
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and len(shell.calls) == 1


@pytest.mark.parametrize("config", ["", '[keys]\nconsole = "ctrl+shift+f12"\n'])
async def test_the_footer_shows_help_and_quit_at_80_columns(setup: Setup, config: str) -> None:
    _config(config)
    app = SwitcherApp(_workspace(setup), RecordingShell())
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.pause()
        keys = {key.description: key for key in app.screen.query(FooterKey)}
        assert list(keys)[:2] == ["Console", "Shell"]  # the most used first
        for needed in ("Help", "Quit"):
            assert keys[needed].region.right <= 80 and keys[needed].region.width > 0
        assert "Refresh" not in keys
        await pilot.resize_terminal(160, 40)  # wider: more keys
        await until(pilot, lambda: "Refresh" in {k.description
                                                 for k in app.screen.query(FooterKey)})
        await pilot.resize_terminal(60, 24)  # narrower: fewer, help and quit still
        await until(pilot, lambda: "Region" not in {k.description
                                                    for k in app.screen.query(FooterKey)})
        keys = {key.description: key for key in app.screen.query(FooterKey)}
        assert keys["Quit"].region.right <= 60 and "Help" in keys


async def test_a_remapped_key_acts_and_the_old_one_no_longer_does(setup: Setup) -> None:
    _config('# mine\n[keys]\nshell = "f9"\nhelp = "f10"\n')
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        assert not [n for n in app._notifications if n.severity == "warning"
                    and "[keys]" in str(n.message)]
        await pilot.press(*"jane-playground power", "ctrl+s")
        await pilot.pause(0.3)
        assert not shell.calls  # the old key does nothing now
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f10")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = dict(help_rows(help_screen.keys))
        assert rows["F9"].startswith("Start a shell") and "Ctrl+S" not in rows
        assert ">F9" in app.export_screenshot()
        await pilot.press("f10")  # the help key closes help too
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        footer = {key.description: key.key for key in app.screen.query(FooterKey)}
        assert footer["Shell"] == "f9" and footer["Help"] == "f10"
        await pilot.press("ctrl+o")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        assert ("shell", "F9") in {(a, k) for a, _t, _h, k in menu.entries}
        await pilot.press("escape")
        await pilot.pause()
        assert "F9" not in app.export_screenshot()  # the footer writes it f9
        await pilot.press("ctrl+p", *"start a shell")
        await until(pilot, lambda: "F9" in app.export_screenshot())  # the palette says it too
        assert "F9" in app.export_screenshot()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f9")
        await until(pilot, lambda: shell.calls)
        assert shell.calls[0][1]["SWITCHER_TARGET"] == "jane-playground/PowerUserAccess"


@pytest.mark.parametrize(("keys", "warning", "default"), [
    ('sheel = "f9"', "[keys] sheel: no such command", ""),
    ('shell = "s"', '[keys] shell = "s": "s" is a printable key', "ctrl+s"),
    ('shell = "ctrl+t"', "[keys] shell = Ctrl+T: that is mark's key", "ctrl+s"),
    ('shell = "ctrl+u"', '[keys] shell = "ctrl+u": "ctrl+u" is the filter box\'s key', "ctrl+s"),
])
async def test_each_keys_mistake_is_one_warning_in_the_app(setup: Setup, keys: str,
                                                           warning: str, default: str) -> None:
    path = _config(f"[keys]\n{keys}\n")
    shell = RecordingShell()
    app = SwitcherApp(_workspace(setup), shell)
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        notices = [n for n in app._notifications if n.title == str(path)]
        assert len(notices) == 1 and notices[0].severity == "warning"
        assert str(notices[0].message).startswith(warning) and "\n" not in notices[0].message
        await pilot.press(*"jane-playground power")
        await pilot.pause()
        assert app.screen.query_one(FilterInput).value == "jane-playground power"
        if default:  # the command kept its default key
            await pilot.press(default)
            await until(pilot, lambda: shell.calls)
            assert shell.calls
