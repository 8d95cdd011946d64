"""The command line as a user runs it: a real process, the emulator behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from switcher import __version__
from switcher.workspace import Workspace
from tests.conftest import Setup


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=120, env=env or dict(os.environ), check=False)


def test_version_and_help() -> None:
    version = _run("--version").stdout.splitlines()
    assert version[0] == f"switcher {__version__} (switcher-aws)"
    assert [line.split()[0] for line in version[1:]] == ["Python", "Textual", "botocore"]
    shown = _run("--help").stdout
    for command in ("login", "list", "console", "shell", "exec", "emulator", "demo"):
        assert command in shown


HEAVY = ("boto3", "botocore", "textual", "keyring", "tomlkit")
IMPORTS_AFTER_HELP = (
    "import sys\nfrom switcher.cli import main\ntry:\n    main(['--help'])\n"
    "except SystemExit:\n    pass\n"
    f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} "
    "or m == 'switcher.workspace'), file=sys.stderr)")


def test_help_imports_nothing_heavy() -> None:
    # Every command starts through this parser; the AWS SDK, Textual and the workspace are
    # imported by the handler that needs them, not by the command line itself.
    finished = subprocess.run([sys.executable, "-c", IMPORTS_AFTER_HELP], capture_output=True,
                              text=True, timeout=60, check=True)
    assert finished.stderr.strip() == "[]"


def test_user_errors_are_one_line_without_traceback(signed_in: Workspace) -> None:
    missing = _run("console", "no-such-account/NoRole", "--print-url")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    assert "No target named 'no-such-account/NoRole'" in missing.stderr
    broken = Path(os.environ["AWS_CONFIG_FILE"])
    broken.write_text("[profile x\nregion = us-east-1\n")
    bad_config = _run("list", "--refresh")
    assert bad_config.returncode == 1 and "Traceback" not in bad_config.stderr
    assert str(broken) in bad_config.stderr


def test_list_before_and_after_login(setup: Setup) -> None:
    before = _run("list", "--json")
    assert "not signed in to emulator" in before.stderr
    setup.sign_in(setup.workspace())
    after = json.loads(_run("list", "--json", "--refresh").stdout)
    prod = [t for t in after if t["account_name"] == "storefront-prod"]
    assert {t["role"] for t in prod} == {"AdministratorAccess", "ReadOnlyAccess"}
    assert all(t["account_id"] == setup.account_id("storefront-prod") for t in prod)
    # no profile gives it a region, and botocore has none then: not us-east-1
    assert prod[0]["sources"] == ["sso:emulator"] and prod[0]["region"] == ""
    table = _run("list").stdout
    assert any("storefront-prod" in line and " — " in line for line in table.splitlines())


CALLER = ("import boto3, json, os; "
          "print(json.dumps({'arn': boto3.client('sts').get_caller_identity()['Arn'], "
          "'region': os.environ['AWS_REGION'], 'default': os.environ['AWS_DEFAULT_REGION'], "
          "'profile': os.environ.get('AWS_PROFILE'), 'target': os.environ['SWITCHER_TARGET']}))")


def test_exec_runs_with_the_targets_credentials(signed_in: Workspace, setup: Setup) -> None:
    environment = dict(os.environ, AWS_PROFILE="somebody-else")
    for name, arn_part, region in (
            ("storefront-staging/PowerUserAccess", "AWSReservedSSO_PowerUserAccess_", "sa-east-1"),
            (setup.account_id("jane-playground") + "/ReadOnlyAccess",
             "AWSReservedSSO_ReadOnlyAccess_", "sa-east-1"),
            ("shared-deployer", "assumed-role/Deployer/jane-deployer", "sa-east-1")):
        finished = _run("exec", name, "--region", region, "--", sys.executable, "-c", CALLER,
                        env=environment)
        assert finished.returncode == 0, finished.stderr
        seen = json.loads(finished.stdout)
        assert arn_part in seen["arn"]
        assert seen["region"] == seen["default"] == region
        assert seen["profile"] is None  # a conflicting AWS_PROFILE is removed
    staging = setup.account_id("storefront-staging")
    assert f"::{staging}:" in json.loads(_run(
        "exec", "storefront-staging/PowerUserAccess", "--", sys.executable, "-c", CALLER,
        env=environment).stdout)["arn"]


def test_exec_passes_the_exit_status_and_shell_refuses_to_nest(signed_in: Workspace) -> None:
    signed_in.targets()
    failed = _run("exec", "storefront-dev/ReadOnlyAccess", "--", sys.executable, "-c",
                  "raise SystemExit(7)")
    assert failed.returncode == 7
    nested = _run("shell", "storefront-dev/ReadOnlyAccess",
                  env=dict(os.environ, SWITCHER_TARGET="x/y"))
    assert nested.returncode == 1 and "Already in a switcher shell for x/y" in nested.stderr


def test_print_url_warns_that_it_grants_access(signed_in: Workspace) -> None:
    signed_in.targets()
    printed = _run("console", "storefront-dev/ReadOnlyAccess", "--print-url")
    assert printed.returncode == 0
    assert printed.stdout.startswith(os.environ["SWITCHER_FEDERATION_ENDPOINT"] + "?Action=login")
    assert "grants" in printed.stderr or "signs anyone" in printed.stderr


def test_saved_destinations_keep_the_config_file(signed_in: Workspace) -> None:
    signed_in.targets()
    config = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("# my settings\n[console]\nlogout_first = false  # keep my session\n")
    assert _run("destinations", "payments-dev/ReadOnlyAccess", "--add", "s3").stdout == "s3\n"
    added = _run("destinations", "payments-dev/ReadOnlyAccess", "--add", "ec2/home#Instances:")
    assert added.stdout.split() == ["s3", "ec2/home#Instances:"]
    text = config.read_text()
    assert text.startswith("# my settings\n[console]\nlogout_first = false  # keep my session\n")
    removed = _run("destinations", "payments-dev/ReadOnlyAccess", "--remove", "s3")
    assert removed.stdout.split() == ["ec2/home#Instances:"]
    assert _run("destinations", "payments-dev/ReadOnlyAccess", "--remove", "nope").returncode == 1


LIST_IMPORTS = (
    "import sys\nfrom switcher.cli import main\nmain(['list', '--json'])\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')), "
    "file=sys.stderr)")


def test_list_shows_a_new_profile_without_refresh(signed_in: Workspace, setup: Setup) -> None:
    signed_in.refresh()
    config = Path(os.environ["AWS_CONFIG_FILE"])
    account = setup.account_id("acme-security")
    with config.open("a") as stream:  # added after the discovery that made the cache
        stream.write(f"\n[profile audit]\nrole_arn = arn:aws:iam::{account}:role/Auditor\n"
                     "source_profile = jane-iam\n")
    finished = subprocess.run([sys.executable, "-c", LIST_IMPORTS], capture_output=True,
                              text=True, timeout=60, check=True)
    listed = json.loads(finished.stdout)
    audit = [t for t in listed if t["role"] == "Auditor"]
    assert len(audit) == 1 and audit[0]["account_name"] == "acme-security"
    assert "profile:audit" in audit[0]["sources"]
    assert any("sso:emulator" in t["sources"] for t in listed)  # the discovery, from the cache
    assert finished.stderr.strip().splitlines()[-1] == "[]"  # no AWS SDK for a cached list


def test_file_warnings_are_said_on_every_run_not_only_on_refresh(
        signed_in: Workspace) -> None:
    signed_in.refresh()
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text('[guardrails]\nmode = "maybe"\n')
    listed = subprocess.run([sys.executable, "-m", "switcher", "list"], capture_output=True,
                            text=True, timeout=60, check=False)
    assert listed.returncode == 0 and listed.stdout
    assert "guardrails.mode" in listed.stderr


def test_a_profile_with_a_malformed_role_arn_is_one_warning_naming_it(
        signed_in: Workspace) -> None:
    with Path(os.environ["AWS_CONFIG_FILE"]).open("a") as stream:
        stream.write("\n[profile typo\x1b[2J]\nrole_arn = arn:aws:iam::12345:role/Admin\n"
                     "source_profile = jane-iam\n")
    for command in (["list", "--refresh"], ["list"]):  # a discovery, then from the cache
        listed = subprocess.run([sys.executable, "-m", "switcher", *command],
                                capture_output=True, text=True, timeout=60, check=False)
        assert listed.returncode == 0 and "payments-prod" in listed.stdout, listed.stderr
        warned = [line for line in listed.stderr.splitlines() if "typo" in line]
        assert warned == [f"warning: {os.environ['AWS_CONFIG_FILE']}: profile "
                          "'typo\\x1b[2J' is not listed: its role_arn "
                          "'arn:aws:iam::12345:role/Admin': the account '12345' is not a "
                          "12-digit account id"], listed.stderr
        assert "\x1b" not in listed.stderr
