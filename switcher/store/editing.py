"""Changing a file we do not own (~/.aws/config, ~/.aws/credentials) the way its owner would
want: symlinks followed (the target changed, the link kept), its mode kept (or made 0600 when
it holds secrets), every byte outside the change kept, a backup with a name no other run can
take, an advisory lock against other switcher runs, and a compare-and-swap against writers
that do not lock: the change is planned again if the file moved while it was planned."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from switcher.errors import ConfigError
from switcher.store.reading import read_regular

ATTEMPTS = 5
"""How many times a change is planned again when the file keeps changing under it."""
NEW_FILE_MODE = 0o600


@dataclass(frozen=True)
class Edited:
    path: Path
    """The file that changed: the target of a symlink, not the link."""
    changed: bool
    backup: Path | None = None
    """The copy of the file as it was (None when nothing changed or it did not exist)."""
    tightened_from: int | None = None
    """The mode a file of secrets had before it was made 0600."""
    attempts: int = 1


def newline_of(text: str) -> str:
    """The line ending a file uses, for the lines we add to it."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """An advisory lock on the folder that holds the file: every switcher edit of a file in
    it waits for the one before (the file itself cannot carry the lock, as it is replaced)."""
    descriptor = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def backup_path(path: Path, data: bytes, directory: Path | None = None) -> Path:
    """A private copy of `data` named after `path` and the time, beside it (or in
    `directory`); the name is claimed with O_EXCL, so two runs never share one."""
    folder = directory or path.parent
    stamp = time.strftime("%Y%m%d-%H%M%S")
    counter = 1
    while True:
        suffix = "" if counter == 1 else f"-{counter}"
        copy = folder / f"{path.name}.switcher-backup-{stamp}{suffix}"
        try:
            descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                                 0o600)
        except FileExistsError:
            counter += 1
            continue
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        return copy


def _snapshot(path: Path) -> tuple[bytes | None, int | None]:
    """The file's bytes and mode, or (None, None) when it does not exist."""
    try:
        data = read_regular(path)
        return data, stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None, None


def _decode(path: Path, data: bytes | None) -> str:
    if data is None:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error}); not changed") from None


def _write_beside(path: Path, data: bytes, mode: int) -> str:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".switcher-tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def edit_file(path: Path, change: Callable[[str], str], *, secret: bool,
              backup_directory: Path | None = None) -> Edited:
    """Apply `change` (the file's text, "" when it does not exist, to the new text) to `path`.

    The change is planned on the file as it is now and planned again if the file changes
    before the new text takes its place. A file of secrets ends 0600 (`tightened_from` says
    when it was looser); any other file keeps its mode."""
    real = Path(os.path.realpath(path))
    real.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with locked(real.parent):
        for attempt in range(1, ATTEMPTS + 1):
            data, mode = _snapshot(real)
            current = _decode(real, data)
            new = change(current)
            if new == current:
                return Edited(real, False, attempts=attempt)
            new_mode = NEW_FILE_MODE if mode is None or secret else mode
            temporary = _write_beside(real, new.encode("utf-8"), new_mode)
            try:
                if _snapshot(real)[0] != data:
                    continue  # someone else wrote meanwhile: plan again on their version
                saved = None if data is None else backup_path(
                    path, data, backup_directory or path.parent)
                os.replace(temporary, real)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
            tightened = mode if secret and mode is not None and mode & 0o077 else None
            return Edited(real, True, saved, tightened, attempt)
    raise ConfigError(f"{real} kept changing while switcher was writing it; not changed "
                      f"after {ATTEMPTS} tries")
