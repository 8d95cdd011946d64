"""Attacks from another local user: code run as uid 65534 through util-linux's setpriv, against
the servers switcher opens on 127.0.0.1 (which every user of the machine can connect to)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from typing import NoReturn

import pytest

from switcher.localserver import uid_check_available

# Read at import: the isolation fixture removes every SWITCHER_* variable before a test runs.
REQUIRED = bool(os.environ.get("SWITCHER_REQUIRE_E2E"))
NOBODY = 65534

FETCH = """
import sys, urllib.error, urllib.request
class Stop(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
url, follow, *headers = sys.argv[1:]
opener = urllib.request.build_opener(*([] if follow == "follow" else [Stop()]))
request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
try:
    with opener.open(request, timeout=10) as answer:
        print(answer.status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception as error:
    print(type(error).__name__)
"""


def _unavailable(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"{reason}; the other-user tests must run here (SWITCHER_REQUIRE_E2E is set)")
    pytest.skip(reason)


def _setpriv() -> list[str]:
    if not sys.platform.startswith("linux") or not uid_check_available():
        _unavailable("the uid check needs Linux's /proc/net/tcp")
    if shutil.which("setpriv") is None:
        _unavailable("setpriv (util-linux) is not installed")
    if os.getuid() != 0:
        _unavailable("running code as another uid needs the tests to run as root")
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@functools.cache
def _python() -> str | None:
    """An interpreter uid 65534 may run (a virtualenv under /root may be out of its reach)."""
    for candidate in (sys.executable, getattr(sys, "_base_executable", ""), "/usr/bin/python3"):
        if candidate and subprocess.run([*_setpriv(), candidate, "-I", "-c", "pass"], cwd="/",
                                        capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def other_user_python() -> list[str]:
    """The command that runs Python (isolated mode) as uid 65534; skips or fails the test
    where that is impossible."""
    setpriv = _setpriv()
    python = _python() or _unavailable("no Python interpreter that uid 65534 can run")
    return [*setpriv, python, "-I"]


def run_as_other_user(code: str, *args: str) -> str:
    """Runs Python `code` as uid 65534; its standard output, stripped."""
    finished = subprocess.run([*other_user_python(), "-c", code, *args], cwd="/",
                              env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                              timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout.strip()


def fetch_as_other_user(url: str, headers: dict[str, str] | None = None,
                        follow: bool = False) -> str:
    """GET `url` as uid 65534: the HTTP status, or the name of the error (a refused connection
    shows as RemoteDisconnected or ConnectionResetError)."""
    return run_as_other_user(FETCH, url, "follow" if follow else "stop",
                             *(f"{name}: {value}" for name, value in (headers or {}).items()))


def refused(outcome: str) -> bool:
    """No HTTP answer at all: the connection was closed unanswered."""
    return not outcome.isdigit()
