"""`switcher login` and `switcher logout`: IAM Identity Center sessions."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from switcher.cli.output import out
from switcher.cli.prompts import terminal_workspace
from switcher.errors import NoBrowserError, SwitcherError

if TYPE_CHECKING:
    from switcher.auth.oidc import SsoInstance
    from switcher.workspace import Workspace


def _chosen(workspace: Workspace, sso_session: str | None) -> list[SsoInstance]:
    """Every instance, or the one named by --sso-session (its session name or start URL)."""
    return [i for i in workspace.instances()
            if not sso_session or sso_session in (i.session_name, i.start_url)]


def login(args: argparse.Namespace) -> int:
    import webbrowser

    workspace = terminal_workspace()
    instances = _chosen(workspace, args.sso_session)
    if not instances:
        raise SwitcherError("No IAM Identity Center configuration found: add an [sso-session] "
                            f"to {workspace.aws_config.path}")

    browser = not args.no_browser
    for instance in instances:
        def prompt(user_code: str, url: str, label: str = instance.label) -> None:
            nonlocal browser
            out(f"Signing in to {label}. Confirm the code {user_code} at:\n  {url}\n"
                "Waiting for you to confirm it (Ctrl+C to give up)…", sys.stderr)
            if browser:
                browser = webbrowser.open(url, new=2)

        def open_page(url: str, label: str = instance.label) -> None:
            nonlocal browser
            if not webbrowser.open(url, new=2):
                # Over SSH or in a container: the device code follows, to open anywhere.
                browser = False
                out("No browser could be opened here; signing in with a device code instead",
                    sys.stderr)
                raise NoBrowserError("No browser found")
            out(f"Signing in to {label} in your browser…", sys.stderr)

        token = workspace.login(instance, prompt, open_page,
                                device_code=True if args.no_browser or args.device_code
                                else None)
        out(f"Signed in to {instance.label} until {token.expires_at:%Y-%m-%d %H:%M} UTC",
            sys.stderr)
    return 0


def logout(args: argparse.Namespace) -> int:
    workspace = terminal_workspace()
    for instance in _chosen(workspace, args.sso_session):
        done = workspace.logout(instance)
        out(f"{instance.label}: {'signed out' if done else 'was not signed in'}", sys.stderr)
    return 0
