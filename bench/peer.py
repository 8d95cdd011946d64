"""switcher side by side with aws-sso-util (installed from PyPI into its own virtualenv here),
pointed at the same emulator through AWS_ENDPOINT_URL_SSO and a prepared token cache.

    ./dev bench-peer [--accounts 300 2000] [--latency 0 30] [--throttle off on] [--runs N]
                     [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import hashlib
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
from switcher.workspace import Workspace

OURS = r"""
import json, sys, time
from switcher.clients import ClientFactory
from switcher.store import populate
from switcher.workspace import Workspace

workspace = Workspace(clients=ClientFactory(identity_center_rate=float(sys.argv[1])))
refresh = workspace.refresh()
refreshed = time.perf_counter()
plan = populate.plan(workspace.aws_config.path, refresh.targets,
                     set(workspace.aws_config.profiles))
populate.apply(workspace.aws_config.path, plan)
print(json.dumps({"populate": time.perf_counter() - refreshed,
                  "roles": sum(1 for t in refresh.targets if t.way.kind.value == "sso"),
                  "failed": len(refresh.failed_accounts)}))
"""
PEER_VENV = Path(__file__).resolve().parent / ".peer-venv"
PEER = PEER_VENV / "bin" / "aws-sso-util"


def install_peer() -> None:
    if PEER.exists():
        return
    print("installing aws-sso-util into bench/.peer-venv …", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "--quiet", "aws-sso-util"],
                   check=True)


def _approve(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def _run_peer(arguments: list[str], environment: dict[str, str], limit: float
              ) -> tuple[float, subprocess.CompletedProcess[str] | None]:
    """Seconds the peer took, and its result; None when it ran past `limit` and was stopped."""
    started = time.perf_counter()
    try:
        finished = subprocess.run([str(PEER), *arguments], env=environment, capture_output=True,
                                  text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, None
    return time.perf_counter() - started, finished


def one_case(accounts: int, latency: float, throttle: bool, limit: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as name, Emulator(
            generated_organization(accounts), Knobs(latency_ms=latency, throttle=throttle)
    ) as emulator:
        folder = Path(name)
        os.environ.update(write_profile_dir(folder / "aws", emulator))
        rate = 20.0 if throttle else 10_000.0
        workspace = Workspace()
        instance = workspace.instances()[0]
        token = workspace.login(instance, lambda _c, url: _approve(url), _approve)
        calls_before = emulator.state.calls.get("sso.ListAccountRoles", 0)
        throttled_before = emulator.state.throttled
        # In a process of its own, as the peer is: the emulator's threads would otherwise
        # share switcher's interpreter lock.
        # From process start, as the peer's times are.
        started = time.perf_counter()
        finished = subprocess.run([sys.executable, "-c", OURS, str(rate)], capture_output=True,
                                  text=True, timeout=3600, check=True)
        ours_populate = time.perf_counter() - started
        figures = json.loads(finished.stdout.strip().splitlines()[-1])
        ours = ours_populate - figures["populate"]
        roles, failed = figures["roles"], figures["failed"]
        calls = emulator.state.calls.get("sso.ListAccountRoles", 0) - calls_before
        ours_throttled = emulator.state.throttled - throttled_before
        # the peer: same emulator, its own HOME with the token where it looks for it
        home = folder / "peer-home"
        cache = home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True)
        start_url = emulator.state.organization.start_url
        key = hashlib.sha1(start_url.encode()).hexdigest()
        (cache / f"{key}.json").write_text(json.dumps(token.to_cache()))
        environment = {"HOME": str(home), "PATH": os.environ.get("PATH", ""),
                       "AWS_ENDPOINT_URL_SSO": emulator.url,
                       "AWS_ENDPOINT_URL_SSO_OIDC": emulator.url,
                       "AWS_CONFIG_FILE": str(folder / "peer-config")}
        where = ["--sso-start-url", start_url, "--sso-region", "us-east-1"]
        throttled_before = emulator.state.throttled
        peer, listed = _run_peer(["roles", *where], environment, limit)
        peer_throttled = emulator.state.throttled - throttled_before
        peer_roles = (max(0, len(listed.stdout.splitlines()) - 1)
                      if listed is not None and listed.returncode == 0 else 0)
        peer_populate, populated = _run_peer(["configure", "populate", *where, "--region",
                                              "us-east-1"], environment, limit)
        return {"ours": ours, "peer": peer, "roles": roles, "peer_roles": peer_roles,
                "peer_done": float(listed is not None),
                "peer_failed": float(listed is None or listed.returncode != 0),
                "failed": failed, "bound": (calls + accounts / 100) / 20,
                "ours_throttled": ours_throttled, "peer_throttled": peer_throttled,
                "ours_populate": ours_populate, "peer_populate": peer_populate,
                "peer_populate_done": float(populated is not None),
                "peer_populate_ok": float(populated is not None and populated.returncode == 0)}


def _seconds(value: float, done: float = 1.0) -> str:
    return f"{value:.1f}s" if done else f">{value:.0f}s"


def _pair(figures: dict[str, float], ours: str, peer: str) -> str:
    return f"{figures[ours]:.0f} ({figures[peer]:.0f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 30.0])
    parser.add_argument("--throttle", nargs="+", default=["off", "on"], choices=["off", "on"])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=240.0,
                        help="stop a peer command after this many seconds (reported as >N s); "
                             "its populate rewrites the whole file once per profile")
    args = parser.parse_args(argv)
    install_peer()
    print("Listing every account and role (switcher: a refresh; peer: `aws-sso-util roles`), "
          "then writing a profile for each (peer: `configure populate`, which lists again).")
    print("bound = what the 20 requests/s quota allows for the calls made; x bound = time / "
          "bound; throttled = 429 answers (retried); failed = accounts or commands that failed.")
    print(f"{'case':<27} {'switcher':>9} {'peer':>9} {'ratio':>6} {'bound':>7} "
          f"{'x bound (peer)':>15} {'roles (peer)':>13} {'throttled (peer)':>17} "
          f"{'failed (peer)':>14} {'populate: switcher':>19} {'peer':>7} {'ratio':>6}")
    for accounts in args.accounts:
        for latency in args.latency:
            for throttle in args.throttle:
                runs = [one_case(accounts, latency, throttle == "on", args.limit)
                        for _ in range(args.runs)]
                ours = statistics.median(r["ours"] for r in runs)
                peer = statistics.median(r["peer"] for r in runs)
                ours_populate = statistics.median(r["ours_populate"] for r in runs)
                peer_populate = statistics.median(r["peer_populate"] for r in runs)
                last = runs[-1]
                bound = last["bound"]
                name = f"{accounts} acc, {latency:.0f} ms, throttle {throttle}"
                ratio = ">" if not last["peer_done"] else ""
                populate_ratio = ">" if not last["peer_populate_done"] else ""
                print(f"{name:<27} {ours:>8.1f}s {_seconds(peer, last['peer_done']):>9} "
                      f"{ratio + f'{peer / ours:.1f}':>6} {bound:>6.1f}s "
                      f"{f'{ours / bound:.2f} ({peer / bound:.2f})':>15} "
                      f"{_pair(last, 'roles', 'peer_roles'):>13} "
                      f"{_pair(last, 'ours_throttled', 'peer_throttled'):>17} "
                      f"{_pair(last, 'failed', 'peer_failed'):>14} "
                      f"{ours_populate:>18.1f}s "
                      f"{_seconds(peer_populate, last['peer_populate_done']):>7} "
                      f"{populate_ratio + f'{peer_populate / ours_populate:.0f}':>6}",
                      flush=True)


if __name__ == "__main__":
    main()
