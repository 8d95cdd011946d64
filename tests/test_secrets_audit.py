"""The secrets audit: while console, shell, exec, env and credential-process run (with
--debug), no key, token, sign-in token or sign-in URL appears in any process's argv, in
switcher's logs or error messages, in a screenshot of the app, or in a file of ours that is
not 0600. And another local user cannot use the hand-offs (the one-use address, the
credential endpoint) that switcher gives its browser and commands."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from switcher.actions.browser import INTERNAL
from switcher.paths import sso_cache_dir
from switcher.tui.app import SwitcherApp
from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.other_user import FETCH, other_user_python, refused

SNOOP = """
import json, os, pathlib, sys
seen = []
for cmdline in pathlib.Path('/proc').glob('[0-9]*/cmdline'):
    try:
        seen.append(cmdline.read_bytes().decode('utf-8', 'replace'))
    except OSError:
        pass
pathlib.Path(os.environ['SNOOP_OUT']).open('a').write(json.dumps(seen) + '\\n')
"""


def _secrets(setup: Setup) -> list[str]:
    state = setup.emulator.state
    found = [c.secret_access_key for c in state.credentials.values()]
    found += [c.session_token for c in state.credentials.values() if c.session_token]
    found += list(state.tokens) + [r for r in state.refresh_tokens]
    found += [s for s in state.signin_tokens]
    return [s for s in found if len(s) >= 16]


def test_no_secret_leaks_anywhere(signed_in: Workspace, setup: Setup, tmp_path: Path) -> None:
    signed_in.targets()
    snoop = tmp_path / "snoop.py"
    snoop.write_text(SNOOP)
    snooped = tmp_path / "argv.jsonl"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\nSNOOP_OUT={snooped} {sys.executable} {snoop}\n"
                       f'{sys.executable} -c "import urllib.request,sys; '
                       f'urllib.request.urlopen(sys.argv[1]).read()" "$1"\n')
    browser.chmod(0o700)
    environment = dict(os.environ, SNOOP_OUT=str(snooped), SWITCHER_BROWSER=f"{browser} {{url}}",
                       SHELL=str(tmp_path / "shell.sh"))
    (tmp_path / "shell.sh").write_text(f"#!/bin/sh\nexec {sys.executable} {snoop}\n")
    (tmp_path / "shell.sh").chmod(0o700)
    switcher = [sys.executable, "-m", "switcher", "--debug"]
    runs = [
        [*switcher, "console", "payments-dev/ReadOnlyAccess"],
        [*switcher, "console", "shared-deployer", "--method", "federation"],
        [*switcher, "shell", "storefront-dev/ReadOnlyAccess"],
        [*switcher, "exec", "payments-staging/PowerUserAccess", "--", sys.executable,
         str(snoop)],
        [*switcher, "exec", "payments-prod/ReadOnlyAccess", "--yes", "--endpoint", "--",
         sys.executable, str(snoop)],
        [*switcher, "env", "storefront-dev/ReadOnlyAccess"],
        [*switcher, "credential-process", "storefront-dev/ReadOnlyAccess"],
        [*switcher, "exec", "nope/nothing", "--", "true"],  # an error path
        # The warm front door (no --debug: that goes to the full command line), served from
        # the credential cache the runs above filled.
        [sys.executable, "-m", "switcher", "exec", "payments-staging/PowerUserAccess", "--",
         sys.executable, str(snoop)],
        [sys.executable, "-m", "switcher", "env", "storefront-dev/ReadOnlyAccess"],
        [sys.executable, "-m", "switcher", "credential-process",
         "storefront-dev/ReadOnlyAccess"],
    ]
    logs = []
    for argv in runs:
        finished = subprocess.run(argv, env=environment, capture_output=True, text=True,
                                  timeout=120, check=False)
        logs.append(finished.stderr)
        assert finished.returncode == (1 if "nope/nothing" in argv else 0), finished.stderr
    app = SwitcherApp(Workspace(dict(os.environ, SWITCHER_BROWSER=INTERNAL)))

    async def screenshot() -> str:
        async with app.run_test(size=(120, 32)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press(*"payments-dev read", "enter", "ctrl+l")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            return str(app.export_screenshot())

    import asyncio

    svg = asyncio.run(screenshot())
    secrets = _secrets(setup)
    assert len(secrets) > 20  # keys, tokens and sign-in tokens were issued meanwhile
    argvs = [line for text in snooped.read_text().splitlines() for line in json.loads(text)]
    assert len(argvs) >= 5
    places = {"argv": "\n".join(argvs), "logs": "\n".join(logs), "screenshot": svg}
    for place, text in places.items():
        leaked = [s[:8] + "…" for s in secrets if s in text]
        assert not leaked, f"secrets in {place}: {leaked}"
    assert "SigninToken=" not in places["logs"] + places["argv"]
    # `switcher list`'s kept answer (the full command line keeps it, the front door serves
    # it) holds the environment's secrets only by their presence.
    listing = dict(environment, AWS_SECRET_ACCESS_KEY=secrets[0], AWS_SESSION_TOKEN=secrets[1])
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "switcher", "list"], env=listing, check=True,
                       capture_output=True, timeout=120)
    answer = (Path(os.environ["SWITCHER_CACHE_DIR"]) / "list-answer").read_bytes()
    assert b"(set)" in answer and not [s for s in secrets if s.encode() in answer]
    ours = [*(Path(os.environ[name]) for name in ("SWITCHER_CACHE_DIR", "SWITCHER_STATE_DIR",
                                                  "SWITCHER_CONFIG_DIR")), sso_cache_dir()]
    for folder in ours:
        for path in (p for p in folder.rglob("*") if p.is_file()):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # The warm credential cache: keys and tokens, in a folder only its owner can enter.
    warm = Path(os.environ["SWITCHER_CACHE_DIR"]) / "credentials"
    assert stat.S_IMODE(warm.stat().st_mode) == 0o700
    entries = list(warm.glob("*.json"))
    assert len(entries) >= 3 and any(s in p.read_text() for p in entries for s in secrets)


ATTACK = """
import json, os, subprocess, sys
if len(sys.argv) > 1:  # the browser, given the one-use address
    url, headers = sys.argv[1], []
