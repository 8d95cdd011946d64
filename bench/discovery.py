"""Discovery of a large organisation through the emulator, against the 20 requests/s bound."""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs
from switcher.workspace import Workspace


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def measure(accounts: int, latency_ms: float, throttle: bool, runs: int) -> dict[str, float]:
    times: list[float] = []
    failed = throttled = calls = 0
    for _ in range(runs):
        knobs = Knobs(latency_ms=latency_ms, throttle=throttle)
        with tempfile.TemporaryDirectory() as folder, \
                Emulator(generated_organization(accounts), knobs) as emulator:
            os.environ.update(write_profile_dir(Path(folder), emulator))
            rate = 20.0 if throttle else 10_000.0
            workspace = Workspace(clients=ClientFactory(identity_center_rate=rate))
            for instance in workspace.instances():
                workspace.login(instance, lambda _code, url: _approve(url), _approve)
            started = time.perf_counter()
            refresh = workspace.refresh()
            times.append(time.perf_counter() - started)
            failed += len(refresh.failed_accounts)
            throttled += emulator.state.throttled
            calls = sum(v for k, v in emulator.state.calls.items()
                        if k in ("sso.ListAccounts", "sso.ListAccountRoles"))
    bound = calls / 20.0
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "calls": calls, "bound": bound, "failed": failed, "throttled": throttled}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--with-throttle", action="store_true",
                        help="also the 20 requests/s case (about 100 s a run at 2,000 accounts)")
    args = parser.parse_args(argv)
    cases = [(0.0, False), (30.0, False)]
    if args.with_throttle:
        cases.append((30.0, True))
    print(f"{'case':<34} {'median':>8} {'min':>8} {'max':>8} {'calls':>6} "
          f"{'20/s bound':>11} {'ratio':>6} {'failed':>6}")
    for latency, throttle in cases:
        runs = 1 if throttle else args.runs
        figures = measure(args.accounts, latency, throttle, runs)
        name = f"{args.accounts} accounts, {latency:.0f} ms, " + (
            "20 req/s" if throttle else "no throttle")
        ratio = figures["median"] / figures["bound"] if throttle else float("nan")
        print(f"{name:<34} {figures['median']:>7.2f}s {figures['min']:>7.2f}s "
              f"{figures['max']:>7.2f}s {figures['calls']:>6.0f} {figures['bound']:>10.1f}s "
              f"{ratio:>6.2f} {figures['failed']:>6.0f}")


if __name__ == "__main__":
    main()
