"""Enter to browser: the time and AWS round trips from choosing a target to a sign-in URL in
the browser's hands, with warm credentials (cached) and cold ones; and our own share of that
time (everything but the emulator answering: switcher, botocore, HTTP on 127.0.0.1)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from switcher.actions.browser import OneTimeRedirect
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.workspace import Workspace

AWS_CALLS = ("sso.GetRoleCredentials", "federation.getSigninToken", "sts.AssumeRole")
PRESSES = 15


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def _calls(emulator: Emulator) -> int:
    return sum(emulator.state.calls.get(name, 0) for name in AWS_CALLS)


def main() -> None:
    print(f"{'enter to browser':<26} {'median':>8} {'min':>8} {'max':>8} {'own median':>11} "
          f"{'own max':>8} {'round trips':>12}")
    with tempfile.TemporaryDirectory() as folder, Emulator() as emulator:
        os.environ.update(write_profile_dir(Path(folder), emulator))
        workspace = Workspace()
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: _approve(url), _approve)
        targets = [t for t in workspace.targets() if t.way.kind.value == "sso"][:PRESSES]
        workspace.console_url(targets[0], "eu-west-1")  # clients made, as in a running app
        for label, warm in (("cold credentials", False), ("warm credentials", True)):
            times, own, trips = [], [], []
            for target in targets:
                if warm:
                    workspace.credentials(target)
                else:
                    workspace.resolver._cache.clear()
                time.sleep(0.1)  # one press at a time, as a person does
                before, serving = _calls(emulator), emulator.state.serving_seconds
                started = time.perf_counter()
                redirect = OneTimeRedirect(workspace.console_url(target, "eu-west-1"))
                elapsed = time.perf_counter() - started
                times.append(elapsed)
                own.append(elapsed - (emulator.state.serving_seconds - serving))
                trips.append(_calls(emulator) - before)
                redirect.close()
            print(f"{label:<26} {statistics.median(times) * 1000:>6.1f}ms "
                  f"{min(times) * 1000:>6.1f}ms {max(times) * 1000:>6.1f}ms "
                  f"{statistics.median(own) * 1000:>9.1f}ms {max(own) * 1000:>6.1f}ms "
                  f"{statistics.median(trips):>12.0f}")


if __name__ == "__main__":
    main()
