"""The wheel installs and runs: built from this tree, installed into a fresh virtualenv (its
dependencies from the package index, through pip's cache), the `switcher` command answers
`--version` and `demo --help`, and the shipped themes load from the installed package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from switcher import __version__
from switcher.cli.parser import DISTRIBUTION

ROOT = Path(__file__).resolve().parent.parent
THEMES = sorted(p.name for p in (ROOT / "themes").glob("*.toml"))


def run(command: list[str], cwd: Path, timeout: float = 600) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))}
    finished = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=cwd, env=environment, check=False)
    assert finished.returncode == 0, f"{command}: {finished.stdout}\n{finished.stderr}"
    return finished.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet",
         "--disable-pip-version-check", "-w", str(folder)], folder)
    (built,) = folder.glob("*.whl")
    return built


def test_the_wheel_is_named_for_the_index_and_carries_the_themes(wheel: Path) -> None:
    assert wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert THEMES and [n for n in THEMES if f"switcher/themes/{n}" not in names] == []
    assert not [n for n in names if n.startswith("tests/")]
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "switcher = switcher.__main__:main" in entry_points


def test_the_wheel_installs_into_a_fresh_virtualenv_and_runs(wheel: Path,
                                                              tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # No pip inside: the running pip installs into it (`--python`), which is quicker.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", str(wheel)], tmp_path)
    switcher = venv / "bin" / "switcher"

    version = run([str(switcher), "--version"], tmp_path)
    assert version.splitlines()[0] == f"switcher {__version__} ({DISTRIBUTION})"
    found = run([str(python), "-c", "import importlib.metadata as m; print("
                 "m.version('textual'), m.version('botocore'), m.version('switcher-aws'))"],
                tmp_path).split()
    assert f"Textual {found[0]}" in version and f"botocore {found[1]}" in version
    assert found[2] == __version__
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in version

    usage = run([str(switcher), "demo", "--help"], tmp_path)
    assert usage.startswith("usage: switcher demo") and "--accounts" in usage

    # The installed package (not this tree) is what runs, and its themes load.
    loaded = run([str(python), "-c",
                  "import switcher, sys; from switcher.tui.themes import load_themes, "
                  "shipped_folder; themes, warnings = load_themes([shipped_folder()]); "
                  "print(switcher.__file__); print(*sorted(t.name for t in themes)); "
                  "print(len(warnings))"], tmp_path).splitlines()
    assert loaded[0].startswith(str(venv))
    assert loaded[1].split() == sorted(n.removesuffix(".toml") for n in THEMES)
    assert loaded[2] == "0"


def test_version_reads_metadata_without_importing_textual_or_botocore() -> None:
    code = ("import sys\nfrom switcher.cli import main\ntry:\n    main(['--version'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('textual', 'botocore', 'boto3') if m in sys.modules))")
    output = run([sys.executable, "-c", code], ROOT).splitlines()
    assert output[0] == f"switcher {__version__} ({DISTRIBUTION})"
    assert output[-1] == "[]"
