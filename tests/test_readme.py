"""The README's emulator lines work pasted as written (in a bash with switcher on PATH; only
the /tmp folder is moved, so that runs side by side do not meet). Its `aws` line needs the AWS
CLI: tests/test_aws_cli.py runs the block with it; here it is left out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def run_emulator_block(tmp_path: Path, aws: Path | None = None
                       ) -> subprocess.CompletedProcess[str]:
    """The README's emulator block in bash -e, with `aws`'s folder on PATH (or its `aws`
    lines left out)."""
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("needs bash and curl, as the README's lines do")
    section = README.read_text().split("## The emulator", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    lines = [line for line in block.group(1).splitlines()
             if aws is not None or not line.startswith("aws ")]
    script = "\n".join(lines).replace("/tmp/emu", str(tmp_path / "emu"))
    folders = [str(Path(sys.executable).parent), *([str(aws.parent)] if aws else []),
               os.environ["PATH"]]
    environment = {"HOME": str(tmp_path), "LANG": "C.UTF-8", "PATH": os.pathsep.join(folders),
                   "TMPDIR": str(tmp_path)}
    return subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                          timeout=120, env=environment, check=False)


def test_the_emulator_lines_of_the_readme_work_as_written(tmp_path: Path) -> None:
    finished = run_emulator_block(tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert "Signed in to emulator" in finished.stderr
    assert "payments-prod" in finished.stdout and "storefront-dev" in finished.stdout
    assert not (tmp_path / ".aws").exists()  # the HOME it was started with is untouched


def test_the_emulator_lines_never_source_another_users_env_sh(tmp_path: Path) -> None:
    """Another user made the folder first (the README's name, moved under tmp_path as the
    block is), with an env.sh of theirs in it: the block must not run it."""
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    planted = tmp_path / "emu"
    (planted / "home").mkdir(parents=True)
    (planted / "env.sh").write_text("echo PLANTED-BY-ANOTHER-USER\n")
    for path in (planted, planted / "home", planted / "env.sh"):
        os.chown(path, 65534, 65534)
        path.chmod(0o777 if path.is_dir() else 0o666)
    finished = run_emulator_block(tmp_path)
    assert "PLANTED-BY-ANOTHER-USER" not in finished.stdout + finished.stderr
    assert finished.returncode == 0, finished.stderr
    assert "payments-prod" in finished.stdout


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


def test_dev_without_a_command_prints_its_usage_and_nothing_else() -> None:
    script = README.parent / "dev"
    finished = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                              timeout=30, check=True)
    lines = finished.stdout.splitlines()
    assert any("./dev demo" in line for line in lines)
    assert all(line.startswith("#") for line in lines), lines
