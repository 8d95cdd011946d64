"""In a real terminal: `[keys]` in config.toml remaps a key, and a typed word filters the list
without starting anything (the `s` of "sandbox" once started a shell)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from switcher.actions.browser import INTERNAL
from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.e2e.chromium import missing
from tests.e2e.test_tmux_demo import Terminal

pytestmark = pytest.mark.tmux


def test_remapped_keys_and_typing_in_a_real_terminal(signed_in: Workspace, setup: Setup,
                                                      tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        missing("tmux (apt-get install tmux)")
    config = Path(os.environ["SWITCHER_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\nshell = "f9"\nhelp = "f10"\n')
    environment = {name: value for name, value in os.environ.items()
                   if name.startswith(("AWS_", "SWITCHER_"))}
    environment.update(HOME=os.environ["HOME"], PATH=os.environ.get("PATH", "/usr/bin:/bin"),
                       TERM="xterm-256color", LANG="C.UTF-8", SWITCHER_BROWSER=INTERNAL,
                       SHELL=shutil.which("bash") or "/bin/sh")
    command = (f"env -i {' '.join(f'{k}={shlex.quote(v)}' for k, v in environment.items())} "
               f"{shlex.quote(sys.executable)} -m switcher")
    name = f"switcher-keys-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120",
                    "-y", "32", command], check=True)
    term = Terminal(name)
    try:
        term.wait_for("storefront-dev", timeout=60)
        term.wait_for("f9 Shell")  # the footer shows the remapped key
        term.keys("storefront sandbox", literal=True)
        shown = term.wait_for("storefront sandbox", gone="payments-dev")
        assert "storefront-sandbox" in shown and "storefront-dev" not in shown
        assert "Console page" not in shown and "Shell for" not in shown  # its s and d
        term.keys("C-s")  # the default key of the shell, taken away by [keys]
        time.sleep(0.5)
        assert "Shell for" not in term.screen() and term.alive()
        term.keys("F10")
        term.wait_for("Start a shell with the target's credentials")
        assert "F9" in term.screen()
        term.keys("Escape")
        term.wait_for("storefront sandbox", gone="Start a shell with")
        term.keys("F9")
        term.wait_for("SANDBOX storefront-sandbox/")  # the shell's prompt names the target
        term.keys("echo TARGET=$SWITCHER_TARGET", literal=True)
        term.keys("Enter")
        term.wait_for("TARGET=storefront-sandbox/")
        term.keys("exit", literal=True)
        term.keys("Enter")
        term.wait_for("Shell for storefront-sandbox/")
        term.keys("C-q")
        deadline = time.monotonic() + 15
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
