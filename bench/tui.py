"""The app with large inventories: process start to first frame from the cache, key press to
repainted list while typing, and peak memory."""

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

from bench.cache import synthetic_targets
from switcher.store.inventory import InventoryCache

CHILD = r"""
import json, os, resource, sys, time
from switcher.tui.app import SwitcherApp
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

class Timed(SwitcherApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.first_frame)

    def first_frame(self) -> None:
        table = self.screen.query_one(TargetTable)
        print(json.dumps({"at": time.time(), "rows": table.row_count,
                          "imports": sorted(m for m in sys.modules if m.startswith("bot")),
                          "boto3": "boto3" in sys.modules or "botocore" in sys.modules,
                          "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
              flush=True)
        self.exit()

Timed(Workspace()).run(headless=True, size=(160, 48))
"""


SIGNED_OUT = ("[sso-session bench]\nsso_start_url = https://bench.invalid/start\n"
              "sso_region = us-east-1\n")


def first_frame(folder: Path, runs: int = 3) -> dict[str, float]:
    environment = dict(os.environ, SWITCHER_CACHE_DIR=str(folder / "cache"),
                       SWITCHER_CONFIG_DIR=str(folder / "config"),
                       SWITCHER_STATE_DIR=str(folder / "state"),
                       AWS_CONFIG_FILE=str(folder / "config.ini"), HOME=str(folder))
    times, memory, boto = [], [], False
    for _ in range(runs):
        started = time.time()
        finished = subprocess.run([sys.executable, "-c", CHILD], env=environment,
                                  capture_output=True, text=True, timeout=120, check=True)
        report = json.loads(finished.stdout.strip().splitlines()[-1])
        times.append(report["at"] - started)
        memory.append(report["maxrss_mb"])
        boto = boto or report["boto3"]
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "memory": max(memory), "boto3": float(boto)}


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
        await pilot.press("slash")
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
    print(f"{'app':<20} {'targets':>8} {'first frame':>12} {'(min-max)':>14} "
          f"{'boto3?':>7} {'peak MB':>8} {'key p50':>8} {'key p95':>8}")
    for targets_wanted in (1_000, 10_000, 100_000):
        targets = synthetic_targets(targets_wanted // 3 + 1)[:targets_wanted]
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            InventoryCache(folder / "cache" / "inventory.json").save(targets)
            (folder / "config.ini").write_text(SIGNED_OUT)  # the refresh leaves the list as is
            frame = first_frame(folder)
            keys = asyncio.run(typing_latency(folder, "team-001 adm"))
            print(f"{'from cache':<20} {len(targets):>8,} {frame['median'] * 1000:>10.0f}ms "
                  f"{frame['min'] * 1000:>6.0f}-{frame['max'] * 1000:<6.0f}ms "
                  f"{'yes' if frame['boto3'] else 'no':>7} {frame['memory']:>8.0f} "
                  f"{percentile(keys, 0.5) * 1000:>6.1f}ms {percentile(keys, 0.95) * 1000:>6.1f}ms")


if __name__ == "__main__":
    main()
