"""`switcher emulator --write-profile-dir`: the folder holds the sign-in's token (in its HOME)
and an env.sh that is sourced, so another user must neither own it nor write into it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.emulator.profiles import ProfileDirError, home_of, token_cache_of, write_profile_dir
from switcher.emulator.server import Emulator

NOBODY = 65534
PLANTED = "echo planted\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_folder_and_everything_in_it_is_the_users_alone(tmp_path: Path) -> None:
    folder = tmp_path / "emu"
    with Emulator() as emulator:
        write_profile_dir(folder, emulator)
    assert _mode(folder) == 0o700
    assert _mode(home_of(folder)) == 0o700
    assert _mode(token_cache_of(folder)) == 0o700
    for name in ("config", "credentials", "env.sh"):
        assert _mode(folder / name) == 0o600, name


def test_a_folder_others_may_write_into_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "emu"
    folder.mkdir()
    folder.chmod(0o777)
    (folder / "env.sh").write_text(PLANTED)
    with Emulator() as emulator, pytest.raises(ProfileDirError, match="written by other users"):
        write_profile_dir(folder, emulator)
    assert (folder / "env.sh").read_text() == PLANTED
    assert not home_of(folder).exists()


def test_another_users_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    folder = tmp_path / "emu"
    home_of(folder).mkdir(parents=True)
    (folder / "env.sh").write_text(PLANTED)
    for path in (folder, home_of(folder), folder / "env.sh"):
        os.chown(path, NOBODY, NOBODY)
    folder.chmod(0o755)  # not writable by us-as-a-group-member, only by its owner
    finished = subprocess.run([sys.executable, "-m", "switcher", "emulator",
                               "--write-profile-dir", str(folder)],
                              capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 1
    assert finished.stderr.splitlines()[-1] == (
        f"switcher: error: {folder} is not a folder of yours; give --write-profile-dir a new "
        "folder (it is made 0700)")
    assert finished.stdout == ""  # no exports to source
    assert (folder / "env.sh").read_text() == PLANTED
    assert not (folder / "config").exists()
    assert not token_cache_of(folder).exists()


def test_a_home_inside_that_is_another_users_is_refused(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    folder = tmp_path / "emu"
    home_of(folder).mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)
    os.chown(home_of(folder), NOBODY, NOBODY)
    with Emulator() as emulator, pytest.raises(ProfileDirError, match="not a folder of yours"):
        write_profile_dir(folder, emulator)
    assert not token_cache_of(folder).exists()
