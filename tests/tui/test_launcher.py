"""A launcher nobody can misuse: production is told without colour, finding is obvious, the
list fits 80x24. Pilot tests on the seeded organisation from the cache (signed out, so
nothing depends on timing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.containers import Vertical

from switcher.model import Environment
from switcher.tui.app import SwitcherApp
from switcher.tui.messages import ConsoleOpened, ConsoleOpening
from switcher.tui.screens.confirm import ConfirmScreen
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.target_table import TargetTable
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
