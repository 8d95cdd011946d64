"""No secret in --debug output, and every file of ours private."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from switcher.paths import sso_cache_dir
from switcher.workspace import Workspace
from tests.conftest import Setup

DUMP = ("import json, os, sys; json.dump({k: os.environ[k] for k in ('AWS_SECRET_ACCESS_KEY', "
        "'AWS_SESSION_TOKEN')}, open(sys.argv[1], 'w'))")


def test_debug_output_carries_no_secret(signed_in: Workspace, setup: Setup,
                                        tmp_path: Path) -> None:
    signed_in.targets()
    dump = tmp_path / "seen.json"
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "--debug", "exec", "shared-deployer", "--",
         sys.executable, "-c", DUMP, str(dump)],
        capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    secrets = list(json.loads(dump.read_text()).values())
    token_file = next(sso_cache_dir().glob("*.json"))
    secrets.append(json.loads(token_file.read_text()).get("accessToken", "missing"))
    output = finished.stdout + finished.stderr
    assert all(secret and secret not in output for secret in secrets)


def test_files_we_write_are_private(signed_in: Workspace) -> None:
    signed_in.targets()
    ours = [*Path(os.environ["SWITCHER_CACHE_DIR"]).rglob("*"),
            *sso_cache_dir().rglob("*")]
    files = [p for p in ours if p.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


SCAN = """
import os, pathlib, sys
secrets = [os.environ['AWS_SECRET_ACCESS_KEY'], os.environ['AWS_SESSION_TOKEN'],
           os.environ['AWS_ACCESS_KEY_ID']]
found = []
for cmdline in pathlib.Path('/proc').glob('[0-9]*/cmdline'):
    try:
        text = cmdline.read_bytes().decode('utf-8', 'replace')
    except OSError:
        continue
    found += [cmdline.parent.name for s in secrets if s in text]
print('FOUND', found)
"""


def test_no_secret_in_any_process_argv(signed_in: Workspace) -> None:
    """While switcher runs a command with credentials, no process's command line holds them."""
    signed_in.targets()
    finished = subprocess.run(
        [sys.executable, "-m", "switcher", "exec", "payments-prod/ReadOnlyAccess", "--yes", "--",
         sys.executable, "-c", SCAN], capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "FOUND []" in finished.stdout
