"""`switcher populate`: a managed block of profiles in ~/.aws/config, usable by boto3."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from switcher.store.populate import BEGIN, END
from switcher.workspace import Workspace
from tests.conftest import Setup


def _populate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", "populate", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_populate_is_idempotent_and_keeps_the_rest(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    config = Path(os.environ["AWS_CONFIG_FILE"])
    original = config.read_text() + "\n# a comment of mine\n[profile mine]\nregion = x\n"
    config.write_text(original)
    dry = _populate("--dry-run")
    assert dry.returncode == 0 and dry.stdout.startswith("---")
    assert "+[profile payments-prod.ReadOnlyAccess]" in dry.stdout
    assert config.read_text() == original  # a dry run changes nothing
    first = _populate()
    assert first.returncode == 0, first.stderr
    text = config.read_text()
    assert text.startswith(original) and text.count(BEGIN) == 1 and text.rstrip().endswith(END)
    backups = list(config.parent.glob("config.switcher-backup-*"))
    assert len(backups) == 1 and backups[0].read_text() == original
    second = _populate()
    assert "nothing to do" in second.stderr and config.read_text() == text
    assert len(list(config.parent.glob("config.switcher-backup-*"))) == 1
    # profiles the user already had for a target are not duplicated
    assert "[profile acme-management.AdministratorAccess]" not in text
    # botocore reads the token switcher's sign-in left in ~/.aws/sso/cache
    # (in a new process: botocore fixes the cache folder from HOME when it is imported)
    check = ("import boto3; print(boto3.Session(profile_name='payments-staging.PowerUserAccess')"
             ".client('sts', region_name='us-east-1').get_caller_identity()['Arn'])")
    arn = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert f"::{setup.account_id('payments-staging')}:assumed-role/" in arn


def test_populate_rewrites_only_its_block(signed_in: Workspace) -> None:
    signed_in.targets()
    config = Path(os.environ["AWS_CONFIG_FILE"])
    assert _populate("--template", "{environment}-{account_name}-{role_name}").returncode == 0
    with config.open("a") as stream:
        stream.write("\n[profile after-the-block]\nregion = y\n")
    kept = config.read_text()
    assert _populate().returncode == 0
    text = config.read_text()
    assert "[profile production-payments-prod.ReadOnlyAccess]" not in text
    assert "[profile payments-prod.ReadOnlyAccess]" in text
    assert text.endswith("[profile after-the-block]\nregion = y\n")
    assert text[: text.index(BEGIN)] == kept[: kept.index(BEGIN)]


def test_populate_keeps_crlf_the_symlink_and_the_mode(signed_in: Workspace,
                                                      tmp_path: Path) -> None:
    signed_in.targets()
    link = Path(os.environ["AWS_CONFIG_FILE"])
    original = (link.read_text().replace("\n", "\r\n") + "[profile mine]  \r\nregion = x").encode()
    real = tmp_path / "dotfiles" / "aws-config"
    real.parent.mkdir()
    real.write_bytes(original)
    real.chmod(0o644)
    link.unlink()
    link.symlink_to(real)
    first = _populate()
    assert first.returncode == 0, first.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    data = real.read_bytes()
    assert data.startswith(original + b"\r\n\r\n" + BEGIN.encode() + b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends as the file's do
    second = _populate()
    assert "nothing to do" in second.stderr and real.read_bytes() == data


def _block(config: Path) -> str:
    text = config.read_text()
    return text[text.index(BEGIN):]


def test_populate_reads_the_file_as_it_is_now(signed_in: Workspace, setup: Setup) -> None:
    signed_in.refresh()
    config = Path(os.environ["AWS_CONFIG_FILE"])
    account = setup.account_id("payments-prod")
    with config.open("a") as stream:  # added after the refresh that made the cache
        stream.write(f"\n[profile mine]\nsso_session = emulator\nsso_account_id = {account}\n"
                     "sso_role_name = ReadOnlyAccess\n")
    first = _populate()
    assert first.returncode == 0, first.stderr
    assert "payments-prod/ReadOnlyAccess: already there: mine" in first.stderr
    assert f"sso_account_id = {account}\nsso_role_name = ReadOnlyAccess" not in _block(config)


def test_a_cache_made_under_another_config_adds_no_duplicates(signed_in: Workspace,
                                                              tmp_path: Path) -> None:
    config = Path(os.environ["AWS_CONFIG_FILE"])
    sessions_only = tmp_path / "sessions-only"
    text = config.read_text()
    sessions_only.write_text(text[: text.index("[profile ")])
    made = subprocess.run([sys.executable, "-m", "switcher", "list", "--refresh"],
                          env={**os.environ, "AWS_CONFIG_FILE": str(sessions_only)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    profiles = Workspace().aws_config.profiles
    first = _populate()
    assert first.returncode == 0, first.stderr
    block = _block(config)
    for name, values in profiles.items():
        if values.get("sso_account_id"):
            assert f": already there: {name}" in first.stderr
            assert (f"sso_account_id = {values['sso_account_id']}\n"
                    f"sso_role_name = {values['sso_role_name']}\n") not in block


def test_populated_profiles_work_without_a_region_option(signed_in: Workspace) -> None:
    signed_in.targets()
    assert _populate().returncode == 0
    config = Path(os.environ["AWS_CONFIG_FILE"])
    block = _block(config)
    assert block.count("sso_role_name = ") == block.count("\nregion = us-east-1\n")
    # botocore (and AWS CLI v1) fail with "You must specify a region" without one
    check = ("import boto3; print(boto3.Session(profile_name='payments-staging.PowerUserAccess')"
             ".region_name)")
    region = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            timeout=60, check=True).stdout.strip()
    assert region == "us-east-1"
