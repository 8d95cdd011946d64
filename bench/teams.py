"""What team files cost every run: the accepted copies are read, their digests checked and
their content checked and merged into the settings, and `switcher list` then lists their
switch roles. Measured against the same run without a team file (the baseline)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from switcher.services import teams
from switcher.sources.team import parse_team_file
from switcher.store.teams import TeamStore
from switcher.workspace import Workspace

RUNS = 7


def team_file(roles: int) -> bytes:
    lines = ['name = "bench"', "", "[environments.patterns]", 'production = ["^live-"]', "",
             "[guardrails]", 'mode = "type-name"', ""]
    for number in range(roles):
        lines += ["[[switch_roles]]", f'account = "{100000000000 + number}"',
                  'role = "team/Admin"', f'display_name = "bench-{number}"',
                  'region = "eu-west-1"', 'color = "#83d4e8"', ""]
    return "\n".join(lines).encode()


def home_with(folder: Path, roles: int) -> dict[str, str]:
    environ = {"HOME": str(folder), "PATH": os.environ.get("PATH", ""),
               "LANG": "C.UTF-8"}
    config = folder / ".config" / "switcher" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[[switch_roles]]\naccount = "999999999999"\nrole = "Mine"\n')
    if roles:
        data = team_file(roles)
        store = TeamStore(folder / ".local" / "state" / "switcher")
        teams.add(store, teams.Candidate("bench", "https://bench.invalid/team.toml", data,
                                         parse_team_file(data, "bench")))
    return environ


def timed(action: object) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def line(label: str, times: list[float], size: str = "") -> None:
    print(f"{label:<40} {statistics.median(times) * 1000:>7.1f}ms "
          f"{min(times) * 1000:>7.1f}ms {max(times) * 1000:>7.1f}ms {size:>8}")


def main() -> None:
    print(f"{'settings read (in process)':<40} {'median':>9} {'min':>9} {'max':>9} "
          f"{'file':>8}")
    for roles in (0, 1_000, 5_000):
        with tempfile.TemporaryDirectory() as name:
            environ = home_with(Path(name), roles)
            times = timed(lambda e=environ: Workspace(e).settings)
            size = f"{len(team_file(roles)) / 1024:.0f}KiB" if roles else "-"
            line("no team file (baseline)" if not roles else f"team file, {roles:,} roles",
                 times, size)
    script = Path(sys.executable).with_name("switcher")
    print(f"\n{'switcher list (a process each)':<40} {'median':>9} {'min':>9} {'max':>9}")
    for roles in (0, 1_000):
        with tempfile.TemporaryDirectory() as name:
            environ = home_with(Path(name), roles)
            subprocess.run([str(script), "list"], env=environ, capture_output=True,
                           check=True)  # the first run merges and keeps the merged list
            times = timed(lambda e=environ: subprocess.run(
                [str(script), "list"], env=e, capture_output=True, check=True))
            line("no team file (baseline)" if not roles else f"team file, {roles:,} roles",
                 times)


if __name__ == "__main__":
    main()
