"""What a crash leaves: one line that names what failed and where (never a value: exception
messages and local variables can hold keys and tokens), and the traceback, frames and
exception types only, in a private file of ours for a bug report."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from switcher.store.atomic import write_private

REPORT_NAME = "crash.log"


def where(error: BaseException) -> str:
    """`file:line (function)` of the innermost frame of switcher's own code."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if "/switcher/" in f.filename.replace("\\", "/")] or frames
    if not own:
        return "an unknown place"
    frame = own[-1]
    path = frame.filename.replace("\\", "/")
    short = path[path.rindex("/switcher/") + 1:] if "/switcher/" in path else path
    return f"{short}:{frame.lineno} ({frame.name})"


def summary(error: BaseException) -> str:
    """One line for the user: the exception's type and where, no message text."""
    return f"unexpected error: {type(error).__name__} in {where(error)}"


def _frames(error: BaseException) -> str:
    """The traceback of `error` and of its causes: frames and exception types only. The
    messages are left out like the local variables: either can hold a key or a token."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        parts.insert(0, "Traceback (most recent call last):\n" + "".join(frames)
                     + f"{type(current).__module__}.{type(current).__qualname__}\n")
        current = current.__cause__ or current.__context__
    return "\nWhile handling the above, another error came:\n\n".join(parts)


def write_report(folder: Path, error: BaseException) -> Path | None:
    """The traceback (no messages, no local variables) in `folder`/crash.log, 0600; None
    when it cannot be written (a crash report must never cause a second crash)."""
    path = folder / REPORT_NAME
    text = time.strftime("%Y-%m-%d %H:%M:%S %z") + "\n" + _frames(error)
    try:
        write_private(path, text)
    except OSError:
        return None
    return path
