"""A real headless Chromium follows switcher's sign-in links to the emulator's console."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from switcher.actions.browser import OneTimeRedirect
from switcher.errors import ConsoleError
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


def _chromium(profile: Path, url: str) -> None:
    # The virtual time budget lets the portal page's script run before the DOM is dumped.
    subprocess.run(chromium_command(profile, "--virtual-time-budget=10000", "--dump-dom", url),
                   capture_output=True, timeout=90, check=False)


SHARED_ENTRY_ROLE = "OrganizationAccountAccessRole"


@pytest.mark.parametrize("logout_first", [False, True], ids=["plain", "logout-first-set"])
@pytest.mark.parametrize("method", ["federation", "switchrole", "portal"])
def test_every_way_in_lands_where_asked(method: str, logout_first: bool, signed_in: Workspace,
                                        setup: Setup, tmp_path: Path) -> None:
    """A browser already signed in to one account follows each way into another, with
    config.toml's logout_first off and on: federation signs out first when it is on, the
    switchrole and portal ways ignore it (with a warning) and still land."""
    from switcher.model import Account, SourceKind, Target, Way

    profile = tmp_path / "profile"
    state = setup.emulator.state
    base, _ = signed_in.resolve("acme-management/AdministratorAccess")
    _chromium(profile, OneTimeRedirect(signed_in.console_url(base, "us-east-1")).url)
    assert state.console_visits[-1]["account_id"] == base.account_id
    signed_in.__dict__["settings"] = replace(signed_in.settings,
                                             console_logout_first=logout_first)
    if method == "switchrole":
        shared = setup.account_id("acme-shared-services")
        target = Target(Account(shared, "acme-shared-services"), SHARED_ENTRY_ROLE,
                        (Way(SourceKind.SWITCH_ROLE, display_name="Shared (org role)",
                             color="83d4e8"),))
    else:
        target, _ = signed_in.resolve("payments-dev/PowerUserAccess")
    link = signed_in.console.link(target, "eu-west-1", "s3", method=method)
    signs_out = logout_first and method == "federation"
    assert ("/oauth?Action=logout" in link.url) is signs_out
    assert len(link.warnings) == (1 if logout_first and not signs_out else 0)
    sessions_before = len(state.console_sessions)
    seen = len(state.console_visits)
    _chromium(profile, OneTimeRedirect(link.url).url if method == "federation" else link.url)
    visit = _visits_after(setup, seen)[-1]
    assert visit["account_id"] == target.account_id
    assert (visit["region"], visit["service"]) == ("eu-west-1", "s3")
    if method == "switchrole":
        assert (visit["role"], visit["display_name"], visit["via"]) == (
            SHARED_ENTRY_ROLE, "Shared (org role)", "switchrole")
    else:
        assert visit["role"].startswith("AWSReservedSSO_PowerUserAccess_")
        assert visit["issuer"] == state.organization.start_url
    if method == "federation":  # signed out first: the base session is gone, not kept
        assert len(state.console_sessions) == sessions_before + (0 if signs_out else 1)


@pytest.mark.parametrize(("method", "name"), [("switchrole", "shared-deployer"),
                                              ("portal", "payments-dev/PowerUserAccess")])
def test_asking_for_logout_first_with_switchrole_or_portal_is_refused(
        method: str, name: str, signed_in: Workspace) -> None:
    target, _ = signed_in.resolve(name)
    with pytest.raises(ConsoleError, match="works only with federation"):
        signed_in.console_url(target, "eu-west-1", method=method, logout_first=True)
