"""A real headless Chromium follows switcher's sign-in links to the emulator's console."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from switcher.actions.browser import OneTimeRedirect
from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.e2e.chromium import chromium_command

pytestmark = pytest.mark.browser


def test_chromium_lands_on_the_account_role_and_region(signed_in: Workspace, setup: Setup,
                                                       tmp_path: Path) -> None:
    target, _ = signed_in.resolve("payments-prod/ReadOnlyAccess")
    redirect = OneTimeRedirect(signed_in.console_url(target, "eu-west-3", "cloudwatch/home"))
    dom = subprocess.run(chromium_command(tmp_path / "profile", "--dump-dom", redirect.url),
                         capture_output=True, text=True, timeout=90, check=False).stdout
    assert f'<td id="account_id">{target.account_id}</td>' in dom
    assert '<td id="account_name">payments-prod</td>' in dom
    assert '<td id="region">eu-west-3</td>' in dom
    assert '<td id="service">cloudwatch</td>' in dom
    assert "AWSReservedSSO_ReadOnlyAccess_" in dom


def test_switcher_console_opens_chromium(signed_in: Workspace, setup: Setup,
                                         tmp_path: Path) -> None:
    signed_in.targets()  # fills the inventory cache the CLI reads
    command = chromium_command(tmp_path / "profile", "--dump-dom")
    environment = dict(os.environ, SWITCHER_BROWSER=shlex.join(command) + " {url}")
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "console", "shared-deployer", "--region", "eu-north-1"],
        env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    deadline = time.monotonic() + 30
    while not setup.emulator.state.console_visits and time.monotonic() < deadline:
        time.sleep(0.2)
    visit = setup.emulator.state.console_visits[-1]
    assert visit["account_id"] == setup.account_id("acme-shared-services")
    assert (visit["role"], visit["session_name"]) == ("Deployer", "jane-deployer")
    assert visit["region"] == "eu-north-1"
    assert "SigninToken" not in finished.stderr + finished.stdout
