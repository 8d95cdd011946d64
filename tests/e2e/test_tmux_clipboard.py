"""`switcher console --copy` inside a real tmux, watching what reaches the outer terminal.

The outer terminal is a pseudo-terminal this test reads: tmux is attached to it as a user's
terminal emulator would be, so an OSC 52 sequence that tmux passes on arrives there.
"""

from __future__ import annotations

import base64
import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.e2e.chromium import missing

pytestmark = pytest.mark.tmux
TARGET = "storefront-dev/ReadOnlyAccess"


def _copy_in_tmux(tmux_conf: str, folder: Path) -> tuple[bytes, str, int]:
    """What reached the outer terminal, what switcher said and its exit status."""
    if shutil.which("tmux") is None:
        missing("tmux (apt-get install tmux)")
    config = folder / "tmux.conf"
    config.write_text(tmux_conf)
    socket = f"switcher-copy-{uuid.uuid4().hex[:8]}"
    said, status = folder / "said", folder / "status"
    # The pause lets the client attach before anything is written (tmux forwards to it).
    inner = (f"sleep 0.5; {shlex.quote(sys.executable)} -m switcher console {TARGET} --copy "
             f"2>{shlex.quote(str(said))}; echo $? >{shlex.quote(str(status))}; sleep 30")
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("TMUX", "TMUX_PANE", "DISPLAY", "WAYLAND_DISPLAY")}
    environment["TERM"] = "xterm-256color"
    pid, terminal = pty.fork()
    if pid == 0:  # the child becomes tmux's client, attached to our pseudo-terminal
        os.execvpe("tmux", ["tmux", "-f", str(config), "-L", socket, "new-session", "-x",
                            "100", "-y", "20", inner], environment)
    received = b""
    deadline = time.monotonic() + 60
    settled: float | None = None
    try:
        while time.monotonic() < deadline:
            if settled is None and status.exists() and status.read_text().strip():
                settled = time.monotonic() + 0.5  # whatever tmux passes on, it does by then
            if settled is not None and time.monotonic() > settled:
                break
            ready, _, _ = select.select([terminal], [], [], 0.1)
            if ready:
                try:
                    received += os.read(terminal, 65536)
                except OSError:
                    break
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)
        os.close(terminal)
        os.waitpid(pid, 0)
    assert status.exists(), f"switcher never finished; the terminal got {received[-400:]!r}"
    return received, said.read_text(), int(status.read_text())


def test_under_tmux_defaults_nothing_is_claimed(signed_in: Workspace, setup: Setup,
                                                tmp_path: Path) -> None:
    signed_in.targets()  # fills the inventory cache the CLI reads
    received, said, status = _copy_in_tmux("", tmp_path)
    assert b"\x1b]52" not in received  # tmux's defaults pass no OSC 52 on
    assert status == 1
    assert "Not copied" in said and "set -s set-clipboard on" in said
    assert "Copied" not in said


def test_with_set_clipboard_on_the_url_reaches_the_terminal(signed_in: Workspace,
                                                            setup: Setup,
                                                            tmp_path: Path) -> None:
    signed_in.targets()
    received, said, status = _copy_in_tmux("set -s set-clipboard on\n", tmp_path)
    assert status == 0, said
    found = re.search(rb"\x1b\]52;[a-z]*;([A-Za-z0-9+/=]+)\x07", received)
    assert found, f"no OSC 52 reached the terminal: {received[-400:]!r}"
    url = base64.b64decode(found[1]).decode()
    assert url.startswith(os.environ["SWITCHER_FEDERATION_ENDPOINT"] + "?Action=login")
    assert "Sent to the terminal through tmux (OSC 52)" in said
    assert "Copied" not in said
