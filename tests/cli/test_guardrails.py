"""Production targets ask first; a read-only role can be the default for an environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from switcher.workspace import Workspace
from tests.conftest import Setup

ARN = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)


def _settings(text: str) -> None:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_production_needs_a_confirmation(signed_in: Workspace) -> None:
    signed_in.targets()
    refused = _run("exec", "storefront-prod/ReadOnlyAccess", "--", "true")
    assert refused.returncode == 1
    assert "PRODUCTION storefront-prod/ReadOnlyAccess is guarded" in refused.stderr
    assert _run("exec", "storefront-prod/ReadOnlyAccess", "--yes", "--", "true").returncode == 0
    assert _run("exec", "storefront-dev/ReadOnlyAccess", "--", "true").returncode == 0
    console = _run("console", "storefront-prod/ReadOnlyAccess", "--print-url")
    assert console.returncode == 1 and not console.stdout


def test_guardrails_can_be_switched_off_or_extended(signed_in: Workspace) -> None:
    signed_in.targets()
    _settings('[guardrails]\nmode = "off"\n')
    assert _run("exec", "storefront-prod/ReadOnlyAccess", "--", "true").returncode == 0
    _settings('[guardrails]\nmode = "type-name"\nenvironments = ["production", "staging"]\n')
    staging = _run("exec", "storefront-staging/ReadOnlyAccess", "--", "true")
    assert staging.returncode == 1 and "STAGING" in staging.stderr


def test_default_read_only_role_for_an_account_name(signed_in: Workspace,
                                                    setup: Setup) -> None:
    signed_in.targets()
    several = _run("exec", "payments-prod", "--yes", "--", sys.executable, "-c", ARN)
    assert several.returncode == 1 and "has several roles" in several.stderr
    _settings('[guardrails]\nread_only_roles = { production = "ReadOnlyAccess" }\n')
    chosen = _run("exec", "payments-prod", "--yes", "--", sys.executable, "-c", ARN)
    assert chosen.returncode == 0, chosen.stderr
    assert ":assumed-role/AWSReservedSSO_ReadOnlyAccess_" in chosen.stdout
    assert f"::{setup.account_id('payments-prod')}:" in chosen.stdout
