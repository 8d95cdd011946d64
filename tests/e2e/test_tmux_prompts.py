"""zsh and fish, in a real terminal: the prompt shows the target in its environment's colour
and sets the terminal title; a hostile account name is shown, never run."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from switcher.actions.prompt import prepare
from tests.actions.test_shell import HOSTILE
from tests.e2e.chromium import missing
from tests.e2e.test_tmux_demo import Terminal

pytestmark = pytest.mark.tmux
LABEL = "PRODUCTION shop?(touch /tmp/switcher-pwned)?id??F?red??e?31m/Admin"


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_prompt_in_a_real_terminal(shell: str, tmp_path: Path) -> None:
    for needed in ("tmux", shell):
        if shutil.which(needed) is None:
            missing(f"{needed} (apt-get install {needed})")
    environment = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "xterm-256color",
                   "LANG": "C.UTF-8", "PROMPT": "$ "}
    command, folder = prepare(str(shutil.which(shell)), HOSTILE, environment, environment)
    name = f"switcher-prompt-{uuid.uuid4().hex[:8]}"
    settings = [argument for key, value in environment.items()
                for argument in ("-e", f"{key}={value}")]
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "160",
                    "-y", "12", *settings, shlex.join(command)], check=True)
    terminal = Terminal(name)
    try:
        terminal.wait_for(LABEL)
        terminal.keys("echo READY", "Enter")
        terminal.wait_for("READY")
        coloured = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", name],
                                  capture_output=True, text=True, check=True).stdout
        title = subprocess.run(["tmux", "display", "-p", "-t", name, "#{pane_title}"],
                               capture_output=True, text=True, check=True).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
        if folder is not None:
            shutil.rmtree(folder)
    assert "\x1b[38;2;0;0;0m\x1b[48;2;242;176;169m " + LABEL in coloured  # production's colour
    after_label = coloured.split(LABEL, 1)[1]
    assert after_label.startswith(" \x1b[0m")  # and back to plain after it
    assert "\\e[0m" not in coloured  # no escape shown as text
    assert title.startswith("switcher: PRODUCTION shop")
    assert not Path("/tmp/switcher-pwned").exists()
