"""Screenshots of the demo for the README, made by a script (not by hand): `./dev screenshots`.

The app as it is now, on the demo organisation, at 80x24 and 160x48, in the dark and light
themes: the whole list (`main-*`) and the list filtered by typing `prod` (`filtered-*`)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from switcher.actions.browser import INTERNAL
from switcher.demo import prepare_demo
from switcher.emulator.server import Emulator
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
THEMES = {"dark": "switcher-dark", "light": "switcher-light"}
SHOTS = {"main": "", "filtered": "prod"}


async def _shoot(app: SwitcherApp, size: tuple[int, int], name: str, query: str = "") -> Path:
    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one(TargetTable)
        for _ in range(200):
            if table.row_count > 20:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        app.clear_notifications()  # what the picture shows is the list, not passing notices
        if query:
            await pilot.press(*query)  # typing filters: the filter box has the focus
        await pilot.pause(0.3)
        path = OUT / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(OUT))
        return path


def main() -> None:
    OUT.mkdir(exist_ok=True)
    os.environ["SWITCHER_BROWSER"] = INTERNAL
    with tempfile.TemporaryDirectory() as folder, Emulator() as emulator:
        prepare_demo(Path(folder), emulator)  # signs in; its folder holds config.toml too
        settings = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
        settings.parent.mkdir(parents=True, exist_ok=True)
        for theme_name, theme in THEMES.items():
            settings.write_text(f'[app]\ntheme = "{theme}"\n', encoding="utf-8")
            for size_name, size in SIZES.items():
                for shot, query in SHOTS.items():
                    app = SwitcherApp(Workspace())
                    name = f"{shot}-{theme_name}-{size_name}"
                    path = asyncio.run(_shoot(app, size, name, query))
                    print(f"wrote {path}")


if __name__ == "__main__":
    main()
