"""Headless Chromium, as the tests start it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic")


# Read at import: the isolation fixture removes every SWITCHER_* variable before a test runs.
REQUIRED = bool(os.environ.get("SWITCHER_REQUIRE_E2E"))


def missing(what: str) -> None:
    """Skip on a developer's machine without `what`; fail in CI, where it must be there."""
    if REQUIRED:
        pytest.fail(f"{what} is required here (SWITCHER_REQUIRE_E2E is set)")
    pytest.skip(f"{what} is not installed")


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    missing("headless Chromium (apt-get install chromium)")
    raise AssertionError("unreachable")


def chromium_command(profile: Path, *extra: str) -> list[str]:
    return [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", *extra]
