"""The warm credential cache behind credential-process, env, exec and shell: served without
AWS or botocore while nothing has changed, and never once something has (expiry, a changed
profile, chain or config.toml, logout, another identity, a file that is not ours)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from switcher.auth.renewal import renewal_margin
from switcher.auth.warm import Request
from switcher.hotpath import _parse
from switcher.workspace import Workspace
from tests.conftest import Setup

TARGET = "storefront-dev/ReadOnlyAccess"
ROLE_CREDENTIALS = "sso.GetRoleCredentials"


def _run(*args: str, importtime: bool = False,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    python = [sys.executable, *(["-X", "importtime"] if importtime else [])]
    return subprocess.run([*python, "-m", "switcher", *args], capture_output=True, text=True,
                          timeout=120, check=False, stdin=subprocess.DEVNULL, env=env)


def _served(*args: str) -> dict[str, str]:
    finished = _run("credential-process", *args)
    assert finished.returncode == 0, finished.stderr
    data: dict[str, str] = json.loads(finished.stdout)
    return data


def _calls(setup: Setup, operation: str = ROLE_CREDENTIALS) -> int:
    return setup.emulator.state.calls.get(operation, 0)


def _folder() -> Path:
    return Path(os.environ["SWITCHER_CACHE_DIR"]) / "credentials"


def _entries() -> list[Path]:
    return sorted(_folder().glob("*.json"))


def _imported(stderr: str) -> set[str]:
    return {line.split("|")[-1].strip() for line in stderr.splitlines()
            if line.startswith("import time:")}


def _settings(text: str) -> None:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_warm_call_makes_no_aws_call_and_loads_no_botocore(signed_in: Workspace,
                                                           setup: Setup) -> None:
    signed_in.targets()
    cold = _run("credential-process", TARGET, importtime=True)
    assert cold.returncode == 0, cold.stderr
    assert "botocore" in _imported(cold.stderr)
    calls = _calls(setup)
    warm = _run("credential-process", TARGET, importtime=True)
    assert warm.returncode == 0, warm.stderr
    assert json.loads(warm.stdout) == json.loads(cold.stdout)
    assert _calls(setup) == calls
    loaded = _imported(warm.stderr)
    for heavy in ("botocore", "boto3", "switcher.workspace", "switcher.cli", "argparse",
                  "dataclasses", "typing"):
        assert heavy not in loaded, heavy
    for command in (["env", TARGET], ["exec", TARGET, "--", "true"]):
        again = _run(*command, importtime=True)
        assert again.returncode == 0, again.stderr
        assert not {"botocore", "switcher.workspace"} & _imported(again.stderr), command
    assert _calls(setup) == calls


def test_list_from_the_cache_imports_neither_botocore_nor_textual(signed_in: Workspace) -> None:
    signed_in.targets()
    listed = _run("list", importtime=True)
    assert listed.returncode == 0
    assert TARGET.split("/")[0] in listed.stdout
    loaded = _imported(listed.stderr)
    assert not {m for m in loaded if m.split(".")[0] in ("botocore", "boto3", "textual", "rich")}


def test_renewal_margin_is_before_botocores_window_or_a_quarter_of_a_short_lifetime() -> None:
    assert renewal_margin(3600) == 16 * 60
    assert renewal_margin(12 * 3600) == 16 * 60
    assert renewal_margin(40) == 10
    assert renewal_margin(0) == 2  # never handed out with less than two seconds left


def test_never_served_once_due_for_renewal(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    setup.emulator.state.knobs.credential_ttl = 4
    first = _served(TARGET)
    assert _served(TARGET) == first  # warm
    calls = _calls(setup)
    request = Request(TARGET, None, os.environ)
    entry = json.loads(_entries()[0].read_text())
    renew_at = entry["expires"] - renewal_margin(entry["expires"] - entry["issued"])
    assert request.lookup(now=renew_at - 0.05) is not None
    assert request.lookup(now=renew_at) is None
    assert request.lookup(now=entry["expires"] + 1) is None
    while time.time() < renew_at:
        time.sleep(min(0.25, max(renew_at - time.time(), 0.01)))
    renewed = _served(TARGET)
    assert _calls(setup) == calls + 1
    assert renewed["AccessKeyId"] != first["AccessKeyId"]
    expiry = renewed["Expiration"].replace("Z", "+00:00")
    from datetime import datetime

    assert datetime.fromisoformat(expiry).timestamp() > time.time()


@pytest.mark.parametrize("changed", ["aws config", "credentials file", "config.toml",
                                     "inventory cache"])
def test_a_changed_file_is_a_miss(signed_in: Workspace, setup: Setup, changed: str) -> None:
    signed_in.targets()
    first = _served(TARGET)
    calls = _calls(setup)
    path = {"aws config": Path(os.environ["AWS_CONFIG_FILE"]),
            "credentials file": Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]),
            "config.toml": Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml",
            "inventory cache": Path(os.environ["SWITCHER_CACHE_DIR"]) / "inventory.json"}[
        changed]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as stream:
        stream.write("\n" if changed != "inventory cache" else " ")
    assert _served(TARGET)["AccessKeyId"] != first["AccessKeyId"]
    assert _calls(setup) == calls + 1
    _served(TARGET)
    assert _calls(setup) == calls + 1  # warm again


def test_a_changed_role_chain_is_a_miss(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    first = _served("shared-deployer")
    assert _served("shared-deployer") == first
    hops = _calls(setup, "sts.AssumeRole")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text().replace("role_session_name = jane-deployer",
                                                 "role_session_name = jane-release"))
    assert _served("shared-deployer")["AccessKeyId"] != first["AccessKeyId"]
    assert _calls(setup, "sts.AssumeRole") == hops + 1


def test_logout_clears_the_cache(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    _served(TARGET)
    assert _entries()
    assert _run("logout").returncode == 0
    assert not _entries()
    after = _run("credential-process", TARGET)
    assert after.returncode == 1 and not after.stdout
    assert "switcher login" in after.stderr


def test_another_identity_is_a_miss(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    first = _served(TARGET)
    calls = _calls(setup)
    setup.sign_in(setup.workspace())  # a new token in the AWS CLI's cache: maybe another user
    assert _served(TARGET)["AccessKeyId"] != first["AccessKeyId"]
    assert _calls(setup) == calls + 1
    # Other source credentials in the environment are another request, never this entry.
    other = dict(os.environ, AWS_ACCESS_KEY_ID="AKIAOTHERIDENTITY000")
    served = _run("credential-process", TARGET, env=other)
    assert served.returncode == 0, served.stderr
    assert _calls(setup) == calls + 2
    assert len(_entries()) == 2


@pytest.mark.parametrize("spoil", ["garbage", "foreign owner", "group readable", "symlink"])
def test_a_file_that_is_not_ours_is_ignored_and_replaced(signed_in: Workspace, setup: Setup,
                                                         tmp_path: Path, spoil: str) -> None:
    signed_in.targets()
    first = _served(TARGET)
    calls = _calls(setup)
    [path] = _entries()
    if spoil == "garbage":
        path.write_text("{not json")
    elif spoil == "foreign owner":
        os.chown(path, 65534, 65534)
    elif spoil == "group readable":
        path.chmod(0o640)
    else:
        planted = tmp_path / "planted.json"
        planted.write_text(path.read_text())
        planted.chmod(0o600)
        path.unlink()
        path.symlink_to(planted)
    assert _served(TARGET)["AccessKeyId"] != first["AccessKeyId"]
    assert _calls(setup) == calls + 1
    info = path.lstat()
    assert stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert json.loads(path.read_text())["credentials"]


def test_racing_processes_ask_aws_once(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    calls = _calls(setup)
    argv = [sys.executable, "-m", "switcher", "credential-process", TARGET]
    racers = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    outputs = [racer.communicate(timeout=120) for racer in racers]
    assert all(racer.returncode == 0 for racer in racers), outputs
    served = [json.loads(stdout) for stdout, _ in outputs]
    assert served[0] == served[1]
    assert _calls(setup) == calls + 1  # the second waited for the first, then read its entry
    [path] = _entries()
    assert json.loads(path.read_text())["credentials"][0] == served[0]["AccessKeyId"]
    assert _served(TARGET) == served[0]


def test_the_guard_applies_on_the_warm_path(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    production = "storefront-prod/ReadOnlyAccess"
    assert _run("exec", production, "--yes", "--", "true").returncode == 0
    calls = _calls(setup)
    refused = _run("exec", production, "--", "true")
    assert refused.returncode == 1
    assert "PRODUCTION storefront-prod/ReadOnlyAccess is guarded" in refused.stderr
    assert _run("env", production).returncode == 1
    unattended = _run("credential-process", production)
    assert unattended.returncode == 1 and not unattended.stdout
    assert "credential_process_allowed" in unattended.stderr
    assert _calls(setup) == calls  # all refused from the warm entry
    _settings(f'[guardrails]\ncredential_process_allowed = ["{production}"]\n')
    assert _served(production)["AccountId"] == setup.account_id("storefront-prod")
    # Once config.toml guards development too, its warm entry is not served unasked.
    assert _run("exec", TARGET, "--", "true").returncode == 0
    _settings('[guardrails]\nenvironments = ["production", "development"]\n')
    guarded = _run("exec", TARGET, "--", "true")
    assert guarded.returncode == 1 and "DEVELOPMENT" in guarded.stderr


def test_warm_and_cold_agree_on_the_environment(signed_in: Workspace, setup: Setup) -> None:
    signed_in.targets()
    named = "acme-log-archive-readonlyaccess"  # a profile with region = eu-west-1
    for variables in ({}, {"AWS_REGION": "ap-south-1"}, {"AWS_DEFAULT_REGION": "sa-east-1"}):
        environment = {k: v for k, v in os.environ.items()
                       if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")} | variables
        for name in (named, TARGET):
            for entry in _entries():
                entry.unlink()
            cold = _run("env", name, "--format", "json", env=environment)
            warm = _run("env", name, "--format", "json", env=environment)
            assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
            assert json.loads(cold.stdout) == json.loads(warm.stdout), (name, variables)
    shown = _run("exec", named, "--", "sh", "-c", "echo $AWS_REGION $SWITCHER_TARGET")
    assert shown.stdout.split()[0] == "eu-west-1"


@pytest.mark.parametrize(("arguments", "taken"), [
    (["credential-process", "a/b"], True),
    (["credential-process", "a/b", "--via", "sso:x"], True),
    (["credential-process", "--via=sso:x", "a/b"], True),
    (["env", "a/b", "--format", "fish", "--yes"], True),
    (["exec", "a/b", "--yes", "--", "true"], True),
    (["exec", "a/b"], False),  # no command: the full command line says so
    (["exec", "a/b", "--endpoint", "--", "true"], False),
    (["credential-process", "a/b", "--region", "eu-west-1"], False),  # checked there
    (["credential-process", "a/b", "--yes"], False),  # not an option of credential-process
    (["credential-process", "a/b", "--vi", "x"], False),  # an abbreviation
    (["credential-process", "a/b", "c/d"], False),
    (["credential-process", "a/b", "--via", "x", "--via", "y"], False),
    (["credential-process"], False),
    (["env", "--format", "sh"], False),  # no target: the picker
    (["credential-process", "a/b", "--", "x"], False),
    (["list"], False),
])
def test_the_front_door_takes_only_the_plain_forms(arguments: list[str], taken: bool) -> None:
    assert (_parse(arguments) is not None) == taken
