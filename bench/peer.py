"""switcher side by side with aws-sso-util (installed from PyPI into its own virtualenv here),
pointed at the same emulator through AWS_ENDPOINT_URL_SSO and a prepared token cache.

    ./dev bench-peer [--accounts 300 2000] [--latency 0 30] [--throttle off on] [--runs N]
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

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs
from switcher.store import populate
from switcher.workspace import Workspace

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


def one_case(accounts: int, latency: float, throttle: bool,
             with_populate: bool = True) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as name, Emulator(
            generated_organization(accounts), Knobs(latency_ms=latency, throttle=throttle)
    ) as emulator:
        folder = Path(name)
        os.environ.update(write_profile_dir(folder / "aws", emulator))
        rate = 20.0 if throttle else 10_000.0
        workspace = Workspace(clients=ClientFactory(identity_center_rate=rate))
        instance = workspace.instances()[0]
        token = workspace.login(instance, lambda _c, url: _approve(url), _approve)
        calls_before = emulator.state.calls.get("sso.ListAccountRoles", 0)
        started = time.perf_counter()
        refresh = workspace.refresh()
        ours = time.perf_counter() - started
        calls = emulator.state.calls.get("sso.ListAccountRoles", 0) - calls_before
        roles = sum(1 for t in refresh.targets if t.way.kind.value == "sso")
        started = time.perf_counter()
        result = populate.plan(workspace.aws_config.path, refresh.targets,
                               set(workspace.aws_config.profiles))
        populate.apply(workspace.aws_config.path, result)
        ours_populate = ours + time.perf_counter() - started
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
        throttled_before = emulator.state.throttled
        started = time.perf_counter()
        listed = subprocess.run([str(PEER), "roles", "--sso-start-url", start_url,
                                 "--sso-region", "us-east-1"], env=environment,
                                capture_output=True, text=True, timeout=3600, check=False)
        peer = time.perf_counter() - started
        peer_roles = max(0, len(listed.stdout.splitlines()) - 1) if listed.returncode == 0 else 0
        peer_populate, populated_ok = float("nan"), False
        if with_populate:
            started = time.perf_counter()
            populated = subprocess.run([str(PEER), "configure", "populate", "--sso-start-url",
                                        start_url, "--sso-region", "us-east-1", "--region",
                                        "us-east-1"], env=environment, capture_output=True,
                                       text=True, timeout=3600, check=False)
            peer_populate = time.perf_counter() - started
            populated_ok = populated.returncode == 0
        return {"ours": ours, "peer": peer, "roles": roles, "peer_roles": peer_roles,
                "failed": len(refresh.failed_accounts), "bound": (calls + accounts / 100) / 20,
                "peer_throttled": emulator.state.throttled - throttled_before,
                "ours_populate": ours_populate, "peer_populate": peer_populate,
                "peer_populate_ok": float(populated_ok)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 30.0])
    parser.add_argument("--throttle", nargs="+", default=["off", "on"], choices=["off", "on"])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-populate", action="store_true",
                        help="compare listing only (aws-sso-util's populate takes minutes)")
    args = parser.parse_args(argv)
    install_peer()
    print(f"{'case':<30} {'switcher':>9} {'peer':>9} {'ratio':>6} {'20/s bound':>10} "
          f"{'roles (peer)':>13} {'failed':>6} {'populate ours/peer':>19}")
    for accounts in args.accounts:
        for latency in args.latency:
            for throttle in args.throttle:
                runs = [one_case(accounts, latency, throttle == "on", not args.no_populate)
                        for _ in range(args.runs)]
                ours = statistics.median(r["ours"] for r in runs)
                peer = statistics.median(r["peer"] for r in runs)
                last = runs[-1]
                name = f"{accounts} acc, {latency:.0f} ms, throttle {throttle}"
                print(f"{name:<30} {ours:>8.1f}s {peer:>8.1f}s {peer / ours:>6.1f} "
                      f"{last['bound']:>9.1f}s {last['roles']:>6.0f} ({last['peer_roles']:.0f})"
                      f" {last['failed']:>6.0f} {last['ours_populate']:>8.1f}s/"
                      f"{last['peer_populate']:.1f}s", flush=True)


if __name__ == "__main__":
    main()