else:  # a command run with --endpoint
    url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    headers = ["Authorization: " + os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]]
fetch = ["-c", os.environ["FETCH"], url, "stop", *headers]
theirs = subprocess.run([*json.loads(os.environ["ATTACKER"]), *fetch], cwd="/",
                        capture_output=True, text=True).stdout.strip()
ours = subprocess.run([sys.executable, *fetch], capture_output=True, text=True).stdout.strip()
with open(os.environ["OUTCOMES"], "a") as outcomes:
    outcomes.write(json.dumps({"theirs": theirs, "ours": ours}) + "\\n")
"""


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_other_users_cannot_use_the_hand_offs(signed_in: Workspace, tmp_path: Path) -> None:
    """Another local user can read the one-use address on the browser's command line and find
    the credential endpoint's port (and, somehow, its token): as uid 65534 both refuse them,
    and switcher's own browser and command still get through."""
    signed_in.targets()
    attacker = other_user_python()
    attack = tmp_path / "attack.py"
    attack.write_text(ATTACK)
    outcomes = tmp_path / "outcomes.jsonl"
    environment = dict(os.environ, ATTACKER=json.dumps(attacker), FETCH=FETCH,
                       OUTCOMES=str(outcomes),
                       SWITCHER_BROWSER=f"{sys.executable} {attack} {{url}}")
    switcher = [sys.executable, "-m", "switcher"]
    for argv in ([*switcher, "console", "payments-prod/ReadOnlyAccess", "--yes"],
                 [*switcher, "exec", "payments-prod/ReadOnlyAccess", "--yes", "--endpoint", "--",
                  sys.executable, str(attack)]):
        finished = subprocess.run(argv, env=environment, capture_output=True, text=True,
                                  timeout=120, check=False)
        assert finished.returncode == 0, finished.stderr
    deadline = time.monotonic() + 30  # the browser runs on after switcher exits
    while len(_lines(outcomes)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    seen = [json.loads(line) for line in _lines(outcomes)]
    assert len(seen) == 2
    assert all(refused(outcome["theirs"]) for outcome in seen), seen
    assert sorted(outcome["ours"] for outcome in seen) == ["200", "302"], seen
