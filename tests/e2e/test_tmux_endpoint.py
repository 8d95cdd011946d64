"""In a real terminal: a long-running command keeps working across credential expiry when the
credential endpoint is on."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.e2e.chromium import missing
from tests.e2e.test_tmux_demo import Terminal

pytestmark = pytest.mark.tmux

LOOP = ("import boto3, time\n"
        "sts = boto3.client('sts'); keys = set()\n"
        "for i in range(14):\n"
        "    sts.get_caller_identity()\n"
        "    keys.add(sts._request_signer._credentials.get_frozen_credentials().access_key)\n"
        "    time.sleep(0.5)\n"
        "print('CALLS-OK', 14, 'KEYS', len(keys))\n")


def test_long_command_in_tmux_with_the_endpoint(signed_in: Workspace, setup: Setup,
                                                tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        missing("tmux (apt-get install tmux)")
    signed_in.targets()
    setup.emulator.knobs.credential_ttl = 2
    script = tmp_path / "loop.py"
    script.write_text(LOOP)
    names = [n for n in os.environ if n.startswith(("AWS_", "SWITCHER_"))]
    exports = " ".join(f"{n}={shlex.quote(os.environ[n])}" for n in names)
    command = (f"env {exports} HOME={shlex.quote(os.environ['HOME'])} "
               f"{shlex.quote(sys.executable)} -m switcher exec payments-dev/ReadOnlyAccess "
               f"--endpoint -- {shlex.quote(sys.executable)} {shlex.quote(str(script))}; "
               "echo EXIT=$?; sleep 30")
    name = f"switcher-endpoint-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "120",
                    "-y", "30", command], check=True)
    try:
        shown = Terminal(name).wait_for("EXIT=", timeout=60)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
    assert "EXIT=0" in shown, shown
    keys = int(shown.split("KEYS", 1)[1].split()[0])
    assert "CALLS-OK 14" in shown and keys >= 2  # credentials were renewed mid-run
