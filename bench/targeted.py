"""No cache, 2,000 accounts behind Identity Center's 20 requests/s (our own limiter on, as a
user has it) and 30 ms latency: from process start to the console of one named account's
role. The CLI (`switcher console NAME/ROLE --print-url`, to the URL on stdout) and the app
(the account's name typed at once, Enter as soon as its row shows, to the one-use link taken
by the browser: the built-in stand-in). Before targeted discovery both waited for every
account's roles: about 100 s (see "discovery of 2,000 accounts"). And quitting the app while
the roles are being listed, to the end of the program (before: after the last account,
102 s). Signed in beforehand, as a user who runs it is. A bare `switcher --version` is
measured in the same run, for scale."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs

ACCOUNTS = 2000
NAME = "team-0499-sandbox"
"""The last account of the generated organisation: a full discovery lists its roles last."""
ROLE = "ReadOnlyAccess"

APP_CHILD = r"""
import asyncio, json, sys, time
from textual import events
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

name, marks = sys.argv[1], {}
opened = MainScreen.on_console_opened

def on_console_opened(screen, message):
    opened(screen, message)
    marks.update(opened=time.time(), target=message.target.display_name)
    print(json.dumps(marks), flush=True)

MainScreen.on_console_opened = on_console_opened

def send(driver, key, char):
    event = events.Key(key, char)
    event.set_sender(driver._app)
    driver.send_message(event)

async def main():
    app = SwitcherApp(Workspace())
    # Keys go in as a terminal sends them, without Pilot's waits for the process to idle
    # (a discovery works in threads here, so those waits would measure the benchmark).
    async with app.run_test(size=(160, 48)):
        driver = app._driver
        for char in name:
            send(driver, "minus" if char == "-" else char, char)
        marks["typed"] = time.time()
        table = app.screen.query_one(TargetTable)
        while not any(t.account_name == name for t in table.shown[:5]):
            await asyncio.sleep(0.01)
        marks["row"] = time.time()
        send(driver, "enter", "\r")
        while "opened" not in marks:
            await asyncio.sleep(0.01)
        app.exit()

asyncio.run(main())
"""


QUIT_CHILD = r"""
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.workspace import Workspace

listed = MainScreen.on_accounts_listed

def on_accounts_listed(screen, message):
    listed(screen, message)
    screen.set_timer(0.5, screen.app.exit)

MainScreen.on_accounts_listed = on_accounts_listed
SwitcherApp(Workspace()).run(headless=True, size=(160, 48))
"""


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


@contextmanager
def _signed_in() -> Iterator[tuple[Emulator, dict[str, str]]]:
    """A fresh emulator of 2,000 accounts, a HOME with no cache, and a token."""
    from switcher.workspace import Workspace

    with tempfile.TemporaryDirectory() as name, Emulator(
            generated_organization(ACCOUNTS), Knobs(latency_ms=30)) as emulator:
        folder = Path(name)
        os.environ.update(write_profile_dir(folder / "aws", emulator))  # botocore reads these
        environment = {**os.environ, "HOME": str(folder), "SWITCHER_BROWSER": "internal"}
        workspace = Workspace(environment)
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: _approve(url), _approve)
        yield emulator, environment


def cli_run() -> tuple[float, int]:
    """Seconds to the URL on stdout, and how many accounts' roles were listed."""
    with _signed_in() as (emulator, environment):
        started = time.time()
        process = subprocess.Popen(
            [sys.executable, "-m", "switcher", "console", f"{NAME}/{ROLE}", "--print-url"],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.time() - started
        _, errors = process.communicate(timeout=60)
        if not line.startswith("http"):
            raise RuntimeError(f"no URL: {errors.strip()}")
        return elapsed, len(emulator.state.role_listings)


def app_run() -> tuple[float, int]:
    """Seconds to the browser taking the link, and how many accounts' roles were listed."""
    with _signed_in() as (emulator, environment):
        started = time.time()
        process = subprocess.Popen([sys.executable, "-c", APP_CHILD, NAME], env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline()
        listed = len(emulator.state.role_listings)
        process.kill()  # the rest of the discovery is not measured
        _, errors = process.communicate(timeout=60)
        if not line:
            raise RuntimeError(f"the app ended without opening a console: {errors[-500:]}")
        marks = json.loads(line)
        if not str(marks["target"]).startswith(f"{NAME}/"):
            raise RuntimeError(f"opened {marks['target']}")
        return marks["opened"] - started, listed


def quit_run() -> tuple[float, int]:
    """Seconds to the end of the program, quitting the app half a second after the
    accounts show (their roles still being listed)."""
    with _signed_in() as (emulator, environment):
        started = time.time()
        subprocess.run([sys.executable, "-c", QUIT_CHILD], env=environment,
                       capture_output=True, timeout=300, check=True)
        return time.time() - started, len(emulator.state.role_listings)


def bare_run() -> tuple[float, int]:
    started = time.time()
    subprocess.run([sys.executable, "-m", "switcher", "--version"], capture_output=True,
                   check=True)
    return time.time() - started, 0


def main(runs: int = 5) -> None:
    print(f"{'no cache, ' + f'{ACCOUNTS:,} accounts, 30 ms, 20 req/s':<50} {'median':>8} "
          f"{'min':>7} {'max':>7} {'roles listed (accounts)':>24}")
    cases: list[tuple[str, Callable[[], tuple[float, int]]]] = [
        ("bare: switcher --version", bare_run),
        ("CLI: console NAME/ROLE to the URL", cli_run),
        ("app: type NAME, Enter, to the browser", app_run),
        ("app: quit 0.5 s after the accounts show, to exit", quit_run),
    ]
    for label, run in cases:
        figures = [run() for _ in range(runs)]
        times = [seconds for seconds, _ in figures]
        listed = statistics.median(count for _, count in figures)  # when the URL came
        print(f"{label:<50} {statistics.median(times):>7.2f}s {min(times):>6.2f}s "
              f"{max(times):>6.2f}s {listed:>24.0f}", flush=True)


if __name__ == "__main__":
    main()
