"""Themes: shipped ones, the user's own, the choice kept in config.toml, and the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from switcher.tui.app import SwitcherApp
from switcher.tui.themes import load_theme, load_themes, shipped_folder
from tests.conftest import Setup


def test_shipped_themes_load() -> None:
    themes, warnings = load_themes([shipped_folder()])
    assert {t.name for t in themes} >= {"switcher-dark", "switcher-light", "aws-console"}
    assert not warnings
    assert {t.name: t.dark for t in themes}["switcher-light"] is False


async def test_user_theme_and_broken_theme_and_saved_choice(setup: Setup) -> None:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    (folder / "themes").mkdir(parents=True)
    (folder / "themes" / "mine.toml").write_text('name = "mine"\nprimary = "#ff00ff"\n')
    (folder / "themes" / "broken.toml").write_text('name = "broken"\ncolour = 3\n')
    (folder / "config.toml").write_text('# my settings\n[app]\ntheme = "mine"\n')
    app = SwitcherApp(setup.sign_in(setup.workspace()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        assert any("broken.toml: not a theme" in str(n.message) for n in app._notifications)
        app.theme = "aws-console"  # as the command palette's "Change theme" does
        await pilot.pause()
    text = (folder / "config.toml").read_text()
    assert text.startswith("# my settings\n") and 'theme = "aws-console"' in text


@pytest.mark.timeout(300)
def test_the_wheel_ships_the_themes(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parents[2]
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                            "-w", str(tmp_path), str(project)], capture_output=True, text=True,
                           timeout=280, check=False)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("switcher_aws-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "switcher/themes/switcher-dark.toml" in names
        archive.extractall(tmp_path / "unpacked")
    themes, warnings = load_themes([tmp_path / "unpacked" / "switcher" / "themes"])
    assert len(themes) >= 3 and not warnings
    assert load_theme(tmp_path / "unpacked" / "switcher" / "themes" / "aws-console.toml")
