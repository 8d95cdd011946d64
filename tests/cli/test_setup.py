"""`switcher setup`: a first run on the command line adds an [sso-session] (every other byte
of ~/.aws/config kept), signs in and lists, or imports an AESR file; wrong values are refused
with the reason."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.cli import main
from switcher.store.settings import load_settings
from switcher.workspace import Workspace
from tests.conftest import Setup, approve


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ), check=False,
                          stdin=subprocess.DEVNULL)


def test_setup_adds_an_sso_session_keeping_every_other_byte(isolated_home: Path) -> None:
    config = isolated_home / ".aws" / "config"
    config.parent.mkdir()
    before = "# mine\r\n[profile dev]\r\nregion = eu-west-1   \r\n"
    config.write_bytes(before.encode())
    finished = _run("setup", "--start-url", "https://d-1234567890.awsapps.com/start",
                    "--region", "EU-West-1", "--no-login")
    assert finished.returncode == 0, finished.stderr
    after = config.read_bytes().decode()
    assert after.startswith(before)
    assert after[len(before):] == ("\r\n[sso-session d-1234567890]\r\n"
                                   "sso_start_url = https://d-1234567890.awsapps.com/start\r\n"
                                   "sso_region = eu-west-1\r\n"
                                   "sso_registration_scopes = sso:account:access\r\n")
    said = finished.stderr
    assert f"  {config}\n" in said and "(not there yet)" in said  # which files it reads
    assert f"Added [sso-session d-1234567890] to {config}" in said
    assert "switcher login --sso-session d-1234567890" in said
    assert list(config.parent.glob("config.*bak*")) or "backup" in said
    # the same name again is refused, and so are a wrong URL and a wrong region
    again = _run("setup", "--start-url", "https://d-1234567890.awsapps.com/start",
                 "--region", "eu-west-1", "--no-login")
    assert again.returncode == 1 and "[sso-session d-1234567890] is already there" in (
        again.stderr)
    wrong = _run("setup", "--start-url", "ftp://x", "--region", "eu-west-1", "--no-login")
    assert wrong.returncode == 1 and "is not a start URL" in wrong.stderr
    region = _run("setup", "--start-url", "https://a.awsapps.com/start", "--region",
                  "eu-wset-1", "--no-login")
    assert region.returncode == 2 and "eu-west-1" in region.stderr
    assert config.read_bytes().decode() == after
    nothing = _run("setup")  # no terminal to ask in, nothing given
    assert nothing.returncode == 1 and "--start-url URL --region R" in nothing.stderr


def test_setup_signs_in_and_lists(setup: Setup, isolated_home: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    emulator_config = Path(os.environ["AWS_CONFIG_FILE"]).read_text()
    start_url = re.search(r"sso_start_url = (\S+)", emulator_config)
    assert start_url is not None
    config = isolated_home / "fresh" / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    def browser(url: str, new: int = 0) -> bool:
        approve(url)  # the user's browser: the emulator approves what it visits
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    assert main(["setup", "--start-url", start_url.group(1), "--region", "us-east-1",
                 "--name", "work"]) == 0
    said = capsys.readouterr().err
    assert "Signed in to work" in said
    found = re.search(r"(\d+) targets found", said)
    assert found is not None and int(found.group(1)) > 20
    assert [t for t in Workspace().targets() if t.way.sso_session == "work"]


def test_setup_imports_an_aesr_file(isolated_home: Path) -> None:
    aesr = isolated_home / "aesr.ini"
    aesr.write_text("[shop-dev]\naws_account_id = 123456789012\nrole_name = Admin\n")
    finished = _run("setup", "--aesr", str(aesr))
    assert finished.returncode == 0, finished.stderr
    settings = load_settings(isolated_home / ".config" / "switcher" / "config.toml")
    assert settings.aesr_sources == (str(aesr),)
    assert "Added" in finished.stderr and "[aesr] sources" in finished.stderr
    missing = _run("setup", "--aesr", str(isolated_home / "nope.ini"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    other = isolated_home / "notes.ini"  # an INI file, but nothing of AESR's in it
    other.write_text("[default]\nregion = eu-west-1\n")
    refused = _run("setup", "--aesr", str(other))
    assert refused.returncode == 1 and refused.stderr.strip().endswith(
        "is not an AWS Extend Switch Roles file: no [profile] with aws_account_id and "
        "role_name, or role_arn")
    assert load_settings(isolated_home / ".config" / "switcher" / "config.toml"
                         ).aesr_sources == (str(aesr),)
