"""Fixtures: an emulator on a free port, and a temporary HOME whose AWS config points at it."""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import Organization, generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.emulator.state import Knobs
from switcher.workspace import Workspace

# Nothing a test does may reach the user's real files or real AWS.
_ISOLATED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
             "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "SWITCHER_TARGET",
             "SWITCHER_BROWSER", "BROWSER", "AWS_ENDPOINT_URL", "AWS_MAX_ATTEMPTS")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", *_ISOLATED):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith(("AWS_ENDPOINT_URL_", "SWITCHER_")):
            monkeypatch.delenv(name, raising=False)
    return home


def approve(url: str) -> None:
    """What a user's browser does with the verification URL (the emulator auto-approves)."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


@dataclass
class Setup:
    emulator: Emulator
    directory: Path
    environment: dict[str, str]

    def workspace(self, clients: ClientFactory | None = None) -> Workspace:
        workspace = Workspace(dict(os.environ), clients)
        workspace.sign_in_opener = approve
        return workspace

    def sign_in(self, workspace: Workspace) -> Workspace:
        for instance in workspace.instances():
            workspace.login(instance, lambda _code, url: approve(url))
        return workspace

    def account_id(self, name: str) -> str:
        return next(a.account_id for a in self.emulator.state.organization.account_list()
                    if a.name == name)


def _setup(organization: Organization | None, knobs: Knobs | None, home: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    with Emulator(organization, knobs) as emulator:
        directory = home / "emulator-aws"
        environment = write_profile_dir(directory, emulator)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        yield Setup(emulator, directory, environment)


@pytest.fixture
def setup(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """The seeded demo organisation, its AWS config folder and endpoints in the environment."""
    yield from _setup(None, None, isolated_home, monkeypatch)


@pytest.fixture
def signed_in(setup: Setup) -> Workspace:
    return setup.sign_in(setup.workspace())


@pytest.fixture
def large_setup(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """A generated organisation of 2,000 accounts with the throttle off."""
    yield from _setup(generated_organization(2000), Knobs(throttle=False), isolated_home,
                      monkeypatch)


@pytest.fixture
def clipboard_tool(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for xclip on PATH (with a DISPLAY), as on a desktop: what is copied lands in
    the returned file."""
    folder = tmp_path_factory.mktemp("clipboard")
    landed = folder / "clipboard.txt"
    tool = folder / "xclip"
    tool.write_text(f'#!/bin/sh\numask 077\ncat > "{landed}"\n')
    tool.chmod(0o700)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return landed
