"""`switcher login` with PKCE, completed by a real headless Chromium: the browser follows the
authorize page back to switcher's loopback listener."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.paths import sso_cache_dir
from tests.conftest import Setup
from tests.e2e.chromium import chromium_command

pytestmark = pytest.mark.browser


def test_login_in_chromium(setup: Setup, tmp_path: Path) -> None:
    browser = shlex.join(chromium_command(tmp_path / "profile", "--dump-dom")) + " %s"
    finished = subprocess.run([sys.executable, "-m", "switcher", "login"],
                              env=dict(os.environ, BROWSER=browser), capture_output=True,
                              text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "Signed in to emulator" in finished.stderr
    cached = list(sso_cache_dir().glob("*.json"))
    tokens = [json.loads(p.read_text()) for p in cached]
    assert any("accessToken" in t and "refreshToken" in t for t in tokens)
    grants = {g for c in setup.emulator.state.clients.values() for g in c.grant_types}
    assert "authorization_code" in grants  # PKCE, not the device code
    listed = subprocess.run([sys.executable, "-m", "switcher", "list", "--json"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert "storefront-prod" in listed.stdout
