"""`switcher list` from the front door (switcher/hotpath.py, switcher/store/list_answer.py):
what it prints equals, byte for byte on stdout and stderr, what the full command line prints
in the same state, whatever changed since the answer was kept (a profile, an AESR file,
config.toml and its warnings, an environment variable); and it is served, without the
workspace, once nothing has changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.hotpath import warm_main
from switcher.store import list_answer
from switcher.workspace import Workspace
from tests.conftest import Setup

FULL = "import sys\nfrom switcher.cli import main\nsys.exit(main(sys.argv[1:]))\n"
"""The full command line, without the front door `python -m switcher` goes through first."""


def _run(python: list[str], args: tuple[str, ...], env: dict[str, str] | None
         ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *python, *args], capture_output=True, timeout=120,
                          check=False, stdin=subprocess.DEVNULL,
                          env=dict(os.environ) if env is None else env)


def _front(*args: str, env: dict[str, str] | None = None
           ) -> tuple[subprocess.CompletedProcess[bytes], bool]:
    """`switcher ARGS` as a user runs it, and whether the front door served it (the full
    command line imports the workspace; the front door does not)."""
    finished = _run(["-X", "importtime", "-m", "switcher"], args, env)
    lines = finished.stderr.split(b"\n")
    imported = {line.split(b"|")[-1].strip() for line in lines
                if line.startswith(b"import time:")}
    finished.stderr = b"\n".join(line for line in lines if not line.startswith(b"import time:"))
    return finished, b"switcher.workspace" not in imported


def _full(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return _run(["-c", FULL], args, env)


def _same(front: subprocess.CompletedProcess[bytes],
          full: subprocess.CompletedProcess[bytes]) -> None:
    assert (front.returncode, front.stdout, front.stderr) == (
        full.returncode, full.stdout, full.stderr)


def _differential(*args: str, env: dict[str, str] | None = None
                  ) -> subprocess.CompletedProcess[bytes]:
    """After a change: the front door first (it must not print the kept answer), then the
    full command line, then the front door again, which serves the new answer."""
    front, _ = _front(*args, env=env)
    full = _full(*args, env=env)
    assert full.returncode == 0 and full.stdout, full.stderr
    _same(front, full)
    again, served = _front(*args, env=env)
    assert served, "the front door did not serve an unchanged list"
    _same(again, full)
    return full


def _settings(text: str) -> Path:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)
    return folder / "config.toml"


@pytest.fixture
def listed(signed_in: Workspace) -> subprocess.CompletedProcess[bytes]:
    """The discovery cached, and `switcher list` printed once by the full command line."""
    signed_in.refresh()
    return _differential("list")


def test_an_unchanged_list_is_served_as_the_full_command_line_prints_it(
        listed: subprocess.CompletedProcess[bytes]) -> None:
    assert b"storefront-dev" in listed.stdout
    served, was_served = _front("list")
    assert was_served
    _same(served, listed)
    assert list_answer.FORMS == ("table", "json")
    as_json = _differential("list", "--json")
    assert as_json.stdout.startswith(b"[")
    table, was_served = _front("list")  # keeping one form kept the other
    assert was_served
    _same(table, listed)


def test_a_changed_or_added_profile_is_listed(listed: subprocess.CompletedProcess[bytes],
                                              setup: Setup) -> None:
    config = Path(os.environ["AWS_CONFIG_FILE"])
    account = setup.account_id("acme-security")
    with config.open("a") as stream:
        stream.write(f"\n[profile audit]\nrole_arn = arn:aws:iam::{account}:role/Auditor\n"
                     "source_profile = jane-iam\n")
    added = _differential("list")
    assert b"Auditor" in added.stdout and b"Auditor" not in listed.stdout
    config.write_text(config.read_text().replace("role/Auditor", "role/Auditor2"))
    changed = _differential("list")
    assert b"Auditor2" in changed.stdout


def test_a_changed_aesr_file_is_listed(signed_in: Workspace, tmp_path: Path) -> None:
    signed_in.refresh()
    aesr = tmp_path / "aesr.ini"
    aesr.write_text("[aesr-one]\naws_account_id = 111111111111\nrole_name = FirstRole\n")
    _settings(f'[aesr]\nsources = ["{aesr}"]\n')
    first = _differential("list")
    assert b"FirstRole" in first.stdout
    aesr.write_text("[aesr-one]\naws_account_id = 111111111111\nrole_name = SecondRole\n")
    second = _differential("list")
    assert b"SecondRole" in second.stdout and b"FirstRole" not in second.stdout
    aesr.unlink()  # a missing file is a change too
    gone = _differential("list")
    assert b"SecondRole" not in gone.stdout


def test_config_warnings_are_said_by_the_front_door_too(
        listed: subprocess.CompletedProcess[bytes]) -> None:
    config = _settings('[guardrails]\nmode = "maybe"\n')
    warned = _differential("list")
    assert b"guardrails.mode" in warned.stderr and listed.stderr == b""
    config.write_text('[guardrails]\nmode = "perhaps"\n')
    again = _differential("list", "--json")
    assert b"'perhaps'" in again.stderr
    config.write_text("")
    assert _differential("list").stderr == b""


def test_environment_variables_that_choose_files_or_regions(
        listed: subprocess.CompletedProcess[bytes], setup: Setup, tmp_path: Path) -> None:
    region = _differential("list", env=dict(os.environ, AWS_DEFAULT_REGION="eu-west-3"))
    assert b"eu-west-3" in region.stdout and b"eu-west-3" not in listed.stdout
    _differential("list", env=dict(os.environ, AWS_PROFILE="jane-iam"))
    other = tmp_path / "other-config"
    account = setup.account_id("acme-security")
    other.write_text(Path(os.environ["AWS_CONFIG_FILE"]).read_text()
                     + f"\n[profile elsewhere]\nrole_arn = arn:aws:iam::{account}:role/Elsewhere"
                     "\nsource_profile = jane-iam\n")
    moved = _differential("list", env=dict(os.environ, AWS_CONFIG_FILE=str(other)))
    assert b"Elsewhere" in moved.stdout
    back = _differential("list")  # the answer kept for the other file is not this one's
    _same(back, listed)


def test_only_the_plain_forms_are_taken(listed: subprocess.CompletedProcess[bytes]) -> None:
    for other in (["--refresh"], ["--json", "--debug"], ["--debug"], ["--js"], ["extra"],
                  ["--json", "--json"]):
        assert warm_main(["list", *other]) is None


def test_an_answer_that_is_not_ours_is_not_served(
        listed: subprocess.CompletedProcess[bytes]) -> None:
    kept = Path(os.environ["SWITCHER_CACHE_DIR"]) / list_answer.NAME
    assert stat_mode(kept) == 0o600 and kept.stat().st_size > len(listed.stdout)
    kept.chmod(0o644)
    front, served = _front("list")
    assert not served
    _same(front, listed)
    kept.write_text("not json")
    kept.chmod(0o600)
    front, served = _front("list")
    assert not served
    _same(front, listed)


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize("environ", [
    {"HOME": "/home/jane"},
    {"HOME": "/home/jane/", "XDG_CONFIG_HOME": "/x/config", "XDG_CACHE_HOME": "/x/cache/",
     "XDG_STATE_HOME": "/x/state"},
    {"HOME": "/h", "SWITCHER_CONFIG_DIR": "/s/config/", "SWITCHER_CACHE_DIR": "/s/cache",
     "SWITCHER_STATE_DIR": "relative/state", "AWS_CONFIG_FILE": "~/aws/config",
     "AWS_SHARED_CREDENTIALS_FILE": "$SOMEWHERE/credentials/", "SOMEWHERE": "/some/where"},
    {"HOME": "/h", "AWS_CONFIG_FILE": "${HOME}/c", "AWS_SHARED_CREDENTIALS_FILE": "creds"},
])
def test_the_files_looked_at_are_those_the_full_command_line_reads(
        environ: dict[str, str]) -> None:
    from switcher import paths

    aesr = ["~/aesr.ini", "relative/aesr.ini", "/abs/aesr.ini/"]
    expected = [str(paths.aws_config_file(environ)), str(paths.aws_credentials_file(environ)),
                str(paths.config_dir(environ) / "config.toml"),
                str(paths.state_dir(environ) / "account-colors.json"),
                str(paths.cache_dir(environ) / "inventory.json"),
                *(str(Path(location).expanduser()) for location in aesr),
                str(paths.state_dir(environ) / "teams.json"),
                str(paths.state_dir(environ) / "teams")]
    assert list_answer.files_read(environ, aesr)[:len(expected)] == expected
    assert list_answer.cache_dir(environ) == str(paths.cache_dir(environ))


def test_team_files_added_changed_on_disk_and_removed_are_listed(
        listed: subprocess.CompletedProcess[bytes], tmp_path: Path) -> None:
    team = tmp_path / "switcher-team.toml"
    team.write_text('name = "platform"\n[[switch_roles]]\naccount = "444455556666"\n'
                    'role = "TeamRole"\n')
    added = _run(["-m", "switcher"], ("team", "add", str(team)), None)
    assert added.returncode == 0, added.stderr
    with_team = _differential("list")
    assert b"TeamRole" in with_team.stdout and b"TeamRole" not in listed.stdout
    copy = Path(os.environ["SWITCHER_STATE_DIR"]) / "teams" / "platform.toml"
    copy.write_text(copy.read_text().replace("TeamRole", "OtherRole"))  # in place
    assert b"OtherRole" not in _differential("list").stdout  # the pinned content is used
    copy.unlink()
    copy.with_suffix(".json").unlink()
    lost = _differential("list")
    assert b"missing or changed on disk" in lost.stderr and b"TeamRole" not in lost.stdout
    removed = _run(["-m", "switcher"], ("team", "remove", "platform"), None)
    assert removed.returncode == 0, removed.stderr
    assert b"TeamRole" not in _differential("list").stdout
