"""No cache: from process start, how long until every account of a 2,000-account organisation
is on screen (roles stream in after), with Identity Center's 20 requests/s throttle and 30 ms
latency. Signed in beforehand (a token in the cache), as a user who opens the app is."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs

CHILD = r"""
import json, sys, time
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

wanted, until_roles = int(sys.argv[1]), sys.argv[2] == "roles"
marks = {}

def accounts_shown(screen):
    marks.setdefault("accounts", time.time())
    if not until_roles:
        print(json.dumps(marks), flush=True)
        screen.app.exit()
listed, refreshed = MainScreen.on_accounts_listed, MainScreen.on_inventory_refreshed

def on_accounts_listed(screen, message):
    listed(screen, message)
    shown = {t.account_id for t in screen.query_one(TargetTable).targets}
    if len(shown) >= wanted and "accounts" not in marks:  # painted by the next frame
        screen.call_after_refresh(accounts_shown, screen)

def on_inventory_refreshed(screen, message):
    refreshed(screen, message)
    marks["roles"] = time.time()
    marks["targets"] = len(screen.query_one(TargetTable).targets)
    print(json.dumps(marks), flush=True)
    screen.app.exit()

MainScreen.on_accounts_listed = on_accounts_listed
MainScreen.on_inventory_refreshed = on_inventory_refreshed
SwitcherApp(Workspace()).run(headless=True, size=(160, 48))
"""


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def one_run(accounts: int, until_roles: bool) -> tuple[float, float, int]:
    from switcher.workspace import Workspace

    with tempfile.TemporaryDirectory() as name, Emulator(
            generated_organization(accounts), Knobs(latency_ms=30)) as emulator:
        folder = Path(name)
        os.environ.update(write_profile_dir(folder / "aws", emulator))  # botocore reads these
        environment = {**os.environ, "HOME": str(folder)}
        workspace = Workspace(environment)
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: _approve(url), _approve)
        started = time.time()
        finished = subprocess.run([sys.executable, "-c", CHILD, str(accounts),
                                   "roles" if until_roles else "accounts"], env=environment,
                                  capture_output=True, text=True, timeout=900, check=True)
        report = json.loads(finished.stdout.strip().splitlines()[-1])
        return (report["accounts"] - started, report.get("roles", float("nan")) - started,
                report.get("targets", 0))


def main(accounts: int = 2000, runs: int = 5) -> None:
    """`runs` times until every account is on screen; the last run waits for every role."""
    print(f"{'no cache, from process start':<34} {'accounts on screen':>19} {'(min-max)':>16} "
          f"{'all roles':>10} {'targets':>8}")
    firsts, every, targets = [], float("nan"), 0
    for run in range(runs):
        first, every, targets = one_run(accounts, until_roles=run == runs - 1)
        firsts.append(first)
    print(f"{f'{accounts:,} accounts, 30 ms, 20 req/s':<34} "
          f"{statistics.median(firsts):>18.2f}s {min(firsts):>7.2f}-{max(firsts):<7.2f}s "
          f"{every:>9.1f}s {targets:>8,}")


if __name__ == "__main__":
    main()
