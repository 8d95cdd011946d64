"""The exports of `--write-profile-dir` leave a sign-in's token where the AWS CLI reads it:
~/.aws/sso/cache/<sha1 of the session name>.json under the HOME they give, a folder of their
own, so the user's real ~/.aws is never touched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from switcher.emulator.profiles import SSO_SESSION
from tests.conftest import Setup

# In a process of its own, as the AWS CLI is: botocore fixes its token folder from HOME when
# it is imported.
CALLER = ("import boto3, sys; print(boto3.Session(profile_name=sys.argv[1])"
          ".client('sts').get_caller_identity()['Arn'])")


def test_a_sign_in_under_the_exports_is_where_botocore_reads_it(setup: Setup,
                                                                isolated_home: Path) -> None:
    setup.sign_in(setup.workspace())
    account = next(a for a in setup.emulator.state.organization.account_list()
                   if a.permission_sets)
    role = account.permission_sets[0]
    finished = subprocess.run([sys.executable, "-c", CALLER, f"{account.name}-{role.lower()}"],
                              env=dict(os.environ), capture_output=True, text=True,
                              timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith(
        f"arn:aws:sts::{account.account_id}:assumed-role/AWSReservedSSO_{role}_")
    home = Path(os.environ["HOME"])
    assert home.is_relative_to(setup.directory)  # a HOME of the folder's own
    key = hashlib.sha1(SSO_SESSION.encode()).hexdigest()
    token = home / ".aws" / "sso" / "cache" / f"{key}.json"
    assert "accessToken" in json.loads(token.read_text())
    assert not (isolated_home / ".aws").exists()  # the HOME the user had is untouched
