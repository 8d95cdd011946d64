"""The prompt and terminal title of a switcher shell: account, role and environment, in the
environment's colour, for bash, zsh and fish (other shells get the variables only).

The label travels in SWITCHER_PROMPT_LABEL and is only ever expanded as a variable by the
shell, never parsed as prompt code, so an account name like `$(rm -rf ~)` stays text.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from switcher.environments import normalize_color, readable_foreground
from switcher.model import Target

LABEL = "SWITCHER_PROMPT_LABEL"
STYLE = "SWITCHER_PROMPT_STYLE"
RESET = "\x1b[0m"


SAFE = re.compile(r"[^A-Za-z0-9 ._/@+=,:()-]")


def label(target: Target) -> str:
    r"""Environment, account and role, with anything a prompt could interpret ($, `, \, %,
    escape sequences) replaced by '?'."""
    text = f"{target.environment.value.upper()} {target.display_name}"
    return SAFE.sub("?", text.replace("$(", "?("))


def ansi_style(color: str) -> str:
    """24-bit background in the target's colour with a readable foreground."""
    background = normalize_color(color) or "#c0c0c0"
    foreground = readable_foreground(background)

    def rgb(value: str) -> str:
        return ";".join(str(int(value[i : i + 2], 16)) for i in (1, 3, 5))

    return f"\x1b[1;38;2;{rgb(foreground)};48;2;{rgb(background)}m"


def _private_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="switcher-shell-"))


def prepare(shell: str, target: Target, environment: dict[str, str],
            home: Mapping[str, str]) -> tuple[list[str], Path | None]:
    """The command that starts `shell` with the switcher prompt, and a folder to delete after
    (None when nothing was written). `environment` gains the label and style variables."""
    environment[LABEL] = label(target)
    environment[STYLE] = ansi_style(target.color)
    name = os.path.basename(shell)
    if name == "bash":
        folder = _private_dir()
        rcfile = folder / "bashrc"
        rcfile.write_text(
            '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n'
            # single quotes: PS1 keeps the variable names, expanded at each prompt
            "PS1='\\[\\e]0;switcher: ${SWITCHER_PROMPT_LABEL}\\a\\]"
            "\\[${SWITCHER_PROMPT_STYLE}\\] ${SWITCHER_PROMPT_LABEL} \\[\\e[0m\\] '\"$PS1\"\n",
            encoding="utf-8")
        return [shell, "--rcfile", str(rcfile), "-i"], folder
    if name == "zsh":
        folder = _private_dir()
        original = home.get("ZDOTDIR") or home.get("HOME") or ""
        environment["SWITCHER_ORIGINAL_ZDOTDIR"] = original
        environment["ZDOTDIR"] = str(folder)
        (folder / ".zshrc").write_text(
            'ZDOTDIR="$SWITCHER_ORIGINAL_ZDOTDIR"\n'
            '[ -f "$ZDOTDIR/.zshrc" ] && . "$ZDOTDIR/.zshrc"\n'
            'print -Pn "\\e]0;switcher: ${SWITCHER_PROMPT_LABEL//\\%/%%}\\a"\n'
            # %b%f%k end bold and colours: prompt expansion does not read \e escapes
            'PROMPT="%{${SWITCHER_PROMPT_STYLE}%} ${SWITCHER_PROMPT_LABEL//\\%/%%} %b%f%k '
            '${PROMPT}"\n', encoding="utf-8")
        return [shell, "-i"], folder
    if name == "fish":
        # fish sets the title itself from fish_title (after each command too), so the title
        # is given there, not printed by the prompt.
        init = ("functions -q fish_prompt; and functions -c fish_prompt __switcher_prompt; "
                "function fish_prompt; "
                "printf '%s %s \\e[0m ' $SWITCHER_PROMPT_STYLE $SWITCHER_PROMPT_LABEL; "
                "functions -q __switcher_prompt; and __switcher_prompt; end; "
                "function fish_title; printf 'switcher: %s' $SWITCHER_PROMPT_LABEL; end")
        return [shell, "--init-command", init], None
    return [shell], None
