"""A working day, shortened: the app (headless, driven by Pilot, in a process of its own)
against the emulator with 1,000 accounts, 20 ms latency, 5% injected errors, 120-second
tokens and 60-second credentials. After the first discovery, MINUTES more: scripted use for
the first half (filter, the dialogs, the region picker, refreshes, credential fetches), then
idle. Prints the app's memory (RSS) each minute, CPU while idle, refreshes, token renewals,
failures, lost targets and sign-in prompts.

`./dev bench --soak MINUTES` (or `python -m bench.soak MINUTES`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs

ACCOUNTS = 1000
KNOBS = {"latency_ms": 20.0, "error_rate": 0.05, "token_ttl": 120, "credential_ttl": 60}

CHILD = r"""
import asyncio, json, os, random, sys, time
from switcher.auth.oidc import SignIn
from switcher.errors import SwitcherError
from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace

minutes = float(sys.argv[1])
counts = {"refreshes": 0, "renewals": 0, "credential_fetches": 0, "credential_failures": 0,
          "sign_in_prompts": 0, "lost_targets": 0, "error_notices": 0}
known = set()

refreshed, code_shown = MainScreen.on_inventory_refreshed, MainScreen.on_sign_in_code_shown
renew = SignIn.refresh

def on_inventory_refreshed(screen, message):
    refreshed(screen, message)
    counts["refreshes"] += 1
    shown = {t.key for t in screen.query_one(TargetTable).targets}
    if known:
        counts["lost_targets"] = max(counts["lost_targets"], len(known - shown))
    known.update(shown)

def on_sign_in_code_shown(screen, message):
    counts["sign_in_prompts"] += 1
    code_shown(screen, message)

def refresh(self, instance, token):
    answer = renew(self, instance, token)
    counts["renewals"] += answer is not None
    return answer

MainScreen.on_inventory_refreshed = on_inventory_refreshed
MainScreen.on_sign_in_code_shown = on_sign_in_code_shown
SignIn.refresh = refresh

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def cpu():
    t = os.times()
    return t.user + t.system

def report(kind, **extra):
    print(json.dumps({"kind": kind, "t": round(time.monotonic() - started, 1),
                      "rss_mb": round(rss_mb(), 1), "cpu_s": round(cpu(), 2), **counts,
                      **extra}), flush=True)

class Notices(SwitcherApp):
    def notify(self, message, **kwargs):
        text = str(message).lower()
        if "not signed in" in text or "sign in" in text and "switcher login" in text:
            counts["sign_in_prompts"] += 1
        if kwargs.get("severity") == "error":
            counts["error_notices"] += 1
        super().notify(message, **kwargs)

async def main():
    global started
    workspace = Workspace()
    app = Notices(workspace)
    random.seed(7)
    started = time.monotonic()
    async with app.run_test(size=(160, 48)) as pilot:
        while counts["refreshes"] == 0:
            await pilot.pause(0.5)
        report("first refresh")
        first = time.monotonic()
        end = first + minutes * 60
        scripted_until = first + minutes * 30
        next_report = time.monotonic() + 60
        idle_cpu = None
        while time.monotonic() < end:
            now = time.monotonic()
            if now < scripted_until:
                for word in ("prod", "data", "team-0", "admin"):
                    await pilot.press(*word)
                    await pilot.pause(0.2)
                    await pilot.press("ctrl+u")
                for key in ("f1", "f2", "ctrl+o", "ctrl+g"):
                    await pilot.press(key)
                    await pilot.pause(0.2)
                    await pilot.press("escape")
                    await pilot.pause(0.1)
                table = app.screen.query_one(TargetTable) if len(app.screen_stack) == 2 else None
                targets = table.targets if table is not None else []
                for target in random.sample(list(targets), min(3, len(targets))):
                    counts["credential_fetches"] += 1
                    try:
                        await asyncio.to_thread(workspace.credentials, target)
                    except SwitcherError:
                        counts["credential_failures"] += 1
                if int(now - first) % 120 < 10:
                    await pilot.press("ctrl+r")
                await pilot.pause(5)
            else:
                if idle_cpu is None:
                    idle_cpu = (now, cpu())
                await pilot.pause(min(5, max(0.1, end - now)))
            if time.monotonic() >= next_report:
                report("minute")
                next_report += 60
        idle = None
        if idle_cpu is not None:
            idle = round(100 * (cpu() - idle_cpu[1]) / max(time.monotonic() - idle_cpu[0], 1e-9), 2)
        report("end", idle_cpu_percent=idle, targets=len(known))

asyncio.run(main())
"""


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def main(argv: list[str] | None = None) -> None:
    minutes = float((argv if argv is not None else sys.argv[1:] or ["5"])[0])
    from switcher.workspace import Workspace

    print(f"soak: {minutes:g} minutes, {ACCOUNTS:,} accounts, "
          + ", ".join(f"{k}={v}" for k, v in KNOBS.items()), flush=True)
    with tempfile.TemporaryDirectory() as name, Emulator(
            generated_organization(ACCOUNTS), Knobs(**KNOBS)) as emulator:  # type: ignore[arg-type]
        folder = Path(name)
        os.environ.update(write_profile_dir(folder / "aws", emulator))
        environment = {**os.environ, "HOME": str(folder)}
        workspace = Workspace(environment)
        emulator.state.knobs.error_rate = 0.0  # the sign-in itself is not the test
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: _approve(url), _approve)
        emulator.state.knobs.error_rate = KNOBS["error_rate"]
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(minutes)], env=environment,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        lines = []
        print(f"{'min':>5} {'RSS MB':>7} {'CPU s':>7} {'refreshes':>9} {'renewals':>8} "
              f"{'fetches':>7} {'failed':>6} {'lost':>4} {'sign-in':>7}", flush=True)
        for raw in child.stdout:
            line = json.loads(raw)
            lines.append(line)
            print(f"{line['t'] / 60:5.1f} {line['rss_mb']:7.1f} {line['cpu_s']:7.1f} "
                  f"{line['refreshes']:9} {line['renewals']:8} {line['credential_fetches']:7} "
                  f"{line['credential_failures']:6} {line['lost_targets']:4} "
                  f"{line['sign_in_prompts']:7}  {line['kind']}", flush=True)
        child.wait()
        injected = emulator.state.injected_errors
    if not lines:
        print("the app printed nothing")
        return
    first, last = lines[0], lines[-1]
    peak = max(line["rss_mb"] for line in lines)
    print(f"memory: {first['rss_mb']:.1f} MB after the first refresh, {last['rss_mb']:.1f} MB "
          f"at the end (growth {last['rss_mb'] - first['rss_mb']:+.1f} MB, peak {peak:.1f})")
    print(f"idle CPU: {last.get('idle_cpu_percent')}%; targets: {last.get('targets')}; "
          f"injected errors: {injected}; error notices: {last['error_notices']}")
    print(f"refreshes {last['refreshes']}, token renewals {last['renewals']}, credential "
          f"fetches {last['credential_fetches']} ({last['credential_failures']} failed), lost "
          f"targets {last['lost_targets']}, sign-in prompts {last['sign_in_prompts']}")


if __name__ == "__main__":
    main()
