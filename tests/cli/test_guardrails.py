"""Production targets ask first; a read-only role can be the default for an environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.services.test_resolve import NEUTRAL_PROFILES

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


NAME_FORMS = ["payments-prod/ReadOnlyAccess", "{prod}/ReadOnlyAccess", "payments-prod",
              "pay-ro", "hop-deploy", "hop-deploy-again",
              "payments-prod/ReadOnlyAccess --via sso:emulator"]
COMMANDS = [["console", "--print-url"], ["shell"], ["exec"], ["env"],
            ["write-credentials", "--profile", "legacy"]]


def test_every_name_of_production_is_guarded_in_every_command(signed_in: Workspace,
                                                              setup: Setup) -> None:
    """However the production target is named, every command that acts as it or hands out
    its credentials refuses without a confirmation (here: no terminal to ask)."""
    signed_in.targets()
    prod = setup.account_id("payments-prod")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + NEUTRAL_PROFILES.format(prod=prod))
    _settings('[guardrails]\nread_only_roles = { production = "ReadOnlyAccess" }\n')
    credentials_before = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).read_bytes()
    for form in NAME_FORMS:
        name, *via = form.format(prod=prod).split()
        for command, *options in COMMANDS:
            tail = ["--", "true"] if command == "exec" else []
            refused = _run(command, name, *via, *options, *tail)
            assert refused.returncode == 1, (form, command, refused.stderr)
            assert "PRODUCTION" in refused.stderr and "is guarded" in refused.stderr, (
                form, command, refused.stderr)
            assert "aws_secret_access_key" not in refused.stdout.lower()
            assert "AWS_SECRET_ACCESS_KEY" not in refused.stdout
        unattended = _run("credential-process", name, *via)
        assert unattended.returncode == 1 and not unattended.stdout, (form, unattended.stderr)
        assert "credential-process cannot ask" in unattended.stderr
    assert Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).read_bytes() == credentials_before


def test_credential_process_serves_a_guarded_target_only_when_allowed(
        signed_in: Workspace) -> None:
    signed_in.targets()
    _settings('[guardrails]\ncredential_process_allowed = ["payments-prod/ReadOnlyAccess"]\n')
    allowed = _run("credential-process", "payments-prod/ReadOnlyAccess")
    assert allowed.returncode == 0, allowed.stderr
    assert '"SecretAccessKey"' in allowed.stdout
    other = _run("credential-process", "payments-prod/AdministratorAccess")
    assert other.returncode == 1 and "credential-process cannot ask" in other.stderr
    dev = _run("credential-process", "payments-dev/ReadOnlyAccess")
    assert dev.returncode == 0, dev.stderr


def test_env_asks_on_stderr_so_eval_does_not_swallow_the_question(
        signed_in: Workspace) -> None:
    signed_in.targets()
    confirmed = _run("env", "payments-prod/ReadOnlyAccess", "--yes")
    assert confirmed.returncode == 0 and "AWS_SECRET_ACCESS_KEY" in confirmed.stdout
