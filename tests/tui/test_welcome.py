"""A first run in the app: no AWS configuration at all. The welcome says which files were
read and offers an IAM Identity Center start URL (an [sso-session] written to ~/.aws/config,
then sign-in and discovery against the emulator) or an AESR file to import; a wrong value is
said in one line and nothing is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from switcher.store.settings import load_settings
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.screens.welcome import WelcomeScreen
from switcher.tui.widgets.target_table import TargetTable
from tests.conftest import Setup
from tests.tui.test_app import until


@pytest.fixture
def first_run(setup: Setup, isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The emulator's endpoints, but no ~/.aws files and no config.toml: a first run. The
    folder of ~/.aws/config (which does not exist yet)."""
    aws = isolated_home / ".aws"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws / "credentials"))
    assert not (Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml").exists()
    return aws


def _problem(app: SwitcherApp) -> str:
    return str(app.screen.query_one("#welcome-problem", Static).render())


async def _type(pilot: Any, field: str, text: str, enter: bool = True) -> None:
    """Clear a field of the form and type `text` into it (then Enter: the form is sent)."""
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.value = ""
    box.focus()
    await pilot.press(*text, *(["enter"] if enter else []))
    await pilot.pause()


async def test_first_run_adds_an_identity_center_signs_in_and_lists(
        setup: Setup, first_run: Path) -> None:
    config = first_run / "config"
    app = SwitcherApp(setup.workspace())  # its sign-in opener approves, as a browser would
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        said = " ".join(str(s.render()) for s in welcome.query(".welcome-file"))
        assert f"{config}: not found" in said and "config.toml: not found" in said
        assert isinstance(app.focused, Input) and app.focused.id == "start-url"
        # wrong values: one line, the field to fix focused, nothing written
        await pilot.press(*"acme.awsapps.com", "enter")
        await pilot.pause()
        assert "is not a start URL" in _problem(app)
        assert "\n" not in _problem(app).strip()
        start_url = setup.emulator.state.organization.start_url
        await _type(pilot, "start-url", start_url, enter=False)
        await pilot.press("tab")  # to the region, which says us-east-1 until changed
        assert app.focused is welcome.query_one("#sso-region")
        await _type(pilot, "sso-region", "mars-north-9")
        assert "unknown region 'mars-north-9'" in _problem(app)
        assert app.focused is welcome.query_one("#sso-region")
        await _type(pilot, "sso-region", "US-EAST-1", enter=False)
        await _type(pilot, "sso-name", "my work")
        assert "a name is letters" in _problem(app)
        assert not config.exists()
        # right values: written, signed in, discovered
        await _type(pilot, "sso-name", "work")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        table = app.screen.query_one(TargetTable)
        status = app.screen.query_one("#status", Static)
        await until(pilot, lambda: "Refreshed:" in str(status.render()), tries=400)
        assert table.row_count > 20
        assert "Signed in" in [n.message for n in app._notifications]
        assert all(t.way.sso_session == "work" for t in table.shown)
        assert config.read_text() == (
            f"[sso-session work]\nsso_start_url = {start_url}\nsso_region = us-east-1\n"
            "sso_registration_scopes = sso:account:access\n")


async def test_first_run_imports_an_aesr_file(setup: Setup, first_run: Path,
                                              isolated_home: Path) -> None:
    settings = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
    not_aesr = isolated_home / "notes.ini"
    not_aesr.write_text("[default]\nregion = eu-west-1\n")
    aesr = isolated_home / "aesr.ini"
    dev, prod = setup.account_id("storefront-dev"), setup.account_id("storefront-prod")
    aesr.write_text(f"[shop-dev]\naws_account_id = {dev}\nrole_name = Developer\n"
                    f"[shop-prod]\nrole_arn = arn:aws:iam::{prod}:role/ReadOnly\n")
    app = SwitcherApp(setup.workspace())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await _type(pilot, "aesr-file", str(isolated_home / "missing.ini"))
        assert "missing.ini: no such file" in _problem(app)
        await _type(pilot, "aesr-file", str(not_aesr))
        assert "is not an AWS Extend Switch Roles file" in _problem(app)
        assert not settings.exists()
        await _type(pilot, "aesr-file", str(aesr))
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        table = app.screen.query_one(TargetTable)
        await until(pilot, lambda: table.row_count == 2)
        assert {(t.account_id, t.role_name) for t in table.shown} == {
            (dev, "Developer"), (prod, "ReadOnly")}
    assert load_settings(settings).aesr_sources == (str(aesr),)


async def test_a_configured_run_has_no_welcome_and_escape_skips_it(
        setup: Setup, first_run: Path) -> None:
    app = SwitcherApp(setup.workspace())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not (first_run / "config").exists()
    os.environ["AWS_CONFIG_FILE"] = setup.environment["AWS_CONFIG_FILE"]  # the emulator's
    app = SwitcherApp(setup.workspace())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
