"""Asking the user things on the terminal (or reading the answer from standard input in
scripts): keys, MFA codes, the production guardrail's confirmation."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

from switcher.errors import SwitcherError

if TYPE_CHECKING:
    from switcher.model import Target
    from switcher.workspace import Workspace


def ask(question: str, secret: bool) -> str:
    """A prompt on the terminal; without one, a line from standard input (for scripts)."""
    if sys.stdin.isatty():
        return getpass.getpass(question) if secret else input(question)
    return sys.stdin.readline().strip()


def mfa_code(serial: str) -> str:
    code = ask(f"MFA code for {serial}: ", secret=True)
    if not code:
        raise SwitcherError(f"An MFA code for {serial} is needed (type it, or give it on "
                            "standard input)")
    return code


def terminal_workspace() -> Workspace:
    """The Workspace every command works with, asking for MFA codes here."""
    from switcher.workspace import Workspace

    workspace = Workspace()
    workspace.mfa_prompt = mfa_code
    return workspace


def confirm(workspace: Workspace, target: Target, yes: bool, what: str) -> None:
    """The production guardrail: ask before acting, or refuse without a terminal."""
    mode = workspace.guardrail(target)
    if mode == "off" or yes:
        return
    label = f"{target.environment.value.upper()} {target.display_name}"
    if not sys.stdin.isatty():
        raise SwitcherError(f"{label} is guarded: confirm with --yes to {what}")
    if mode == "type-name":
        expected = target.account_name or target.account_id
        answer = input(f"{label}: type the account name ({expected}) to {what}: ").strip()
        if answer != expected:
            raise SwitcherError("The account name did not match; nothing was done")
        return
    if input(f"{label}: {what}? [y/N] ").strip().lower() not in ("y", "yes"):
        raise SwitcherError("Not confirmed; nothing was done")
