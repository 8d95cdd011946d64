"""Every benchmark, one after the other: `./dev bench` (about 40 minutes, most of it
aws-sso-util's side of the comparison; `--no-peer` leaves that out: about 15 minutes).
Each benchmark starts its own emulator on a free port."""

from __future__ import annotations

import argparse
import os
import platform
import time

from bench import (
    cache,
    cold_start,
    colours,
    completion,
    console,
    credential_renewal,
    discovery,
    hot_paths,
    peer,
    populate,
    soak,
    targeted,
    teams,
    tui,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-peer", action="store_true",
                        help="leave out the side-by-side runs with aws-sso-util")
    parser.add_argument("--peer-limit", type=float, default=240.0,
                        help="stop an aws-sso-util command after this many seconds")
    parser.add_argument("--soak", type=float, metavar="MINUTES",
                        help="only the soak run: the app for MINUTES after its first discovery "
                             "(short tokens and credentials, injected errors; bench/soak.py)")
    args = parser.parse_args()
    if args.soak is not None:
        soak.main([str(args.soak)])
        return
    started = time.monotonic()
    print(f"switcher benchmarks, {time.strftime('%Y-%m-%d %H:%M %Z')}, Python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    sections = [
        ("environment colours under colour-vision deficiencies", colours.main),
        ("inventory cache", cache.main),
        ("app from the cache", tui.main),
        ("enter to browser", console.main),
        ("shell completion of target names", lambda: completion.main([])),
        ("commands run again and again (credential-process, exec, env, list)", hot_paths.main),
        ("credentials near expiry: SDK calls back to the endpoint", credential_renewal.main),
        ("writing profiles (populate)", populate.main),
        ("team files read on every run", teams.main),
        ("no cache: first discovery in the app", cold_start.main),
        ("no cache: a named target's console (CLI and app)", targeted.main),
        ("discovery of 2,000 accounts", lambda: discovery.main(["--with-throttle"])),
    ]
    if not args.no_peer:
        sections.append(("side by side with aws-sso-util",
                         lambda: peer.main(["--limit", str(args.peer_limit)])))
    for title, run in sections:
        print(f"\n== {title} ==", flush=True)
        run()
    print(f"\n(all benchmarks: {(time.monotonic() - started) / 60:.0f} minutes)")


if __name__ == "__main__":
    main()
