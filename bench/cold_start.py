"""No cache: how long until every account of a 2,000-account organisation is on screen (roles
stream in after), with Identity Center's 20 requests/s throttle and 30 ms latency."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


async def _until_every_account(accounts: int) -> tuple[float, float]:
    from switcher.tui.app import SwitcherApp
    from switcher.tui.widgets.target_table import TargetTable
    from switcher.workspace import Workspace

    workspace = Workspace()
    for instance in workspace.instances():
        workspace.login(instance, lambda _c, url: _approve(url), _approve)
    started = time.perf_counter()
    app = SwitcherApp(workspace)
    every_account = all_roles = float("nan")
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.screen.query_one(TargetTable)
        while time.perf_counter() - started < 600:
            shown = {t.account_id for t in table.targets}
            if every_account != every_account and len(shown) >= accounts:
                every_account = time.perf_counter() - started
            if all(t.ways for t in table.targets) and len(table.targets) >= 3 * accounts:
                all_roles = time.perf_counter() - started
                break
            await pilot.pause(0.02)
    return every_account, all_roles


def main(accounts: int = 2000, runs: int = 3) -> None:
    print(f"{'no cache':<34} {'accounts on screen':>19} {'(min-max)':>16} {'all roles':>10}")
    firsts, alls = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder, Emulator(
                generated_organization(accounts), Knobs(latency_ms=30)) as emulator:
            os.environ.update(write_profile_dir(Path(folder), emulator))
            first, every = asyncio.run(_until_every_account(accounts))
            firsts.append(first)
            alls.append(every)
    print(f"{f'{accounts:,} accounts, 30 ms, 20 req/s':<34} "
          f"{statistics.median(firsts):>18.2f}s {min(firsts):>7.2f}-{max(firsts):<7.2f}s "
          f"{statistics.median(alls):>9.1f}s")


if __name__ == "__main__":
    main()
