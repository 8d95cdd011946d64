"""Shells with the switcher prompt, and the credential endpoint that outlives expiry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.actions.prompt import label, prepare
from switcher.model import Account, Environment, Target
from switcher.workspace import Workspace
from tests.conftest import Setup

HOSTILE = Target(Account("123456789012", "shop$(touch /tmp/switcher-pwned)`id`%F{red}\\e[31m"),
                 "Admin", (), environment=Environment.PRODUCTION, color="#f2b0a9")


def test_label_cannot_be_interpreted_by_a_prompt() -> None:
    text = label(HOSTILE)
    assert text.startswith("PRODUCTION shop")
    for dangerous in ("$(", "`", "%", "\\", "\x1b"):
        assert dangerous not in text


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_prompt_shows_the_target_and_runs_nothing(tmp_path: Path) -> None:
    environment = {"HOME": str(tmp_path), "PATH": os.environ["PATH"], "PS1": "$ ",
                   "TERM": "dumb"}
    command, folder = prepare("/bin/bash", HOSTILE, environment, environment)
    assert folder is not None
    command.insert(1, "--noediting")  # no tty here: plain prompts on stderr
    finished = subprocess.run(command, input="echo READY\nexit 0\n", env=environment,
                              capture_output=True, text=True, timeout=30, check=False)
    shown = finished.stdout + finished.stderr
    assert "READY" in shown
    assert "PRODUCTION shop?(touch /tmp/switcher-pwned)?id??F?red??e?31m/Admin" in shown
    assert "\x1b]0;switcher: PRODUCTION shop" in shown  # terminal title
    assert "\x1b[1;38;2;0;0;0;48;2;242;176;169m" in shown  # colour of the environment
    assert not Path("/tmp/switcher-pwned").exists()
    shutil.rmtree(folder)


LOOP = """
import boto3, json, sys, time
seen = set()
deadline = time.time() + float(sys.argv[1])
sts = boto3.client('sts')
while time.time() < deadline:
    arn = sts.get_caller_identity()['Arn']
    seen.add(sts._request_signer._credentials.get_frozen_credentials().access_key)
    time.sleep(0.5)
print(json.dumps({'arn': arn, 'keys': len(seen)}))
"""


def test_long_command_outlives_credential_expiry_with_the_endpoint(signed_in: Workspace,
                                                                   setup: Setup) -> None:
    signed_in.targets()
    setup.emulator.knobs.credential_ttl = 2  # role credentials expire every two seconds
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "exec", "payments-dev/ReadOnlyAccess", "--endpoint",
         "--", sys.executable, "-c", LOOP, "7"],
        capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout)
    assert ":assumed-role/AWSReservedSSO_ReadOnlyAccess_" in result["arn"]
    assert result["keys"] >= 2  # new credentials were fetched from the endpoint


def test_without_the_endpoint_the_same_command_fails_after_expiry(signed_in: Workspace,
                                                                  setup: Setup) -> None:
    signed_in.targets()
    setup.emulator.knobs.credential_ttl = 2
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "exec", "payments-dev/ReadOnlyAccess", "--",
         sys.executable, "-c", LOOP, "5"],
        capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode != 0 and "expired" in finished.stderr.lower()


def test_endpoint_refuses_a_wrong_token(signed_in: Workspace) -> None:
    import urllib.error
    import urllib.request

    from switcher.actions.credential_endpoint import CredentialEndpoint

    target, _ = signed_in.resolve("payments-dev/ReadOnlyAccess")
    with CredentialEndpoint(lambda: signed_in.credentials(target)) as endpoint:
        request = urllib.request.Request(endpoint.url, headers={"Authorization": "guess"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
        good = urllib.request.Request(endpoint.url, headers={"Authorization": endpoint.token})
        document = json.load(urllib.request.urlopen(good, timeout=5))
        assert set(document) == {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
        assert endpoint.url.startswith("http://127.0.0.1:")
