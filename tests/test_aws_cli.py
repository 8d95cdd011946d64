"""The real AWS CLI (v1, from the package index: tests/aws_cli.py) against the emulator, both
ways: after `switcher login`, `aws sts get-caller-identity --profile …` works for an
sso-session profile, a profile `switcher populate` wrote and a role_arn + source_profile
chain; and a token the AWS CLI refreshed (its access token expired, its refresh token good) is
then used by switcher without a new sign-in. The AWS CLI reaches the emulator through the
same AWS_ENDPOINT_URL_* variables as switcher, and finds the token in ~/.aws/sso/cache under
the HOME the emulator's exports give."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from switcher.emulator.profiles import SSO_SESSION
from switcher.paths import sso_cache_dir
from tests.aws_cli import aws_cli
from tests.conftest import Setup
from tests.test_readme import run_emulator_block

pytestmark = pytest.mark.aws_cli

OPENER = "import sys, urllib.request\nurllib.request.urlopen(sys.argv[1], timeout=10).read()\n"
"""What a browser does with the sign-in page (the emulator approves what its pages see)."""


@pytest.fixture(scope="session")
def aws() -> Path:
    return aws_cli()


def _switcher(*args: str, environment: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args],
                          env=environment or dict(os.environ), capture_output=True, text=True,
                          timeout=120, check=False)


def _login(tmp_path: Path) -> None:
    """`switcher login` as a user runs it, a program standing in for the browser."""
    opener = tmp_path / "open-page.py"
    opener.write_text(OPENER)
    browser = f"{sys.executable} {opener} %s"
    finished = _switcher("login", environment=dict(os.environ, BROWSER=browser))
    assert finished.returncode == 0, finished.stderr
    assert "Signed in to emulator" in finished.stderr


def _identity(aws: Path, profile: str) -> dict[str, Any]:
    finished = subprocess.run([str(aws), "sts", "get-caller-identity", "--profile", profile,
                               "--output", "json"], env=dict(os.environ), capture_output=True,
                              text=True, timeout=120, check=False)
    assert finished.returncode == 0, f"aws --profile {profile}: {finished.stderr}"
    identity: dict[str, Any] = json.loads(finished.stdout)
    return identity


def _sso_profile(setup: Setup) -> tuple[str, str, str]:
    """(profile, account id, role) of an sso-session profile of the emulator's config."""
    account = next(a for a in setup.emulator.state.organization.account_list()
                   if a.permission_sets)
    role = account.permission_sets[0]
    return f"{account.name}-{role.lower()}", account.account_id, role


def test_the_aws_cli_uses_a_switcher_sign_in(setup: Setup, aws: Path, tmp_path: Path) -> None:
    _login(tmp_path)
    profile, account_id, role = _sso_profile(setup)
    identity = _identity(aws, profile)
    assert identity["Account"] == account_id
    assert identity["Arn"].startswith(f"arn:aws:sts::{account_id}:assumed-role/"
                                      f"AWSReservedSSO_{role}_")
    # role_arn + source_profile, the source being that sso-session profile
    deployer = _identity(aws, "shared-deployer")
    shared = setup.account_id("acme-shared-services")
    assert deployer["Arn"] == f"arn:aws:sts::{shared}:assumed-role/Deployer/jane-deployer"


def test_the_aws_cli_uses_the_profiles_switcher_populate_wrote(setup: Setup, aws: Path,
                                                               tmp_path: Path) -> None:
    _login(tmp_path)
    populated = _switcher("populate")
    assert populated.returncode == 0, populated.stderr
    config = Path(os.environ["AWS_CONFIG_FILE"]).read_text()
    assert "[profile payments-staging.PowerUserAccess]" in config
    # no AWS_REGION here: the AWS CLI refuses a profile without a region
    identity = _identity(aws, "payments-staging.PowerUserAccess")
    account_id = setup.account_id("payments-staging")
    assert identity["Arn"].startswith(f"arn:aws:sts::{account_id}:assumed-role/"
                                      "AWSReservedSSO_PowerUserAccess_")


def test_a_token_the_aws_cli_refreshed_is_used_by_switcher(setup: Setup, aws: Path,
                                                           tmp_path: Path) -> None:
    _login(tmp_path)
    state = setup.emulator.state
    token_file = sso_cache_dir() / f"{hashlib.sha1(SSO_SESSION.encode()).hexdigest()}.json"
    cached = json.loads(token_file.read_text())
    # the access token expires (for the emulator too); the refresh token stays good
    with state.lock:
        state.tokens[cached["accessToken"]].expires_at = time.time() - 1
    expired = dict(cached, expiresAt="2020-01-01T00:00:00Z")
    token_file.write_text(json.dumps(expired))
    before = dict(state.calls)
    profile, account_id, role = _sso_profile(setup)
    assert _identity(aws, profile)["Account"] == account_id
    refreshed = json.loads(token_file.read_text())
    assert state.calls["sso-oidc.CreateToken"] == before["sso-oidc.CreateToken"] + 1
    assert state.valid_token(refreshed["accessToken"]) is not None
    after_aws = dict(state.calls)
    name = next(a.name for a in state.organization.account_list() if a.account_id == account_id)
    finished = _switcher("exec", f"{name}/{role}", "--", sys.executable, "-c",
                         "import os; print(os.environ['AWS_ACCESS_KEY_ID'])")
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip().startswith("ASIA")
    # no new sign-in, no refresh of its own: the AWS CLI's token was used as it left it
    for operation in ("sso-oidc.CreateToken", "sso-oidc.StartDeviceAuthorization",
                      "sso-oidc.RegisterClient"):
        assert state.calls.get(operation, 0) == after_aws.get(operation, 0), operation
    assert state.calls["sso.GetRoleCredentials"] > after_aws["sso.GetRoleCredentials"]
    assert json.loads(token_file.read_text()) == refreshed


def test_the_readme_promise_a_switcher_login_makes_aws_work(aws: Path, tmp_path: Path) -> None:
    finished = run_emulator_block(tmp_path, aws)
    assert finished.returncode == 0, finished.stderr
    identity = json.loads(finished.stdout[finished.stdout.index("{"):])
    assert identity["Arn"].split("/")[1].startswith("AWSReservedSSO_AdministratorAccess_")
    assert not (tmp_path / ".aws").exists()  # the HOME it was started with is untouched


def test_the_aws_cli_takes_a_malformed_role_arn_until_sts_refuses_it(setup: Setup,
                                                                     aws: Path) -> None:
    """Why switcher warns instead of listing it (tests/test_botocore_parity.py): nothing
    before the AssumeRole call says what is wrong."""
    with Path(os.environ["AWS_CONFIG_FILE"]).open("a") as stream:
        stream.write("\n[profile typo]\nrole_arn = arn:aws:iam::12345:role/Admin\n"
                     "source_profile = jane-iam\nregion = us-east-1\n")
    finished = subprocess.run([str(aws), "sts", "get-caller-identity", "--profile", "typo"],
                              env=dict(os.environ), capture_output=True, text=True,
                              timeout=120, check=False)
    assert finished.returncode != 0
    assert "(ValidationError) when calling the AssumeRole operation" in finished.stderr
    assert "arn:aws:iam::12345:role/Admin is invalid" in finished.stderr
