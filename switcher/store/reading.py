"""Reading the files switcher is pointed at, bounded: only regular files (a FIFO would block
for ever, /dev/zero would read until memory runs out), and only up to a size cap."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024
CONFIG_LIMIT = 16 * MiB
"""~/.aws/config, ~/.aws/credentials, config.toml, AESR files, our state: far above any real
one (10,000 profiles are about 1 MiB)."""
CACHE_LIMIT = 256 * MiB
"""Our inventory cache (100,000 targets are about 10 MiB)."""
TOKEN_LIMIT = 1 * MiB
"""One token or client registration in the AWS CLI's cache (a few kilobytes)."""


class NotRegularFileError(OSError):
    """A FIFO, a device, a socket or a directory where a file was expected."""


class FileTooLargeError(OSError):
    pass


class NotOursError(OSError):
    """A file of switcher's own state that another user owns or may write into: it could
    have been planted, so it is not read."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int = CONFIG_LIMIT, ours: bool = False) -> bytes:
    """The bytes of `path` (symlinks followed), or NotRegularFileError / FileTooLargeError /
    the OSError of opening it. Opened without blocking, so a FIFO is refused, not waited on.
    `ours`: a file switcher wrote for this user, refused (NotOursError) when another user
    owns it or may write into it."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(f"{path} is {_kind(info.st_mode)}, not a regular file")
        if ours and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            raise NotOursError(f"{path} is not yours alone (another user owns it or may "
                               "write into it)")
        if info.st_size > limit:
            raise FileTooLargeError(f"{path} is larger than {limit // MiB} MiB")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, 1 * MiB):
            size += len(chunk)
            if size > limit:  # grew while we read it
                raise FileTooLargeError(f"{path} is larger than {limit // MiB} MiB")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_regular_text(path: Path, limit: int = CONFIG_LIMIT, ours: bool = False) -> str:
    return read_regular(path, limit, ours).decode("utf-8")
