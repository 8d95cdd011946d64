"""Files we do not own, edited the way their owner would want: bytes, symlinks and modes kept,
a lock and a compare-and-swap against other writers, backups no other run can overwrite."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.errors import ConfigError
from switcher.store.awsfiles import write_section
from switcher.store.editing import edit_file

CRLF = ("# keys  \r\n[default]\r\naws_access_key_id = A   \r\n\r\n"
        "[middle]\r\nregion = x\r\n\r\n[last]\r\nregion = eu-west-1  ")


def test_crlf_trailing_spaces_and_a_missing_final_newline_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_bytes(CRLF.encode())
    write_section(path, "middle", {"aws_access_key_id": "NEW"})
    replaced = path.read_bytes().decode()
    assert replaced == CRLF.replace("[middle]\r\nregion = x\r\n",
                                    "[middle]\r\naws_access_key_id = NEW\r\n")
    write_section(path, "added", {"aws_access_key_id": "B"})
    added = path.read_bytes().decode()
    # the last line gets the file's own line ending, so the new section starts a line
    assert added == replaced + "\r\n\r\n[added]\r\naws_access_key_id = B\r\n"


def test_a_symlinked_file_is_edited_through_the_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "credentials"
    real.write_text("[old]\naws_access_key_id = A\n")
    link = tmp_path / "aws" / "credentials"
    link.parent.mkdir()
    link.symlink_to(real)
    write_section(link, "new", {"aws_access_key_id": "B"})
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "[old]\naws_access_key_id = A\n\n[new]\naws_access_key_id = B\n"
    backups = list(link.parent.glob("credentials.switcher-backup-*"))
    assert [b.read_text() for b in backups] == ["[old]\naws_access_key_id = A\n"]
    assert not list(dotfiles.glob("*switcher*"))  # nothing of ours in the dotfiles folder


def test_modes_kept_for_config_and_tightened_for_secrets(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[profile a]\nregion = x\n")
    config.chmod(0o644)
    edited = write_section(config, "profile b", {"region": "y"}, secret=False)
    assert stat.S_IMODE(config.stat().st_mode) == 0o644 and edited.tightened_from is None
    credentials = tmp_path / "credentials"
    credentials.write_text("[a]\naws_access_key_id = A\n")
    credentials.chmod(0o644)
    edited = write_section(credentials, "b", {"aws_access_key_id": "B"})
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert edited.tightened_from == 0o644
    again = write_section(credentials, "c", {"aws_access_key_id": "C"})
    assert again.tightened_from is None  # said once, when it happened
    for backup in tmp_path.glob("*.switcher-backup-*"):
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_change_made_meanwhile_is_planned_again_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("[profile a]\n")
    seen: list[str] = []

    def change(text: str) -> str:
        seen.append(text)
        if len(seen) == 1:  # another tool writes between our read and our write
            path.write_text(text + "[profile theirs]\n")
        return text + "[profile ours]\n"

    edited = edit_file(path, change, secret=False)
    assert path.read_text() == "[profile a]\n[profile theirs]\n[profile ours]\n"
    assert edited.attempts == 2 and seen[1] == "[profile a]\n[profile theirs]\n"
    assert edited.backup is not None and edited.backup.read_text() == seen[1]


def test_a_file_that_never_settles_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("0")

    def change(text: str) -> str:
        path.write_text(str(int(text) + 1))
        return "ours"

    with pytest.raises(ConfigError, match="kept changing"):
        edit_file(path, change, secret=False)
    assert path.read_text() == "5" and not list(tmp_path.glob("config.switcher-backup-*"))


_WRITER = """
import sys
from pathlib import Path
from switcher.store.awsfiles import write_section
path, prefix, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for number in range(count):
    write_section(path, f"{prefix}-{number}", {"aws_access_key_id": f"{prefix}{number}"})
"""


def test_concurrent_runs_lose_nothing_and_never_share_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text("[default]\n")
    count = 60
    runs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), prefix, str(count)])
            for prefix in ("one", "two")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    text = path.read_text()
    for prefix in ("one", "two"):
        for number in range(count):
            assert f"[{prefix}-{number}]\n" in text
    backups = list(tmp_path.glob("credentials.switcher-backup-*"))
    # every write kept a copy of a different state of the file: none overwrote another
    assert len(backups) == 2 * count
    assert len({b.read_text() for b in backups}) == 2 * count
