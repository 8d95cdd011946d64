"""Copying text from a terminal program, also over SSH, and saying truthfully what happened.

A clipboard tool (wl-copy, xclip, xsel, pbcopy, clip.exe) is used where one works: only then is
the text known to be on the clipboard. Otherwise the OSC 52 escape sequence goes to the terminal,
which may or may not honour it. Under tmux it is sent the way tmux forwards it (tested with
tmux 3.3a):
- `set-clipboard on`: a plain OSC 52 is passed on to the outer terminal;
- `allow-passthrough on`: a DCS passthrough-wrapped one is passed on;
- the defaults (`set-clipboard external`, `allow-passthrough off`): neither reaches the outer
  terminal, so nothing is sent and the message names the option to set.

The app and the CLI both call `copy` and show its `message`.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

TMUX_OPTIONS = "`set -s set-clipboard on` (or `set -g allow-passthrough on`) in ~/.tmux.conf"

# name, command, when it can reach the user's clipboard
_TOOLS: tuple[tuple[str, tuple[str, ...], Callable[[Mapping[str, str], str], bool]], ...] = (
    ("wl-copy", ("wl-copy",), lambda env, _: bool(env.get("WAYLAND_DISPLAY"))),
    ("xclip", ("xclip", "-selection", "clipboard"), lambda env, _: bool(env.get("DISPLAY"))),
    ("xsel", ("xsel", "--clipboard", "--input"), lambda env, _: bool(env.get("DISPLAY"))),
    # Over SSH these two would fill the clipboard of the machine we run on, not the user's.
    ("pbcopy", ("pbcopy",), lambda env, platform: platform == "darwin" and not _ssh(env)),
    ("clip.exe", ("clip.exe",), lambda env, _: not _ssh(env)),
)


def _ssh(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))


@dataclass(frozen=True)
class CopyOutcome:
    way: str
    """The tool's name, "osc52", "osc52 via tmux", "osc52 via tmux passthrough", or ""."""
    copied: bool
    """A clipboard tool said it took the text."""
    sent: bool
    """The escape sequence went to the terminal (whether it reached a clipboard is unknown)."""
    message: str


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07"


def tmux_passthrough(sequence: str) -> str:
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def write_to_terminal(sequence: str) -> None:
    """One write to the controlling terminal (not stdout, which may be a pipe): the kernel
    keeps one write whole, so it does not interleave with the app's own output."""
    descriptor = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
    try:
        data = sequence.encode("ascii")
        while data:
            data = data[os.write(descriptor, data):]
    finally:
        os.close(descriptor)


Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]


def _tmux_option(arguments: Sequence[str], environ: Mapping[str, str],
                 run: Runner) -> str | None:
    """An option's value from the tmux we run in, or None when tmux cannot tell."""
    try:
        answer = run(["tmux", "show-options", *arguments], env=dict(environ),
                     capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if answer.returncode != 0:
        return None
    return answer.stdout.decode("utf-8", "replace").strip()


_hinted = threading.Event()


def _hint_once() -> str:
    """The tmux options to set, the first time in this process (the app copies often)."""
    if _hinted.is_set():
        return ""
    _hinted.set()
    return f"; add {TMUX_OPTIONS}"


def copy(text: str, environ: Mapping[str, str] | None = None, *,
         write: Callable[[str], None] = write_to_terminal, run: Runner = subprocess.run,
         which: Callable[[str], str | None] = shutil.which,
         platform: str = sys.platform) -> CopyOutcome:
    """Put `text` on the clipboard as well as this process can, and say which way it went."""
    env = os.environ if environ is None else environ
    data = text.encode("utf-8")
    for name, command, usable in _TOOLS:
        if not usable(env, platform) or which(command[0]) is None:
            continue
        try:
            # No pipes to keep open: xclip and wl-copy leave a child behind to serve the text.
            answer = run(list(command), input=data, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if answer.returncode == 0:
            return CopyOutcome(name, True, False, f"Copied to the clipboard ({name})")
    sequence = osc52(text)
    way = "osc52"
    said = ("Sent to the terminal (OSC 52): it is on the clipboard only if the terminal "
            "allows OSC 52")
    if env.get("TMUX"):
        clipboard = _tmux_option(["-sv", "set-clipboard"], env, run)
        pane = ["-t", env["TMUX_PANE"]] if env.get("TMUX_PANE") else []
        passthrough = _tmux_option(["-Apv", *pane, "allow-passthrough"], env, run)
        if clipboard == "on":
            way = "osc52 via tmux"
            said = ("Sent to the terminal through tmux (OSC 52): it is on the clipboard only "
                    "if the terminal allows OSC 52")
        elif passthrough in ("on", "all") or (clipboard is not None and passthrough is None):
            # (tmux before 3.3 has no allow-passthrough option and always passes DCS on)
            sequence, way = tmux_passthrough(sequence), "osc52 via tmux passthrough"
            said = ("Sent to the terminal through tmux's passthrough (OSC 52): it is on the "
                    "clipboard only if the terminal allows OSC 52")
        elif clipboard is None:
            said = ("Sent to tmux (OSC 52): it reaches the terminal only with "
                    f"{TMUX_OPTIONS}")
        else:
            return CopyOutcome("", False, False, "Not copied: tmux passes OSC 52 on to the "
                               "terminal only when set up to" + _hint_once())
    try:
        write(sequence)
    except OSError:
        return CopyOutcome("", False, False, "Not copied: no clipboard tool and no terminal "
                           "to send OSC 52 to")
    return CopyOutcome(way, False, True, said)
