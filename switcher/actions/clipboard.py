"""Copying to the clipboard from a terminal, also over SSH: the OSC 52 escape sequence."""

from __future__ import annotations

import base64
import os

from switcher.errors import SwitcherError


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if os.environ.get("TMUX"):  # tmux passes the sequence on only when wrapped
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def copy_with_osc52(text: str) -> None:
    """Write the sequence to the controlling terminal (not stdout, which may be a pipe)."""
    try:
        with open("/dev/tty", "w", encoding="ascii") as terminal:
            terminal.write(osc52(text))
            terminal.flush()
    except OSError:
        raise SwitcherError("No terminal to copy through; use --print-url") from None
