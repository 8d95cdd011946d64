"""`switcher demo` in a real terminal under tmux, driven as a user would."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.chromium import missing

pytestmark = pytest.mark.tmux


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []),
                        *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, text: str, timeout: float = 30.0, gone: str = "") -> str:
        """The screen once it shows `text` (and no longer shows `gone`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown and not (gone and gone in shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared (or {gone!r} never left); the screen "
                             f"shows:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True, check=False).returncode == 0


@pytest.fixture
def demo_terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        missing("tmux (apt-get install tmux)")
    name = f"switcher-test-{uuid.uuid4().hex[:8]}"
    environment = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "TERM": "xterm-256color", "SHELL": shutil.which("bash") or "/bin/sh",
                   "LANG": "C.UTF-8"}
    command = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
    command = f"env -i {command} {shlex.quote(sys.executable)} -m switcher demo"
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "130",
                    "-y", "36", command], check=True)
    terminal = Terminal(name)
    try:
        yield terminal
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def test_a_whole_session(demo_terminal: Terminal) -> None:
    term = demo_terminal
    term.wait_for("storefront-dev", timeout=60)
    term.wait_for("35 targets", timeout=60, gone="listing roles")  # discovery is done
    term.wait_for("35 targets", gone="discovering")
    term.keys("payments prod read", literal=True)  # typing filters: no key to focus first
    shown = term.wait_for("payments-prod", gone="storefront-dev")
    assert "payments-staging" not in shown
    term.keys("Enter")
    term.wait_for("open its console?")  # production: the guardrail asks first
    term.keys("y")
    term.wait_for("Console opened: ▲ PROD payments-prod/ReadOnlyAccess")
    # no browser here: the demo's stand-in follows the link and says where it landed
    term.wait_for("Landed on account payments-prod")
    term.keys("C-s")
    term.wait_for("start a shell?")
    term.keys("y")
    term.wait_for("Shell for payments-prod/ReadOnlyAccess")
    term.wait_for("PRODUCTION payments-prod/ReadOnlyAccess")  # the prompt names the target
    term.keys("echo TARGET=$SWITCHER_TARGET REGION=$AWS_REGION", literal=True)
    term.keys("Enter")
    term.wait_for("TARGET=payments-prod/ReadOnlyAccess REGION=")
    check = ("import boto3; print('ARN=' + boto3.client('sts').get_caller_identity()['Arn'])")
    term.keys(f"{shlex.quote(sys.executable)} -c {shlex.quote(check)}", literal=True)
    term.keys("Enter")
    arn_screen = term.wait_for("ARN=arn:aws:sts::")
    assert "assumed-role/AWSReservedSSO_ReadOnlyAccess_" in arn_screen
    term.keys("exit", literal=True)
    term.keys("Enter")
    term.wait_for("Shell for ▲ PROD payments-prod/ReadOnlyAccess ended")
    term.keys("C-q")
    deadline = time.monotonic() + 15
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive()
