"""The credential cache's files: one JSON file per entry in a folder of the cache dir that only
its owner can enter (0700), each file 0600 and written atomically. A file that is not ours
(another owner, group or world access, not a regular file, a link) or not valid JSON is
ignored and, on the next save, replaced.

This module is on the hot path of `credential-process` and `exec`: it imports nothing heavy
(no pathlib, logging or typing at run time) and does a handful of system calls."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator

FOLDER = "credentials"
ENTRY_LIMIT = 64 * 1024
"""An entry is a few hundred bytes of keys and names; anything larger is not ours."""
LOCK_WAIT = 15.0
"""How long a process waits for another one that is filling the same entry (it may be asking
for an MFA code); after that it gets credentials itself."""
STALE_AFTER = 36 * 3600
"""Entries untouched this long hold expired credentials (the longest AWS session is 36 hours)
and are deleted when another entry is saved."""

Fingerprint = list[object]


def fingerprint(paths: Iterable[str]) -> list[Fingerprint]:
    """What identifies each file's version without reading it: its inode, size, and
    modification and change times in nanoseconds (ctime cannot be set back by anyone), or
    only its path when it does not exist."""
    found: list[Fingerprint] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            found.append([path])
            continue
        found.append([path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns])
    return found


def still_current(recorded: object) -> bool:
    """Whether every file recorded by `fingerprint` is unchanged (a missing one still
    missing)."""
    if not isinstance(recorded, list):
        return False
    paths = [entry[0] for entry in recorded if isinstance(entry, list) and entry
             and isinstance(entry[0], str)]
    return len(paths) == len(recorded) and fingerprint(paths) == recorded


def _ours(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


class CredentialCache:
    def __init__(self, cache_dir: str) -> None:
        self.directory = os.path.join(cache_dir, FOLDER)

    def _path(self, name: str, suffix: str = ".json") -> str:
        if not name.isalnum():
            raise ValueError(f"not an entry name: {name!r}")
        return os.path.join(self.directory, name + suffix)

    def _folder_is_ours(self) -> bool:
        try:
            info = os.lstat(self.directory)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode) and _ours(info)

    def load(self, name: str) -> dict[str, object] | None:
        """The entry, or None when there is none or it cannot be trusted."""
        if not self._folder_is_ours():
            return None
        try:
            descriptor = os.open(self._path(name),
                                 os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            info = os.fstat(descriptor)
            if not (stat.S_ISREG(info.st_mode) and _ours(info)
                    and info.st_size <= ENTRY_LIMIT):
                return None
            data = json.loads(os.read(descriptor, ENTRY_LIMIT + 1))
        except (OSError, ValueError, RecursionError):
            return None
        finally:
            os.close(descriptor)
        return data if isinstance(data, dict) else None

    def _prepare_folder(self) -> None:
        """The folder, made or tightened to 0700; OSError when it is not ours to use."""
        os.makedirs(os.path.dirname(self.directory), mode=0o700, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.directory, 0o700)
        info = os.lstat(self.directory)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise PermissionError(f"{self.directory} is not a folder of this user")
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.chmod(self.directory, 0o700)

    def save(self, name: str, entry: dict[str, object]) -> None:
        """Write the entry (replacing whatever file was there); OSError when it cannot be."""
        from pathlib import Path

        from switcher.store.atomic import write_private

        self._prepare_folder()
        write_private(Path(self._path(name)), json.dumps(entry, separators=(",", ":")))
        self._prune(time.time() - STALE_AFTER)

    def _prune(self, before: float) -> None:
        with contextlib.suppress(OSError), os.scandir(self.directory) as entries:
            for item in entries:
                with contextlib.suppress(OSError):
                    if item.stat(follow_symlinks=False).st_mtime < before:
                        os.unlink(item.path)

    def names(self) -> list[str]:
        """The names of every entry (for clearing them)."""
        try:
            listed = os.listdir(self.directory)
        except OSError:
            return []
        return sorted(n[:-5] for n in listed if n.endswith(".json") and n[:-5].isalnum())

    def clear(self) -> int:
        """Delete every entry and lock; how many entries there were."""
        count = 0
        try:
            listed = os.listdir(self.directory)
        except OSError:
            return 0
        for item in listed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.directory, item))
                count += item.endswith(".json")
        return count

    @contextlib.contextmanager
    def locked(self, name: str, wait: float = LOCK_WAIT) -> Iterator[bool]:
        """Held while one process fills the entry, so that others started at the same moment
        wait and then read it instead of asking AWS too. Yields whether the lock was got (a
        folder we cannot use, or a wait that ran out, goes on without it)."""
        try:
            import fcntl
        except ImportError:  # no flock here: each process asks for itself
            yield False
            return
        try:
            self._prepare_folder()
            descriptor = os.open(self._path(name, ".lock"),
                                 os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            yield False
            return
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = True
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        held = False
                        break
                    time.sleep(0.02)
            yield held
        finally:
            os.close(descriptor)  # closing releases the lock
