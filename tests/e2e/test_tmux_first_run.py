"""A first run in a real terminal at 80x24: no ~/.aws at all, the welcome takes a start URL
typed into it, writes the [sso-session], signs in with a device code (over SSH, no browser)
approved on "another device", and the list fills from the emulator."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Setup, approve
from tests.e2e.chromium import missing
from tests.e2e.test_tmux_demo import Terminal

pytestmark = pytest.mark.tmux


@pytest.fixture
def short_home() -> Iterator[Path]:
    """A HOME with a short path, so that the files the welcome names fit on a line."""
    folder = Path(tempfile.mkdtemp(prefix="sw-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_first_run_in_a_real_terminal(setup: Setup, short_home: Path) -> None:
    if shutil.which("tmux") is None:
        missing("tmux (apt-get install tmux)")
    home = short_home
    environment = dict(setup.emulator.environment())
    environment.update(
        HOME=str(home), PATH=os.environ.get("PATH", "/usr/bin:/bin"), TERM="xterm-256color",
        LANG="C.UTF-8", SSH_CONNECTION="10.0.0.1 22 10.0.0.2 22",  # no browser: a device code
        BROWSER="true", SWITCHER_SSO_CACHE_DIR=str(home / "sso-cache"))
    command = (f"env -i {' '.join(f'{k}={shlex.quote(v)}' for k, v in environment.items())} "
               f"{shlex.quote(sys.executable)} -m switcher")
    name = f"switcher-first-run-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "80",
                    "-y", "24", command], check=True)
    term = Terminal(name)
    config = home / ".aws" / "config"
    try:
        shown = term.wait_for("Welcome: no AWS accounts yet", timeout=60)
        assert f"{config}: not found" in shown and "Esc skip" in shown
        term.keys("https://nowhere", literal=True)
        term.keys("Enter")  # a region is there already (us-east-1); the URL is wrong
        term.wait_for("is not a start URL")
        assert not config.exists()
        term.keys("C-u")
        start_url = setup.emulator.state.organization.start_url
        term.keys(start_url, literal=True)
        term.wait_for(f"Start URL  {start_url}")
        # Keys a moment apart, as a person types them: a burst of Tabs from tmux reaches the
        # app in one read, before the first focus change is done.
        for _ in range(2):
            term.keys("Tab")
            time.sleep(0.3)
        term.keys("work", literal=True)
        term.wait_for("Name       work")
        term.keys("Enter")
        shown = term.wait_for("Sign in with a code", timeout=60)
        url = re.search(r"(http://127\.0\.0\.1:\d+/\S+)", shown)
        assert url is not None, shown
        approve(url.group(1))  # on another device
        shown = term.wait_for("storefront-dev", timeout=60)
        assert "work: signed in" in shown
        assert "[sso-session work]" in config.read_text()
        term.keys("C-q")
        deadline = time.monotonic() + 15
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
