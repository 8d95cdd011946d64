"""Asking the user things on the terminal (or reading the answer from standard input in
scripts): keys, MFA codes, the production guardrail's confirmation."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

from switcher.errors import SwitcherError
from switcher.text import visible

if TYPE_CHECKING:
    import argparse

    from switcher.model import Target, Way
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
    confirm_guarded(workspace.guardrail(target), target.environment.value, target.display_name,
                    target.account_name or target.account_id, yes, what)


def confirm_guarded(mode: str, environment: str, display_name: str, account: str, yes: bool,
                    what: str) -> None:
    """`confirm` with what is known of the target (also from the warm credential cache):
    its guardrail mode, environment, name and account name (typed to confirm)."""
    if mode == "off" or yes:
        return
    label = visible(f"{environment.upper()} {display_name}")
    if not sys.stdin.isatty():
        raise SwitcherError(f"{label} is guarded: confirm with --yes to {what}")
    if mode == "type-name":
        answer = _question(
            f"{label}: type the account name ({visible(account)}) to {what}: ").strip()
        if answer != account:
            raise SwitcherError("The account name did not match; nothing was done")
        return
    if _question(f"{label}: {what}? [y/N] ").strip().lower() not in ("y", "yes"):
        raise SwitcherError("Not confirmed; nothing was done")


def _question(text: str) -> str:
    """Asked on stderr: stdout may be going to `eval "$(switcher env …)"`."""
    sys.stderr.write(text)
    sys.stderr.flush()
    return sys.stdin.readline().strip()


def unattended_allowed(workspace: Workspace, target: Target) -> bool:
    """Whether config.toml names `target` in guardrails.credential_process_allowed."""
    allowed = workspace.settings.credential_process_allowed
    return target.key in allowed or target.display_name in allowed


def refuse_unattended(workspace: Workspace, target: Target) -> None:
    """For commands that run with no one to ask (credential_process): a guarded target is
    served only when config.toml names it in guardrails.credential_process_allowed."""
    mode = workspace.guardrail(target)
    if mode != "off":
        refuse_guarded(mode, unattended_allowed(workspace, target), target.environment.value,
                       target.display_name, str(workspace.settings.path))


def refuse_guarded(mode: str, allowed: bool, environment: str, display_name: str,
                   settings_path: str) -> None:
    """`refuse_unattended` with what is known of the target (also from the warm cache)."""
    if mode == "off" or allowed:
        return
    label = visible(f"{environment.upper()} {display_name}")
    raise SwitcherError(
        f"{label} is guarded and credential-process cannot ask; to serve it anyway, add "
        f'"{visible(display_name)}" to credential_process_allowed in [guardrails] '
        f"of {settings_path}")


def chosen_target(workspace: Workspace, args: argparse.Namespace) -> tuple[Target, Way | None]:
    """The target named on the command line, or, without one, picked in the terminal."""
    if args.target is not None:
        return workspace.resolve(args.target, via=args.via)
    target = pick_target(workspace)
    return workspace.resolve(target.key, [target], via=args.via)


def pick_target(workspace: Workspace) -> Target:
    """A target picked from the inventory (discovered first when there is none cached);
    KeyboardInterrupt when the user cancels."""
    import contextlib

    from switcher.cli.output import out, report_refresh, why_nothing
    from switcher.cli.picker import Picker, pick
    from switcher.search import Searcher

    if workspace.cached_inventory() is None:
        out("No inventory yet: discovering your accounts and roles…", sys.stderr)
        result = workspace.refresh()
        report_refresh(result)
        targets = result.targets
    else:
        targets = workspace.targets()
    if not targets:
        raise SwitcherError(why_nothing(workspace).removeprefix("switcher: "))
    state = workspace.user_state
    searcher = Searcher(targets, frozenset(state.favourites), state.usage,
                        workspace.settings.frecency)
    with contextlib.ExitStack() as stack:
        stream = sys.stderr if sys.stderr.isatty() else stack.enter_context(
            open("/dev/tty", "w", encoding="utf-8"))
        chosen = pick(Picker(targets, searcher), sys.stdin.fileno(), stream)
    if chosen is None:
        raise KeyboardInterrupt
    return chosen
