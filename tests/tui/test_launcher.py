"""A launcher nobody can misuse: production is told without colour, finding is obvious, the
list fits 80x24. Pilot tests on the seeded organisation from the cache (signed out, so
nothing depends on timing)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from switcher.actions.browser import INTERNAL
from switcher.emulator.console import describe_landing
from switcher.errors import NoBrowserError
from switcher.model import Environment
from switcher.tui.app import SwitcherApp
from switcher.tui.messages import ConsoleOpened, ConsoleOpening
from switcher.tui.screens.confirm import ConfirmScreen
from switcher.tui.screens.main import MainScreen
from switcher.tui.screens.signin_code import SignInCodeScreen
from switcher.tui.widgets.target_table import TargetTable
from tests.conftest import Setup, approve
from tests.tui.test_app import until


async def _started(pilot: Any) -> tuple[MainScreen, TargetTable]:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, MainScreen)
                and app.screen.query_one(TargetTable).row_count)
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen, screen.table


async def test_production_is_unmistakable_without_colour(
        seeded_app: Callable[[str], SwitcherApp]) -> None:
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(120, 32)) as pilot:
        screen, table = await _started(pilot)
        for i, target in enumerate(table.shown):
            text = table.row_text(i)
            if target.environment is Environment.PRODUCTION:
                assert text.startswith("▲ PROD ")  # words and a glyph, not a hue
            else:
                assert "▲" not in text[:10] and "PROD " not in text[:10]
        production = next(i for i, t in enumerate(table.shown)
                          if t.environment is Environment.PRODUCTION)
        badge = table._segments(table.shown[production], False)[0]
        assert badge.style is not None and badge.style.reverse  # reverse video in monochrome
        await pilot.press(*"payments-prod read", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        box = app.screen.query_one("#confirm", Vertical)
        assert box.has_class("production")
        assert box.border_title is not None and "▲ PRODUCTION ▲" in str(box.border_title)
        await pilot.press("n")
        await pilot.pause()
        chosen = table.selected
        assert chosen is not None and chosen.environment is Environment.PRODUCTION
        screen.post_message(ConsoleOpening(chosen, "eu-west-1"))
        screen.post_message(ConsoleOpened(chosen, "eu-west-1"))
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert "Opening the console of ▲ PROD payments-prod/ReadOnlyAccess in eu-west-1…" in (
            notices)
        assert "Console opened: ▲ PROD payments-prod/ReadOnlyAccess (eu-west-1)" in notices


async def test_finding_is_obvious(seeded_app: Callable[[str], SwitcherApp]) -> None:
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(120, 32)) as pilot:
        screen, table = await _started(pilot)
        status = screen.query_one("#status", Static)
        everything = table.row_count
        assert f"{everything} targets" in str(status.render())
        assert "Refreshed in part: " in str(status.render())  # signed out: a word at the end
        # No region of its own, none in the environment: a dash, not the default's name.
        assert all(table.region_shown(t) == "—" for t in table.shown)
        # account/role, and the matched characters underlined
        await pilot.press(*"payments-prod/read")
        await pilot.pause()
        assert [t.display_name for t in table.shown] == ["payments-prod/ReadOnlyAccess"]
        assert "1 target " in str(status.render()) + " "
        segments = table._segments(table.shown[0], False)
        underlined = [s.text for s in segments if s.style is not None and s.style.underline]
        assert underlined == ["payments-prod", "Read"]
        await pilot.press("escape")
        # exact matches first: no sandbox row above a production one for "prod"
        await pilot.press(*"prod")
        await pilot.pause()
        environments = [t.environment for t in table.shown]
        assert Environment.SANDBOX in environments  # jane-playground, a fuzzy match...
        assert environments.index(Environment.SANDBOX) > max(
            i for i, e in enumerate(environments) if e is Environment.PRODUCTION)  # ...last
        await pilot.press("escape")
        await pilot.pause()
        # favourites and recent targets are marked; marked rows are counted
        first = table.selected
        assert first is not None
        await pilot.press("f3")
        await pilot.pause()
        assert table.flags(first) == " ★ "
        used = table.shown[5]
        app.workspace.user_state.used(used.key, "eu-west-1")
        screen._reorder("Saving recent use")
        await pilot.pause()
        assert table.flags(used) == " ↺ "
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        assert "2 marked" in str(status.render())
        assert table.row_text(0)[10:13] == "✓★ "
        # grouping says its name in words
        await pilot.press("f5", "f5")
        await pilot.pause()
        assert "Grouped by OU" in [n.message for n in app._notifications]
        # a chosen region is what the Region column shows
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"eu-central-2", "enter")
        await pilot.pause()
        assert screen.region_choice == "eu-central-2"
        assert all(table.region_shown(t) == "eu-central-2" for t in table.shown)
        assert "eu-central-2" in table.row_text(0)


async def test_grouped_navigation_at_80x24_keeps_headings_in_view(
        seeded_app: Callable[[str], SwitcherApp]) -> None:
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await _started(pilot)

        def top_line() -> str:
            return "".join(s.text for s in table.render_line(0))

        await pilot.press("f5")  # by environment
        await pilot.pause()
        assert table.group_by == "environment"
        assert top_line().startswith("▾ ") and table.cursor_row == 1
        assert table.selected is not None
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert table.scroll_offset.y > 0 and table.selected is not None
        for _ in range(6):  # page up reaches the first target, and its heading shows
            await pilot.press("pageup")
        await pilot.pause()
        assert table.cursor_row == 1 and table.scroll_offset.y == 0
        assert top_line().startswith("▾ ")
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.selected is table.shown[-1]
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert table.cursor_row == 1 and table.scroll_offset.y == 0
        assert top_line().startswith("▾ ")
        # going up onto a group's first target shows that group's heading too
        await pilot.press("ctrl+end")
        await pilot.pause()
        last_heading = max(i for i, row in enumerate(table._rows) if isinstance(row, str))
        while table.cursor_row > last_heading + 1:
            await pilot.press("up")
        await pilot.pause()
        await pilot.press("down", "up")  # back onto the first target of the last group
        await pilot.pause()
        assert table.scroll_offset.y <= last_heading
        await pilot.press("up")  # over the heading, onto the group before
        await pilot.pause()
        assert table.cursor_row == last_heading - 1


async def test_without_a_browser_f6_shows_the_device_code_and_waits(
        setup: Setup, clipboard_tool: Path) -> None:
    workspace = setup.workspace()
    opened: list[str] = []

    def no_browser(url: str) -> None:
        opened.append(url)
        raise NoBrowserError("No browser found to sign in")

    workspace.sign_in_opener = no_browser
    app = SwitcherApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(TargetTable)
        await until(pilot, lambda: "signed out" in str(app.screen.query_one("#status").render()))
        profiles_only = table.row_count
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, SignInCodeScreen)
                    and bool(app.screen.query("#sign-in-url")))  # shown, and composed
        dialog = app.screen
        assert isinstance(dialog, SignInCodeScreen)
        url = dialog.url
        try:
            assert opened and "/authorize" in opened[0]  # PKCE was tried first, then the code
            assert str(dialog.query_one("#sign-in-url", Label).render()) == url
            code = str(dialog.query_one("#sign-in-user-code", Label).render()).strip()
            assert code == dialog.user_code and code
            assert "Waiting" in str(dialog.query_one("#sign-in-waiting", Label).render())
            await pilot.press("c")
            await until(pilot, lambda: clipboard_tool.exists(), tries=200)
            assert clipboard_tool.read_text() == url
            await until(pilot, lambda: any("Sign-in address: Copied" in n.message
                                           for n in app._notifications), tries=200)
            await pilot.pause(0.3)
            assert isinstance(app.screen, SignInCodeScreen)  # still waiting
        finally:
            # The user approves on another device (also when an assertion failed: the sign-in
            # worker would otherwise wait for the code to expire, and the app with it).
            approve(url)
        await until(pilot, lambda: not isinstance(app.screen, SignInCodeScreen), tries=200)
        await until(pilot, lambda: table.row_count > profiles_only, tries=200)
        assert table.row_count > profiles_only
        assert "Signed in" in [n.message for n in app._notifications]


async def test_the_demo_says_where_the_console_landed(setup: Setup) -> None:
    os.environ["SWITCHER_BROWSER"] = INTERNAL  # the demo's browser stand-in
    workspace = setup.sign_in(setup.workspace())
    workspace.describe_landing = describe_landing  # as prepare_demo sets it
    app = SwitcherApp(workspace)
    async with app.run_test(size=(120, 32)) as pilot:
        await until(pilot, lambda: app.screen.query_one(TargetTable).row_count > 20)
        await pilot.press(*"storefront-dev admin")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"eu-west-3", "enter")
        await pilot.pause()
        await pilot.press("enter")
        account = setup.account_id("storefront-dev")

        def landed() -> list[tuple[str, str]]:
            return [(n.title, n.message) for n in app._notifications
                    if n.message.startswith("Landed on")]

        await until(pilot, landed, tries=200)
        title, said = landed()[0]
        assert title == "Console of storefront-dev/AdministratorAccess"
        assert said.startswith(f"Landed on account storefront-dev ({account}), role "
                               "AWSReservedSSO_AdministratorAccess_"), said
        assert said.endswith(", region eu-west-3")


def test_prepare_demo_sets_the_landing_description_without_a_browser(
        isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from switcher.demo import prepare_demo
    from switcher.emulator.server import Emulator

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    saved = dict(os.environ)  # prepare_demo writes os.environ (on purpose): undone after
    try:
        with Emulator() as emulator:
            workspace = prepare_demo(isolated_home / "demo", emulator)
            assert os.environ["SWITCHER_BROWSER"] == INTERNAL
            assert workspace.describe_landing is describe_landing
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def test_pickers_filter_from_the_first_key(
        seeded_app: Callable[[str], SwitcherApp]) -> None:
    """The region, page and way pickers take typed letters at once, as the main list does:
    the list narrows, the arrows move in what is left and Enter takes the highlighted one."""
    from textual.widgets import OptionList

    from switcher.tui.screens.destinations import DestinationScreen
    from switcher.tui.screens.regions import RegionScreen
    from switcher.tui.screens.ways import WayScreen

    app = seeded_app("switcher-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await _started(pilot)
        await pilot.press("f2", *"eu-c")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, RegionScreen)
        options = picker.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt).strip()
                 for i in range(options.option_count)]
        assert shown and all(name.startswith("eu-central-") for name in shown)
        assert "eu-central-1" in shown and "eu-west-1" not in shown
        await pilot.press("down", "enter")  # the second match
        await pilot.pause()
        assert screen.region_choice == shown[1]
        # the way picker: 'manual' leaves the switch role of config.toml
        await pilot.press(*"storefront-dev power", "f4", *"manual")
        await pilot.pause()
        ways = app.screen
        assert isinstance(ways, WayScreen)
        assert ways.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert screen.chosen_ways[table.shown[0].key].label == "switch-role:dev power (manual)"
        # the page picker: typed letters filter; a path that matches nothing is taken as typed
        await pilot.press("ctrl+g", *"cloudw")
        await pilot.pause()
        pages = app.screen
        assert isinstance(pages, DestinationScreen)
        assert pages.chosen == "cloudwatch"
        typed = pages.query_one("#destinations-filter", Input)
        assert app.focused is typed
        typed.value = ""
        await pilot.press(*"ec2/home#Instances:")
        await pilot.pause()
        assert pages.query_one(OptionList).option_count == 0
        assert app.screen is pages  # nothing was started by a letter
        assert typed.value == "ec2/home#Instances:"
        await pilot.press("enter")  # taken as typed
        await pilot.pause()
        assert app.screen_stack[-1] is screen


async def test_source_column_is_readable_or_left_out(
        seeded_app: Callable[[str], SwitcherApp]) -> None:
    """At 80 columns the Source column is left out (it showed a lone 's') and the Region
    column is whole; where there is room, Source shows each target's way in."""
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await _started(pilot)
        header = str(screen.query_one("#header", Static).render()).rstrip()
        width = table.scrollable_content_region.width  # the scrollbar covers the rest
        assert width < 80 and len(header) <= width and "Source" not in header
        assert header.endswith("Region")
        assert all(len(table.row_text(i).rstrip()) <= width for i in range(table.row_count))
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(160, 48)) as pilot:
        screen, table = await _started(pilot)
        header = str(screen.query_one("#header", Static).render()).rstrip()
        assert header.endswith("Source")
        assert table.row_text(0).rstrip().endswith("sso:acme")
