"""A crash prints what failed and where, never a value: not the message, not the local
variables (which held the environment's keys), and exits non-zero; the traceback goes to a
private crash.log with frames and exception types only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.tui.app import SwitcherApp
from switcher.workspace import Workspace
from tests.conftest import Setup

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN"
CRASH = """
import os, sys
import switcher.cli as cli
def boom(args):
    secret = os.environ["AWS_SECRET_ACCESS_KEY"]
    raise KeyError(f"no such thing: {secret}")
cli.HANDLERS["list"] = boom
sys.exit(cli.main(sys.argv[1:]))
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": TOKEN,
            "SWITCHER_STATE_DIR": str(tmp_path / "state")}


def _assert_private_and_clean(report: Path) -> None:
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text()
    assert SECRET not in text and TOKEN not in text
    assert "KeyError" in text or "RuntimeError" in text


def test_a_cli_crash_prints_one_line_without_values(tmp_path: Path) -> None:
    crashed = subprocess.run([sys.executable, "-c", CRASH, "list"], env=_environment(tmp_path),
                             capture_output=True, text=True, timeout=60, check=False)
    assert crashed.returncode == 1
    assert crashed.stdout == ""
    lines = crashed.stderr.strip().splitlines()
    assert len(lines) == 1, crashed.stderr
    assert lines[0].startswith("switcher: unexpected error: KeyError in ")
    assert SECRET not in crashed.stderr and TOKEN not in crashed.stderr
    _assert_private_and_clean(tmp_path / "state" / "crash.log")


def test_debug_shows_the_traceback_without_local_variables(tmp_path: Path) -> None:
    crashed = subprocess.run([sys.executable, "-c", CRASH, "--debug", "list"],
                             env=_environment(tmp_path), capture_output=True, text=True,
                             timeout=60, check=False)
    assert crashed.returncode == 1
    assert "Traceback" in crashed.stderr
    assert TOKEN not in crashed.stderr  # locals are not shown: the environment is not either


def test_a_broken_config_toml_stops_with_its_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "config.toml").write_text('[guardrails\nmode = "off"\n')
    for command in ([], ["list"], ["exec", "x/y", "--", "true"]):
        finished = subprocess.run(
            [sys.executable, "-m", "switcher", *command],
            env={**_environment(tmp_path), "SWITCHER_CONFIG_DIR": str(folder)},
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
        assert finished.returncode == 1, (command, finished.stderr)
        assert f"{folder / 'config.toml'}:1:" in finished.stderr
        assert "Traceback" not in finished.stderr and SECRET not in finished.stderr


async def test_an_app_crash_prints_one_line_and_keeps_values_out(
        setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("SWITCHER_STATE_DIR", str(tmp_path / "state"))
    app = SwitcherApp(Workspace(dict(os.environ)))

    def boom() -> None:
        secret = os.environ["AWS_SECRET_ACCESS_KEY"]
        raise RuntimeError(f"bad {secret}")

    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 1
    shown = "".join(str(r) for r in app._exit_renderables)
    printed = capfd.readouterr()
    assert SECRET not in shown + printed.out + printed.err
    assert "switcher: unexpected error: RuntimeError in " in shown + printed.err
    _assert_private_and_clean(tmp_path / "state" / "crash.log")


def test_a_broken_aws_config_with_a_warm_cache_stops_the_app_with_its_line(
        signed_in: Workspace, tmp_path: Path) -> None:
    signed_in.refresh()  # a warm cache: the app would open from it
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + "\n[profile jane-iam]\nregion = eu-west-1\n")
    finished = subprocess.run([sys.executable, "-m", "switcher"],
                              env={**os.environ, "AWS_SECRET_ACCESS_KEY": SECRET},
                              capture_output=True, text=True, timeout=60, check=False,
                              stdin=subprocess.DEVNULL)
    assert finished.returncode == 1
    assert f"{config}:" in finished.stderr and "unexpected error" not in finished.stderr
    assert SECRET not in finished.stderr
