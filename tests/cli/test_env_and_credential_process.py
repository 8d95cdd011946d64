"""`switcher env` output evaluated by a real shell, and `switcher credential-process` used by
boto3 itself as a credential source."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from switcher.actions.shell import exports
from switcher.workspace import Workspace
from tests.conftest import Setup

SWITCHER = f"{shlex.quote(sys.executable)} -m switcher"


def test_boto3_uses_switcher_as_credential_process(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + (
        "\n[profile via-switcher]\n"
        f"credential_process = {SWITCHER} credential-process storefront-dev/ReadOnlyAccess\n"
        "region = us-east-1\n"))
    session = boto3.Session(profile_name="via-switcher")
    arn = session.client("sts").get_caller_identity()["Arn"]
    account_id = setup.account_id("storefront-dev")
    assert f"::{account_id}:assumed-role/AWSReservedSSO_ReadOnlyAccess_" in arn
    frozen = session.get_credentials().get_frozen_credentials()
    assert frozen.token  # the session token came through


def test_credential_process_json_shape(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    finished = subprocess.run([sys.executable, "-m", "switcher", "credential-process",
                               "payments-dev/PowerUserAccess"], capture_output=True, text=True,
                              timeout=60, check=False)
    data = json.loads(finished.stdout)
    assert data["Version"] == 1 and data["AccountId"] == setup.account_id("payments-dev")
    assert data["Expiration"].endswith("Z") and data["SessionToken"]
    assert set(data) == {"Version", "AccessKeyId", "SecretAccessKey", "SessionToken",
                         "Expiration", "AccountId"}


def test_env_sh_is_evaluated_by_a_real_shell(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    check = ("import boto3, os; print(boto3.client('sts').get_caller_identity()['Arn'], "
             "os.environ.get('AWS_PROFILE'))")
    script = (f"export AWS_PROFILE=stale; eval \"$({SWITCHER} env "
              "payments-staging/PowerUserAccess --region eu-west-2)\"; echo REGION=$AWS_REGION; "
              f"{shlex.quote(sys.executable)} -c {shlex.quote(check)}")
    finished = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60,
                              check=False)
    assert finished.returncode == 0, finished.stderr
    assert "REGION=eu-west-2" in finished.stdout
    assert f"::{setup.account_id('payments-staging')}:" in finished.stdout
    assert finished.stdout.strip().endswith("None")  # AWS_PROFILE was unset


@pytest.mark.parametrize(("output_format", "expected"), [
    ("sh", "export A='it'\"'\"'s'"),
    ("fish", "set -gx A 'it'\"'\"'s'"),
    ("powershell", "$Env:A = 'it''s'"),
    ("dotenv", "A='it'\"'\"'s'"),
])
def test_export_formats_quote_safely(output_format: str, expected: str) -> None:
    text = exports({"A": "it's"}, ("AWS_PROFILE",), output_format)
    assert expected in text


def test_json_format_and_hostile_values() -> None:
    value = "x'; rm -rf / #$(touch /tmp/owned)"
    assert json.loads(exports({"A": value}, (), "json")) == {"A": value}
    shown = subprocess.run(["sh", "-c", exports({"A": value}, (), "sh") + 'printf %s "$A"'],
                           capture_output=True, text=True, check=False).stdout
    assert shown == value
