"""The status line tells the time: "time left" is redrawn by a timer (no key needed) and at
expiry it says what happens next. The emulator's tokens live 90 seconds; the status bar's
clock is moved on instead of waiting."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from switcher.actions.browser import INTERNAL
from switcher.tui.app import SwitcherApp
from switcher.tui.screens import main as main_screen
from switcher.tui.widgets import status as status_bar
from switcher.tui.widgets.status import StatusBar, status_text, utc_now
from tests.conftest import Setup
from tests.tui.test_app import RecordingShell, until


async def test_time_left_counts_down_and_says_renewing_at_expiry(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    assert status_bar.EXPIRY_TICK <= 60  # at least every minute
    monkeypatch.setattr(status_bar, "EXPIRY_TICK", 0.2)
    monkeypatch.setattr(main_screen, "EXPIRY_TICK", 0.2)
    setup.emulator.state.knobs.token_ttl = 90
    os.environ["SWITCHER_BROWSER"] = INTERNAL
    app = SwitcherApp(setup.sign_in(setup.workspace()), RecordingShell())
    async with app.run_test(size=(160, 32)) as pilot:
        bar = app.screen.query_one(StatusBar)

        def shown() -> str:
            return str(bar.render())

        await until(pilot, lambda: "left" in shown())
        assert "signed in, 0h01m left" in shown()
        later = [timedelta(0)]
        bar.clock = lambda: utc_now() + later[0]
        later[0] = timedelta(seconds=45)
        await until(pilot, lambda: "0h00m left" in shown())
        assert "signed in, 0h00m left" in shown()
        later[0] = timedelta(minutes=3)  # idle past the expiry, refresh token still valid
        await until(pilot, lambda: "renewing" in shown())
        assert "renewing" in shown() and "left" not in shown() and "sign in" not in shown()


def test_at_expiry_without_a_refresh_token_it_asks_for_a_sign_in() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    expiries: dict[str, datetime | None] = {"acme": now - timedelta(minutes=2),
                                            "other": now - timedelta(seconds=1),
                                            "never": None}
    text = status_text(expiries, 3, "", "F6", now, renewable={"other"})
    assert "acme: sign in needed (F6)" in text
    assert "other: renewing" in text
    assert "never: signed out (F6 to sign in)" in text
