"""`switcher demo`: the emulator, a signed-in demo user and the app, all in a temporary folder."""

from __future__ import annotations

import os
import sys
import tempfile
import urllib.request
from pathlib import Path

from switcher.actions.browser import INTERNAL
from switcher.emulator.console import describe_landing
from switcher.emulator.organization import generated_organization, seeded_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.workspace import Workspace


def _approve(url: str) -> None:
    """The emulator approves a device code when its verification page is visited."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def has_graphical_browser(environ: dict[str, str]) -> bool:
    return sys.platform == "darwin" or bool(environ.get("DISPLAY") or
                                            environ.get("WAYLAND_DISPLAY"))


def prepare_demo(directory: Path, emulator: Emulator) -> Workspace:
    """Point this process at `emulator` (its files in `directory`) and sign in.

    The settings go into os.environ on purpose: boto3 reads endpoints from there, and shells
    started from the demo must reach the emulator too."""
    os.environ.update(write_profile_dir(directory / "aws", emulator))
    if not os.environ.get("SWITCHER_BROWSER") and not has_graphical_browser(dict(os.environ)):
        os.environ["SWITCHER_BROWSER"] = INTERNAL
    workspace = Workspace()
    workspace.sign_in_opener = _approve
    if os.environ.get("SWITCHER_BROWSER") == INTERNAL:  # the app says where it landed
        workspace.describe_landing = describe_landing
    for instance in workspace.instances():
        workspace.login(instance, lambda _code, url: _approve(url))
    return workspace


def run_demo(accounts: int = 0) -> int:
    from switcher.tui.app import SwitcherApp

    organization = generated_organization(accounts) if accounts else seeded_organization()
    with tempfile.TemporaryDirectory(prefix="switcher-demo-") as folder, \
            Emulator(organization) as emulator:
        workspace = prepare_demo(Path(folder), emulator)
        SwitcherApp(workspace).run()
    return 0
