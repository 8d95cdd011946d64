"""Names carrying terminal escape sequences, Rich markup, newlines, bidi overrides and
zero-width characters, from every source, reach no output channel raw: CLI lines on stdout
and stderr, JSON, the "added" lines, banners, prompts and the files switcher writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from switcher.workspace import Workspace
from tests.conftest import Setup

HOSTILE = "x\x1b[2J\x1b]0;owned\x07\x9b31m[bold red]\u202ekcatta\u200b\nforged line"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b")


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=120, check=False, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def _assert_safe(output: str, where: str) -> None:
    for raw in RAW:
        assert raw not in output, f"{raw!r} reached {where}: {output!r}"
    assert "\nforged line" not in output, f"a newline from a name reached {where}"


def test_hostile_names_from_every_source_are_escaped_on_every_channel(
        signed_in: Workspace, setup: Setup, tmp_path: Path) -> None:
    signed_in.refresh()  # a cache, so the next refresh reports what is new
    organization = setup.emulator.state.organization
    dev = setup.account_id("storefront-dev")
    organization.accounts[dev].name = f"storefront-dev{HOSTILE}"  # Identity Center's name
    if "Billing" not in organization.accounts[dev].permission_sets:  # a new target: "added"
        organization.accounts[dev].permission_sets += ("Billing",)
    prod = setup.account_id("payments-prod")
    aesr = tmp_path / "aesr.ini"
    aesr.write_text(f"[entry{HOSTILE.replace(chr(10), ' ')}]\naws_account_id = {prod}\n"
                    "role_name = Deployer\nsource_profile = jane-iam\n")
    config_dir = Path(os.environ["SWITCHER_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text(
        f'[aesr]\nsources = ["{aesr}"]\n\n[[switch_roles]]\naccount = "{prod}"\n'
        f'role = "OrganizationAccountAccessRole"\ndisplay_name = {json.dumps(HOSTILE)}\n'
        'source_profile = "jane-iam"\n')

    channels = {"list --refresh": _run("list", "--refresh"), "list": _run("list"),
                "list --json": _run("list", "--json")}
    hostile_target = f"{dev}/ReadOnlyAccess"
    channels["exec banner"] = _run("exec", hostile_target, "--", "true")
    channels["console banner"] = _run("console", hostile_target, "--print-url")
    channels["write-credentials"] = _run("write-credentials", hostile_target, "--profile",
                                         "legacy")
    channels["a misspelt name"] = _run("exec", f"storefront-dev{HOSTILE}/Nope", "--", "true")
    for where, finished in channels.items():
        _assert_safe(finished.stdout, f"{where} (stdout)")
        _assert_safe(finished.stderr, f"{where} (stderr)")
        assert "Traceback" not in finished.stderr
    listed = channels["list --refresh"]
    assert "\\x1b[2J" in listed.stdout and "[bold red]" in listed.stdout
    assert "+ storefront-devx\\x1b[2J" in listed.stderr  # the "added" lines
    credentials = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).read_text()
    _assert_safe(credentials, "the credentials file")
    assert json.loads(channels["list --json"].stdout)
