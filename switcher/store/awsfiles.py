"""Edits of files we do not own (~/.aws/credentials, ~/.aws/config): only on an explicit
command, with a backup first, and every other byte left as it was."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from switcher.store.atomic import write_private

_HEADER = re.compile(r"^\s*\[([^\]]+)\]\s*$")


def backup(path: Path) -> Path:
    """A private copy beside `path`, named with the time, made before any change."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.name}.switcher-backup-{stamp}")
    counter = 1
    while copy.exists():
        counter += 1
        copy = path.with_name(f"{path.name}.switcher-backup-{stamp}-{counter}")
    shutil.copy2(path, copy)
    os.chmod(copy, 0o600)
    return copy


def remove_section(path: Path, section: str) -> Path | None:
    """Remove `[section]` (its header and lines up to the next header) from an INI file;
    everything else stays byte for byte. The backup's path, or None when there was no such
    section."""
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines(keepends=True)
    start = end = None
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match is None:
            continue
        if start is not None:
            end = index
            break
        if match.group(1).strip() == section:
            start = index
    if start is None:
        return None
    kept = lines[:start] + lines[end if end is not None else len(lines):]
    saved = backup(path)
    write_private(path, "".join(kept))
    return saved
