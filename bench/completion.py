"""Shell completion of target names: how long a Tab waits for `switcher __complete targets
PREFIX` (the installed `switcher` script, from process start to exit, as a shell runs it),
against `python -c pass`, with inventory caches of 35, 1,000 and 10,000 targets. "warm" is
every Tab but the first after the inventory changed; "first" includes making the index."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.store.inventory import InventoryCache

ROLES = ("AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess")


def _targets(count: int) -> list[Target]:
    way = (Way(SourceKind.SSO, sso_session="org"),)
    return [Target(Account(f"{100000000000 + n // 3}", f"team{n // 3:05d}-dev"), ROLES[n % 3],
                   way, environment=Environment.DEVELOPMENT) for n in range(count)]


def _timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - started) * 1000


def _row(label: str, times: list[float]) -> None:
    print(f"{label:<44} median {statistics.median(times):6.1f} ms   min {min(times):6.1f}   "
          f"max {max(times):6.1f}   ({len(times)} runs)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    script = str(Path(sys.executable).parent / "switcher")
    with tempfile.TemporaryDirectory() as home:
        environment = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        cache = InventoryCache(Path(home) / ".cache" / "switcher" / "inventory.json")
        baseline = [_timed([sys.executable, "-c", "pass"], environment)
                    for _ in range(args.runs)]
        _row("python -c pass", baseline)
        for count in (35, 1_000, 10_000):
            cache.save(_targets(count))
            command = [script, "__complete", "targets", "team0001"]
            first = []
            for _ in range(min(args.runs, 10)):
                (cache.path.parent / "completion-names.txt").unlink(missing_ok=True)
                first.append(_timed(command, environment))
            warm = [_timed(command, environment) for _ in range(args.runs)]
            _row(f"__complete targets, {count:,} targets, warm", warm)
            _row(f"__complete targets, {count:,} targets, first", first)
        print(f"(warm median over python -c pass: "
              f"{statistics.median(warm) - statistics.median(baseline):.1f} ms, "
              f"10,000 targets)")


if __name__ == "__main__":
    main()
