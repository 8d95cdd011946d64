"""Writing to files we do not own: a backup first, every other byte kept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import boto3

from switcher.model import Credentials
from switcher.store.awsfiles import remove_sections, write_credentials, write_section
from switcher.workspace import Workspace
from tests.conftest import Setup

ORIGINAL = ("# top comment\n[default]\naws_access_key_id = AKIADEFAULT\n"
            "aws_secret_access_key = s3cr3t ; not a comment here\n\n"
            "[legacy]\naws_access_key_id = OLD\n\n[last]\nregion=eu-west-1")


def test_write_section_adds_then_replaces(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text(ORIGINAL)
    backup = write_section(path, "new", {"aws_access_key_id": "A"}, "written by switcher: x").backup
    assert backup is not None and backup.read_text() == ORIGINAL
    added = path.read_text()
    assert added.startswith(ORIGINAL + "\n")
    assert added.endswith("\n# written by switcher: x\n[new]\naws_access_key_id = A\n")
    write_section(path, "legacy", {"aws_access_key_id": "NEW"}, "written by switcher: y")
    replaced = path.read_text()
    assert "aws_access_key_id = OLD" not in replaced
    assert replaced.startswith(ORIGINAL[: ORIGINAL.index("[legacy]")])
    assert "# written by switcher: y\n[legacy]\naws_access_key_id = NEW\n\n[last]\n" in replaced
    write_section(path, "legacy", {"aws_access_key_id": "NEWER"}, "written by switcher: z")
    assert path.read_text().count("written by switcher: ") == 2  # its own comment replaced
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(list(tmp_path.glob("credentials.switcher-backup-*"))) == 3


def test_remove_section_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text(ORIGINAL)
    assert not remove_sections(path, ["nope"]).changed and path.read_text() == ORIGINAL
    assert remove_sections(path, ["legacy"]).backup is not None
    assert path.read_text() == ORIGINAL.replace("[legacy]\naws_access_key_id = OLD\n\n", "")


def test_write_credentials_names_the_target_and_expiry(tmp_path: Path) -> None:
    path = tmp_path / "aws" / "credentials"
    temporary = Credentials("ASIATEMP", "secret", "token",
                            datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc))
    assert write_credentials(path, "legacy", temporary, "dev/ReadOnly").backup is None
    assert path.read_text() == (
        "# written by switcher: dev/ReadOnly, expire 2030-01-02 03:04 UTC\n[legacy]\n"
        "aws_access_key_id = ASIATEMP\naws_secret_access_key = secret\n"
        "aws_session_token = token\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    edited = write_credentials(path, "legacy", Credentials("AKIAKEY", "secret2", ""), "keys")
    assert edited.backup is not None
    assert path.read_text() == ("# written by switcher: keys\n[legacy]\n"
                                "aws_access_key_id = AKIAKEY\naws_secret_access_key = secret2\n")


def test_write_credentials_for_legacy_tools(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    path = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    before = path.read_text()
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "write-credentials", "storefront-dev/ReadOnlyAccess",
         "--profile", "legacy-dev"], capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert path.read_text().startswith(before)
    arn = boto3.Session(profile_name="legacy-dev", region_name="us-east-1").client(
        "sts").get_caller_identity()["Arn"]
    assert f"::{setup.account_id('storefront-dev')}:assumed-role/" in arn


def test_a_newline_in_a_name_never_reaches_the_file(tmp_path: Path) -> None:
    import pytest

    from switcher.errors import ConfigError

    path = tmp_path / "credentials"
    hostile = "dev\n[default]\naws_access_key_id = AKIAEVIL\x1b]0;owned\x07"
    write_credentials(path, "legacy", Credentials("ASIATEMP", "secret", "token"), hostile)
    lines = path.read_text().splitlines()
    assert lines[0] == ("# written by switcher: dev\\x0a[default]\\x0aaws_access_key_id = "
                        "AKIAEVIL\\x1b]0;owned\\x07")
    assert lines[1] == "[legacy]" and "[default]" not in lines
    for section in ("legacy\n[default]", "legacy]", "x\x1b[2J"):
        with pytest.raises(ConfigError, match="cannot be written safely"):
            write_credentials(path, section, Credentials("A", "s", "t"), "label")


def test_write_credentials_says_when_it_tightens_the_mode(signed_in: Workspace) -> None:
    signed_in.targets()
    path = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    path.chmod(0o644)
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "write-credentials", "storefront-dev/ReadOnlyAccess",
         "--profile", "legacy-dev"], capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"{path} was mode 0644" in finished.stderr and "0600 now" in finished.stderr
