"""The commands other programs run again and again: `credential-process` (every `aws` command
and SDK process with `credential_process = switcher credential-process …`), `exec`, `env` and
`list` from the cache. Wall time and peak memory of each, from process start to exit, against a
bare `python -c pass` measured in the same rounds (runs are interleaved, so the machine's
drift hits every line alike).

Warm: nothing changed since the last call. Cold: a refresh is due (the credential cache is
emptied before each run), so the command signs the request to AWS as it did before there was
a cache. Bytecode is written to a private folder first, as an installed package has it."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator

TARGET = "storefront-dev/ReadOnlyAccess"
TRUE = shutil.which("true") or "/bin/true"
GOALS = {"credential-process, warm": "<= 60 ms, <= 6x bare", "exec -- true, warm": "<= 80 ms",
         "list, from the cache": "<= 60 ms", "list, 10,000 targets": "<= 60 ms",
         "list --json, 10,000 targets": "<= 60 ms"}
LARGE = 10_000


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def _switcher() -> list[str]:
    script = Path(sys.executable).with_name("switcher")
    return [str(script)] if script.exists() else [sys.executable, "-m", "switcher"]


RUNNER = r"""
import json, os, shutil, sys, tempfile, time

def run(argv, environment):
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, environment, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, errors.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(" ".join(argv) + " failed: " + errors.read().decode(errors="replace"))
    return elapsed, usage.ru_maxrss / 1024

plan = json.load(sys.stdin)
for line in plan["lines"]:  # bytecode written, the credential cache filled, list's answer kept
    run(line["argv"], line.get("environment") or plan["environment"])
results = {line["label"]: [] for line in plan["lines"]}
for _ in range(plan["runs"]):
    for line in plan["lines"]:
        if line["empty"]:
            shutil.rmtree(plan["empty"], ignore_errors=True)
        results[line["label"]].append(run(line["argv"],
                                          line.get("environment") or plan["environment"]))
with open("/proc/self/status") as status:  # this process's own peak (VmHWM), in MiB
    results["floor"] = next((int(line.split()[1]) / 1024 for line in status
                             if line.startswith("VmHWM:")), 0.0)
print(json.dumps(results))
"""
"""Times the runs in a small process of its own: a child's peak memory (ru_maxrss) counts the
memory of whatever process started it, and this one holds botocore and the emulator."""


def _large_inventory(folder: Path, environment: dict[str, str]) -> dict[str, str]:
    """An environment whose inventory cache holds LARGE targets (an Identity Center
    instance the AWS config names, signed out: `list` shows the cached discovery)."""
    from bench.cache import synthetic_targets
    from bench.tui import SIGNED_OUT
    from switcher.store.inventory import InventoryCache

    InventoryCache(folder / "cache" / "inventory.json").save(
        synthetic_targets(LARGE // 3 + 1)[:LARGE])
    (folder / "config.ini").write_text(SIGNED_OUT)
    return {k: v for k, v in environment.items() if not k.startswith(("AWS_", "SWITCHER_"))
            } | {"HOME": str(folder), "SWITCHER_CACHE_DIR": str(folder / "cache"),
                 "SWITCHER_CONFIG_DIR": str(folder / "config"),
                 "SWITCHER_STATE_DIR": str(folder / "state"),
                 "AWS_CONFIG_FILE": str(folder / "config.ini")}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name, Emulator() as emulator:
        folder = Path(name)
        profile = write_profile_dir(folder / "aws", emulator)
        os.environ.update(profile)  # botocore reads the endpoints from here
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"
                       and not k.startswith(("AWS_", "SWITCHER_"))}
        environment.update(profile, HOME=str(folder), PYTHONPYCACHEPREFIX=str(folder / "pyc"))
        from switcher.workspace import Workspace

        workspace = Workspace(environment)
        for instance in workspace.instances():
            workspace.login(instance, lambda _c, url: _approve(url), _approve)
        workspace.targets()  # the inventory cache, as after any `switcher list`
        credentials = Path(profile["SWITCHER_CACHE_DIR"]) / "credentials"

        switcher = _switcher()
        large = _large_inventory(folder / "large", environment)
        lines = [
            ("bare python -c pass", [sys.executable, "-c", "pass"], False),
            ("credential-process, warm", [*switcher, "credential-process", TARGET], False),
            ("credential-process, cold", [*switcher, "credential-process", TARGET], True),
            ("exec -- true, warm", [*switcher, "exec", TARGET, "--", TRUE], False),
            ("exec -- true, cold", [*switcher, "exec", TARGET, "--", TRUE], True),
            ("env, warm", [*switcher, "env", TARGET], False),
            ("list, from the cache", [*switcher, "list"], False),
        ]
        plan = {"runs": args.runs, "environment": environment, "empty": str(credentials),
                "lines": [{"label": label, "argv": argv, "empty": empty}
                          for label, argv, empty in lines]}
        plan["lines"] += [  # type: ignore[operator]
            {"label": f"list{form}, {LARGE:,} targets", "argv": [*switcher, "list", *option],
             "empty": False, "environment": large}
            for form, option in (("", []), (" --json", ["--json"]))]
        calls_before = dict(emulator.state.calls)
        finished = subprocess.run([sys.executable, "-I", "-S", "-c", RUNNER],
                                  input=json.dumps(plan), capture_output=True, text=True,
                                  check=False)
        if finished.returncode != 0:
            raise SystemExit(finished.stderr)
        results = json.loads(finished.stdout)
        floor: float = results.pop("floor")
        calls = {name: count - calls_before.get(name, 0)
                 for name, count in emulator.state.calls.items()
                 if count != calls_before.get(name, 0)}
    times = {label: [r[0] for r in runs] for label, runs in results.items()}
    memory = {label: [r[1] for r in runs] for label, runs in results.items()}
    bare = statistics.median(times["bare python -c pass"])
    print(f"{'command (' + str(args.runs) + ' runs each)':<28} {'median':>8} {'min':>8} "
          f"{'max':>8} {'x bare':>7} {'peak RSS':>9}  goal")
    for label in times:
        median = statistics.median(times[label])
        print(f"{label:<28} {median * 1000:>6.1f}ms {min(times[label]) * 1000:>6.1f}ms "
              f"{max(times[label]) * 1000:>6.1f}ms {median / bare:>6.1f}x "
              f"{statistics.median(memory[label]):>6.1f}MiB  {GOALS.get(label, '')}")
    print(f"(AWS calls, warm-up runs included: {calls}; a peak RSS is never below the timing "
          f"process's own, {floor:.1f} MiB)")


if __name__ == "__main__":
    main()
