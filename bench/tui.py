"""The app with large inventories: process start to first frame from the cache (and to
"settled": the first refresh's result on screen too), key press to repainted list while
typing, and peak memory. A bare Textual app's first frame is printed first, for scale."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cache import BENCH_START_URL, synthetic_targets
from switcher.store.inventory import InventoryCache

CHILD = r"""
import json, resource, sys, time
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

marks = {}

def peak_mb():
    # VmHWM is this program's own peak; ru_maxrss would also count the benchmark process
    # this one was forked from.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def report(app):
    marks.update(imports=sorted(m for m in sys.modules if m.startswith("bot")),
                 boto3="boto3" in sys.modules or "botocore" in sys.modules,
                 maxrss_mb=peak_mb())
    print(json.dumps(marks), flush=True)
    app.exit()

class Timed(SwitcherApp):
    def _display(self, screen, renderable):
        # Textual's one place where a frame goes to the terminal: the first one that holds
        # the list is the first interactive frame (the event loop is running, keys work).
        super()._display(screen, renderable)
        if "first_frame" not in marks and renderable is not None and isinstance(
                screen, MainScreen) and screen.query_one(TargetTable).row_count:
            marks.update(first_frame=time.time(), rows=screen.query_one(TargetTable).row_count)

shown = MainScreen.on_inventory_refreshed

def settled(screen, message):
    # The refresh started after the first frame has ended (this instance is signed out, so
    # at once) and its result is on screen: start-up work is over.
    shown(screen, message)
    screen.call_after_refresh(lambda: (marks.update(settled=time.time()), report(screen.app)))

MainScreen.on_inventory_refreshed = settled
Timed(Workspace()).run(headless=True, size=(160, 48))
"""


RUNS = 7
SIGNED_OUT = (f"[sso-session bench]\nsso_start_url = {BENCH_START_URL}\n"
              "sso_region = us-east-1\n")


BARE = r"""
import json, time
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("hello")

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if renderable is not None:
            print(json.dumps({"first_frame": time.time()}), flush=True)
            self.exit()

Bare().run(headless=True, size=(160, 48))
"""


def bare_textual(runs: int) -> list[float]:
    """The floor on this machine: Python and Textual alone, to a first frame of one word."""
    times = []
    for _ in range(runs):
        started = time.time()
        finished = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                                  timeout=120, check=True)
        times.append(json.loads(finished.stdout.strip().splitlines()[-1])["first_frame"]
                     - started)
    return times


def compile_bytecode() -> None:
    """An installed package has its bytecode compiled by pip; an editable checkout may not
    (PYTHONDONTWRITEBYTECODE), which would time the compiler, not switcher."""
    import compileall

    import switcher

    compileall.compile_dir(str(Path(switcher.__file__).parent), quiet=1)


def first_frame(folder: Path, runs: int = RUNS) -> dict[str, float]:
    environment = dict(os.environ, SWITCHER_CACHE_DIR=str(folder / "cache"),
                       SWITCHER_CONFIG_DIR=str(folder / "config"),
                       SWITCHER_STATE_DIR=str(folder / "state"),
                       AWS_CONFIG_FILE=str(folder / "config.ini"), HOME=str(folder))
    times, settled, memory, boto = [], [], [], False
    for _ in range(runs):
        started = time.time()
        finished = subprocess.run([sys.executable, "-c", CHILD], env=environment,
                                  capture_output=True, text=True, timeout=120, check=True)
        report = json.loads(finished.stdout.strip().splitlines()[-1])
        times.append(report["first_frame"] - started)
        settled.append(report["settled"] - started)
        memory.append(report["maxrss_mb"])
        boto = boto or report["boto3"]
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "settled": statistics.median(settled), "memory": max(memory),
            "boto3": float(boto)}


async def typing_latency(folder: Path, query: str) -> list[float]:
    os.environ.update(SWITCHER_CACHE_DIR=str(folder / "cache"),
                      SWITCHER_CONFIG_DIR=str(folder / "config"),
                      SWITCHER_STATE_DIR=str(folder / "state"),
                      AWS_CONFIG_FILE=str(folder / "config.ini"))
    from textual.widgets import Input

    from switcher.tui.app import SwitcherApp
    from switcher.tui.widgets.target_table import TargetTable
    from switcher.workspace import Workspace

    app = SwitcherApp(Workspace())
    latencies = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(TargetTable)
        filter_box = app.screen.query_one("#filter", Input)
        for char in query:
            # What a key press costs the app: the filter box takes the character, the list
            # is filtered, and the screen is composed and rendered again. (Pilot's own
            # waiting between keys is not counted: it is the test driver, not the app.)
            started = time.perf_counter()
            filter_box.insert_text_at_cursor(char)
            table.filter(filter_box.value)
            app.screen._refresh_layout()
            app.screen._compositor.render_update(full=True)
            latencies.append(time.perf_counter() - started)
            await pilot.pause()
        assert table.row_count >= 1
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    compile_bytecode()
    floor = bare_textual(RUNS)
    print(f"{'app':<20} {'targets':>8} {'first frame':>12} {'(min-max)':>14} {'x bare':>7} "
          f"{'settled':>8} {'boto3?':>7} {'peak MB':>8} {'key p50':>8} {'key p95':>8}")
    print(f"{'bare Textual app':<20} {0:>8} {statistics.median(floor) * 1000:>10.0f}ms "
          f"{min(floor) * 1000:>6.0f}-{max(floor) * 1000:<6.0f}ms")
    for targets_wanted in (1_000, 10_000, 100_000):
        targets = synthetic_targets(targets_wanted // 3 + 1)[:targets_wanted]
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            InventoryCache(folder / "cache" / "inventory.json").save(targets)
            (folder / "config.ini").write_text(SIGNED_OUT)  # the refresh leaves the list as is
            frame = first_frame(folder)
            keys = asyncio.run(typing_latency(folder, "team-001 adm"))
            floor += bare_textual(2)  # the machine drifts: the floor is measured throughout
            print(f"{'from cache':<20} {len(targets):>8,} {frame['median'] * 1000:>10.0f}ms "
                  f"{frame['min'] * 1000:>6.0f}-{frame['max'] * 1000:<6.0f}ms "
                  f"{frame['median'] / statistics.median(floor):>6.2f}x "
                  f"{frame['settled'] * 1000:>6.0f}ms "
                  f"{'yes' if frame['boto3'] else 'no':>7} {frame['memory']:>8.0f} "
                  f"{percentile(keys, 0.5) * 1000:>6.1f}ms {percentile(keys, 0.95) * 1000:>6.1f}ms")
    print(f"(bare Textual over the whole run: median {statistics.median(floor) * 1000:.0f} ms, "
          f"{min(floor) * 1000:.0f}-{max(floor) * 1000:.0f} ms, {len(floor)} runs. Goals: first "
          "frame at 10,000 targets within 1.3x bare; key p95 at 100,000 within 16 ms; peak "
          "at 100,000 150 MB or less)")


if __name__ == "__main__":
    main()
