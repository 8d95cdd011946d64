"""The README's emulator lines work pasted as written (in a bash with switcher on PATH; only
the /tmp folder is moved, so that runs side by side do not meet)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_emulator_lines_of_the_readme_work_as_written(tmp_path: Path) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("needs bash and curl, as the README's lines do")
    section = README.read_text().split("## The emulator", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    script = block.group(1).replace("/tmp/emu", str(tmp_path / "emu"))
    environment = {"HOME": str(tmp_path), "LANG": "C.UTF-8",
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    finished = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                              timeout=120, env=environment, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "Signed in to emulator" in finished.stderr
    assert "payments-prod" in finished.stdout and "storefront-dev" in finished.stdout


def test_the_team_file_schema_in_the_readme_is_a_team_file_switcher_takes() -> None:
    from switcher.model import Environment
    from switcher.sources.team import parse_team_file

    section = README.read_text().split("## Teams", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    content = parse_team_file(block.group(1).encode(), "README.md")
    assert content.name == "platform"
    assert content.switch_roles[0]["role"] == "ops/Admin"
    assert content.guarded == (Environment.PRODUCTION, Environment.STAGING)
    assert content.targets["111122223333/Developer"]["console"] == "switchrole"
