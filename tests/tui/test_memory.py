"""The app stays small however often its dialogs are opened: every modal screen opened and
closed many times leaves the traced memory where it was after a warm-up."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from switcher.tui.app import SwitcherApp
from switcher.tui.screens.actions import ActionMenu
from switcher.tui.screens.confirm import ConfirmScreen
from switcher.tui.screens.destinations import DestinationScreen
from switcher.tui.screens.help import HelpScreen
from switcher.tui.screens.main import MainScreen
from switcher.tui.screens.mfa import MfaScreen
from switcher.tui.screens.regions import RegionScreen, regions
from switcher.tui.screens.signin_code import SignInCodeScreen
from switcher.tui.screens.ways import WayScreen
from switcher.tui.widgets.target_table import TargetTable

ROUNDS = 8
GROWTH_ALLOWED = 1_500_000
"""Bytes for all the rounds together (about 0.3 MB is measured). Before the fix every
dialog opened grew the app by 0.3-1 MB (every footer key and every widget's style cache
were kept)."""


def _dialogs(main: MainScreen) -> list[Callable[[], Screen[Any]]]:
    target = main.query_one(TargetTable).shown[0]
    keys = main.keys
    return [
        lambda: HelpScreen(keys),
        lambda: RegionScreen(regions(["eu-west-1"]), ""),
        lambda: ActionMenu(target, 0, keys),
        lambda: DestinationScreen(f"Console page for {target.display_name}", ["/s3"]),
        lambda: WayScreen(target, None),
        lambda: ConfirmScreen(target, "open the console of", True),
        lambda: MfaScreen("arn:aws:iam::123456789012:mfa/jane"),
        lambda: SignInCodeScreen("ABCD-EFGH", "https://device.invalid/?code=ABCD-EFGH",
                                 lambda _text: None),
    ]


async def test_dialogs_opened_again_and_again_leave_memory_flat(
        seeded_app: Callable[[str], SwitcherApp]) -> None:
    app = seeded_app("switcher-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        dialogs = _dialogs(app.screen)

        async def every_dialog_once() -> None:
            for make in dialogs:
                dialog = make()
                await app.push_screen(dialog)
                await pilot.pause()
                assert app.screen is dialog
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, MainScreen), type(dialog).__name__

        await every_dialog_once()
        tracemalloc.start()
        try:
            for _ in range(2):  # warm-up: caches of styles, colours and text fill once
                await every_dialog_once()
            gc.collect()
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(ROUNDS):
                await every_dialog_once()
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert grown < GROWTH_ALLOWED, (
            f"{len(dialogs)} dialogs opened and closed {ROUNDS} times grew the app by "
            f"{grown / 1e6:.1f} MB")
