"""Screenshots of the demo for the README, made by a script (not by hand): `./dev screenshots`."""

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

OUT = Path(__file__).resolve().parent.parent / "screenshots"


async def _shoot(app: SwitcherApp, size: tuple[int, int], name: str, query: str = "") -> Path:
    async with app.run_test(size=size) as pilot:
        table = app.screen.query_one(TargetTable)
        for _ in range(200):
            if table.row_count > 20:
                break
            await pilot.pause(0.05)
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
        workspace = prepare_demo(Path(folder), emulator)
        for size, name, query in (((120, 32), "main", ""),
                                  ((120, 32), "filtered", "prod")):
            path = asyncio.run(_shoot(SwitcherApp(workspace), size, name, query))
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
