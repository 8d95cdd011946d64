"""Hostile names in the app: an [sso-session] name holding Rich markup, account names holding
escape sequences, bidi and zero-width characters. The app starts, and no notification, title
or status line carries them raw (a notification once cleared the pane and set its title)."""

from __future__ import annotations

import os
from pathlib import Path

from switcher.actions.browser import INTERNAL
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.status import StatusBar
from tests.conftest import Setup
from tests.tui.test_app import RecordingShell, _wait_for_rows, until

HOSTILE = "\x1b]0;owned\x07\x1b[2J[bold red]x[/]\u202e\u200b"
RAW = ("\x1b", "\x07", "\u202e", "\u200b")


async def test_hostile_names_reach_no_notification_raw(setup: Setup) -> None:
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + "\n[sso-session [bold]team[/bold]]\n"
                      "sso_start_url = https://team.example/start\nsso_region = us-east-1\n")
    organization = setup.emulator.state.organization
    dev = setup.account_id("storefront-dev")
    with config.open("a") as file:  # profile names are identifiers: kept as written
        file.write(f"\n[profile evil{HOSTILE.replace(' ', '')}]\n"
                   f"role_arn = arn:aws:iam::{dev}:role/HostileRole\n"
                   "source_profile = jane-iam\n")
    organization.accounts[dev].name = f"storefront-dev{HOSTILE}"
    os.environ["SWITCHER_BROWSER"] = INTERNAL
    workspace = setup.sign_in(setup.workspace())
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"storefront-dev", "f3")  # a notice that names the target
        await until(pilot, lambda: any("pinned" in n.message for n in app._notifications))
        await pilot.press("escape", *"hostilerole", "f4")  # "... has one way in: profile:..."
        await until(pilot, lambda: any("one way in" in n.message for n in app._notifications))
        messages = [n.message + n.title for n in app._notifications]
        assert any("\\x1b]0;owned" in m for m in messages)
        assert any("profile:evil\\x1b]0;owned" in m for m in messages)
        status = str(app.screen.query_one(StatusBar).render())
        assert "[bold]team[/bold]: signed in" in status  # markup shown as text, no crash
        for text in [*messages, status, app.title, app.sub_title]:
            for raw in RAW:
                assert raw not in text, (raw, text)
