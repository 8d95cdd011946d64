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


def _visits_after(setup: Setup, count: int, timeout: float = 30) -> list[dict[str, str]]:
    deadline = time.monotonic() + timeout
    while len(setup.emulator.state.console_visits) <= count and time.monotonic() < deadline:
        time.sleep(0.2)
    return setup.emulator.state.console_visits[count:]


def test_switchrole_link_in_a_signed_in_browser(signed_in: Workspace, setup: Setup,
                                                tmp_path: Path) -> None:
    """First a federated sign-in, then the console's own switchrole link in the same browser
    profile: it lands as the role, keeping the display name and colour."""
    shared = setup.account_id("acme-shared-services")
    base, _ = signed_in.resolve("acme-management/AdministratorAccess")
    first = OneTimeRedirect(signed_in.console_url(base, "us-east-1"))
    subprocess.run(chromium_command(tmp_path / "profile", "--dump-dom", first.url),
                   capture_output=True, timeout=90, check=False)
    assert setup.emulator.state.console_visits[-1]["account_id"] == base.account_id
    from switcher.model import Account, SourceKind, Target, Way

    entry = Target(Account(shared, "acme-shared-services"), "OrganizationAccountAccessRole",
                   (Way(SourceKind.SWITCH_ROLE, display_name="Shared (org role)",
                        color="83d4e8"),))
    url = signed_in.console_url(entry, "eu-west-1", "s3", method="switchrole")
    assert "SigninToken" not in url
    seen = len(setup.emulator.state.console_visits)
    subprocess.run(chromium_command(tmp_path / "profile", "--dump-dom", url),
                   capture_output=True, timeout=90, check=False)
    visit = _visits_after(setup, seen)[-1]
    assert (visit["account_id"], visit["role"]) == (shared, "OrganizationAccountAccessRole")
    assert (visit["display_name"], visit["color"], visit["via"]) == (
        "Shared (org role)", "83d4e8", "switchrole")
    assert (visit["region"], visit["service"]) == ("eu-west-1", "s3")


def test_portal_shortcut_in_chromium(signed_in: Workspace, setup: Setup,
                                     tmp_path: Path) -> None:
    target, _ = signed_in.resolve("payments-dev/PowerUserAccess")
    url = signed_in.console_url(target, "ap-northeast-2", "lambda", method="portal")
    assert url.startswith(setup.emulator.state.organization.start_url + "/#/console?")
    subprocess.run(chromium_command(tmp_path / "profile", "--virtual-time-budget=10000",
                                    "--dump-dom", url),
                   capture_output=True, timeout=90, check=False)
    visit = _visits_after(setup, 0)[-1]
    assert visit["account_id"] == target.account_id
    assert visit["role"].startswith("AWSReservedSSO_PowerUserAccess_")
    assert (visit["region"], visit["service"]) == ("ap-northeast-2", "lambda")
    assert visit["issuer"].endswith("/start")


def test_logout_first_replaces_the_previous_session(signed_in: Workspace, setup: Setup,
                                                    tmp_path: Path) -> None:
    first, _ = signed_in.resolve("storefront-dev/ReadOnlyAccess")
    second, _ = signed_in.resolve("storefront-staging/ReadOnlyAccess")
    for target in (first, second):
        redirect = OneTimeRedirect(signed_in.console_url(target, "us-east-1",
                                                         logout_first=True))
        subprocess.run(chromium_command(tmp_path / "profile", "--dump-dom", redirect.url),
                       capture_output=True, timeout=90, check=False)
    visits = setup.emulator.state.console_visits
    assert [v["account_name"] for v in visits] == ["storefront-dev", "storefront-staging"]
    assert len(setup.emulator.state.console_sessions) == 1  # the first one was signed out
