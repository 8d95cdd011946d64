"""The real AWS CLI v1, from the package index, in a virtualenv of its own: it pins botocore, so
it cannot share ours. Installed once into the checkout's ignored `.venv-awscli/` and kept
there (CI's fresh clone installs it once per run); a lock keeps two runs from installing at
once, and a stamp says which version is there, so a change of AWS_CLI below installs anew.

Where the package index cannot be reached the tests that need the AWS CLI are skipped, except
in CI (`CI` or `SWITCHER_REQUIRE_E2E` set), where they fail and say why."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

AWS_CLI = "awscli==1.46.3"
"""The version the interop tests were written against (botocore 1.43, which honours
AWS_ENDPOINT_URL_<SERVICE> as every botocore since 1.31 does)."""
FOLDER = Path(__file__).resolve().parent.parent / ".venv-awscli"
INSTALL_SECONDS = 600
# Read at import: the isolation fixture removes every SWITCHER_* variable before a test runs.
REQUIRED = bool(os.environ.get("CI") or os.environ.get("SWITCHER_REQUIRE_E2E"))


def _unavailable(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"{reason}; the AWS CLI interop tests must run in CI")
    pytest.skip(reason)


def _install(folder: Path) -> str:
    """'' once `folder` holds the AWS CLI, else what went wrong (the end of pip's output)."""
    shutil.rmtree(folder, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True,
                       capture_output=True, text=True, timeout=120)
        finished = subprocess.run(
            [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", "--timeout", "60", "--retries", "2", AWS_CLI],
            capture_output=True, text=True, timeout=INSTALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return f"no answer within {INSTALL_SECONDS} s"
    except subprocess.CalledProcessError as error:
        return f"python -m venv failed: {error.stderr.strip()[-300:]}"
    if finished.returncode != 0:
        errors = [line for line in finished.stderr.splitlines() if line.startswith("ERROR")]
        return (errors[-1] if errors else finished.stderr.strip()[-300:]
                or f"pip exited with {finished.returncode}")
    return ""


def aws_cli() -> Path:
    """The `aws` program of AWS_CLI, installed when it is not there yet (one retry)."""
    program = FOLDER / "bin" / "aws"
    stamp = FOLDER / ".installed"
    FOLDER.parent.joinpath(".venv-awscli.lock").touch()
    with open(FOLDER.parent / ".venv-awscli.lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if program.exists() and stamp.exists() and stamp.read_text() == AWS_CLI:
            return program
        problem = _install(FOLDER) and _install(FOLDER)
        if problem:
            shutil.rmtree(FOLDER, ignore_errors=True)
            _unavailable(f"could not install {AWS_CLI} from the package index: {problem}")
        stamp.write_text(AWS_CLI)
    return program
