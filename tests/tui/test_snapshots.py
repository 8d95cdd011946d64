"""Layout guards: the main screen in the dark and light themes, at 80x24 and 160x48, and every
modal screen at 80x24 (each must fit or scroll there). Regenerate after a deliberate change
with `./dev test tests/tui/test_snapshots.py --snapshot-update`, and look at the pictures in
the report before committing them.

The inventory comes from the cache, made from the seeded organisation, and the Identity Center
instance is signed out, so nothing on screen depends on timing."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from switcher.tui.app import SwitcherApp
from switcher.workspace import Workspace
from tests.tui.test_app import until


async def _settled(pilot: Any) -> None:
    """Start-up work done: the refresh (signed out: a notice says so) and the sign-in read."""
    app = pilot.app
    await until(pilot, lambda: app._notifications and "signed out" in str(
        app.screen.query_one("#status").render()))
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("theme", ["switcher-dark", "switcher-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen_layout(seeded_app: Callable[[str], SwitcherApp], snap_compare: Any,
                            theme: str, size: tuple[int, int]) -> None:
    assert snap_compare(seeded_app(theme), terminal_size=size, run_before=_settled)


async def _mfa(pilot: Any) -> None:
    from switcher.tui.screens.mfa import MfaScreen

    pilot.app.push_screen(MfaScreen("arn:aws:iam::123456789012:mfa/jane-iam"))


async def _sign_in_code(pilot: Any) -> None:
    from switcher.tui.screens.signin_code import SignInCodeScreen

    pilot.app.push_screen(SignInCodeScreen(
        "WDJB-MJHT", "https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT",
        lambda _text: None))


MODALS: dict[str, tuple[str, ...] | Callable[[Any], Any]] = {
    "help": ("f1",),
    "help-scrolled-to-the-end": ("f1", "end"),
    "actions": ("ctrl+o",),
    "region": ("f2",),
    "page": (*"payments-dev read", "ctrl+g"),
    "way": (*"storefront-dev power", "f4"),
    "confirm": (*"payments-prod read", "enter"),
    "mfa": _mfa,
    "sign-in-code": _sign_in_code,
}


@pytest.mark.parametrize("modal", list(MODALS))
def test_modal_screen_at_80x24(seeded_app: Callable[[str], SwitcherApp], snap_compare: Any,
                               modal: str) -> None:
    then = MODALS[modal]

    async def opened(pilot: Any) -> None:
        await _settled(pilot)
        if callable(then):
            await then(pilot)
        else:
            await pilot.press(*then)
        await pilot.pause()

    assert snap_compare(seeded_app("switcher-dark"), terminal_size=(80, 24), run_before=opened)


@pytest.mark.parametrize("keys", [("f5",), ("f5", "ctrl+end", "ctrl+home")],
                         ids=["grouped", "grouped-end-then-home"])
def test_grouped_list_at_80x24(seeded_app: Callable[[str], SwitcherApp], snap_compare: Any,
                               keys: tuple[str, ...]) -> None:
    """Grouped by environment, the first heading on screen (also after going to the end
    and back)."""
    async def grouped(pilot: Any) -> None:
        await _settled(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(seeded_app("switcher-dark"), terminal_size=(80, 24), run_before=grouped)


def test_first_run_welcome_at_80x24(snap_compare: Any, monkeypatch: pytest.MonkeyPatch
                                    ) -> None:
    """No AWS configuration at all: the welcome, with the files read (fixed paths that do
    not exist, so the picture does not depend on the test's folder)."""
    first_run = "/nonexistent/first-run"
    for name, value in (("AWS_CONFIG_FILE", f"{first_run}/.aws/config"),
                        ("AWS_SHARED_CREDENTIALS_FILE", f"{first_run}/.aws/credentials"),
                        ("SWITCHER_CONFIG_DIR", f"{first_run}/.config/switcher"),
                        ("SWITCHER_CACHE_DIR", f"{first_run}/.cache/switcher"),
                        ("SWITCHER_STATE_DIR", f"{first_run}/.local/state/switcher")):
        monkeypatch.setenv(name, value)

    async def settled(pilot: Any) -> None:
        await pilot.pause()

    app = SwitcherApp(Workspace(dict(os.environ)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)
