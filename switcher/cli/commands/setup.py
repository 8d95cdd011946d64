"""`switcher setup`: a first run on the command line. It adds an IAM Identity Center instance
(an [sso-session] in ~/.aws/config) and signs in and lists what it reaches, or imports an AWS
Extend Switch Roles file; asked for in a terminal, or given as options."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import terminal_workspace
from switcher.errors import ConfigError, SwitcherError


def _ask(question: str) -> str:
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        return input()
    except EOFError:
        return ""


def _asked(question: str, check: object, default: str = "") -> str:
    """Ask until `check` (a function of the answer) takes it; blank gives `default`."""
    while True:
        answer = _ask(f"{question}{f' [{default}]' if default else ''}: ").strip() or default
        try:
            return str(check(answer))  # type: ignore[operator]
        except ConfigError as error:
            out(f"  {error}", sys.stderr)


def setup(args: argparse.Namespace) -> int:
    from switcher.services import setup as forms

    workspace = terminal_workspace()
    config = workspace.aws_config
    out("switcher reads your targets from:\n" + "\n".join(
        f"  {path}{'' if path.exists() else ' (not there yet)'}"
        for path in workspace.files_read()), sys.stderr)
    interactive = sys.stdin.isatty() and not (args.start_url or args.aesr)
    start_url, region, name, aesr = args.start_url, args.region, args.name, args.aesr
    if interactive:
        out("Add an IAM Identity Center instance (its start URL is on the AWS access "
            "portal's sign-in page), or leave it blank to skip.", sys.stderr)
        start_url = _ask("Start URL (https://d-1234567890.awsapps.com/start): ").strip()
        if start_url:
            start_url = _asked("Start URL", forms.check_start_url, start_url)
            region = _asked("Its region (where Identity Center runs)", forms.check_region,
                            region or "us-east-1")
            name = _asked("A name for it", lambda text: forms.check_name(
                text, config.sso_sessions), name or forms.default_name(start_url))
        aesr = _ask("An AWS Extend Switch Roles file to import (blank to skip): ").strip()
    elif not (start_url or aesr):
        raise SwitcherError("switcher setup: give --start-url URL --region R [--name NAME], "
                            "or --aesr FILE (or run it in a terminal to be asked)")
    session: forms.SsoSession | None = None
    if start_url:
        if not region:
            raise SwitcherError("switcher setup: --region is needed with --start-url")
        session, problems = forms.checked(name or forms.default_name(start_url), start_url,
                                          region, config.sso_sessions)
        if session is None:
            raise SwitcherError("switcher setup: " + "; ".join(problems.values()))
        edited = workspace.add_sso_session(session)
        out(f"Added [sso-session {session.name}] to {config.path}"
            + (f" (backup: {edited.backup})" if edited.backup else ""), sys.stderr)
    if aesr:
        added = workspace.add_aesr_source(aesr)
        out(f"Added {added} to [aesr] sources in {workspace.settings.path}", sys.stderr)
    if session is not None and args.no_login:
        out(f"Next: `switcher login --sso-session {session.name}`, then `switcher`", sys.stderr)
        return 0
    if session is not None:
        from switcher.cli.commands import signin

        signin.login(argparse.Namespace(sso_session=session.name, no_browser=args.no_browser,
                                        device_code=False))
        workspace = terminal_workspace()
    if start_url or aesr:
        count = len(workspace.refresh().targets)
        out(f"{count} target{'' if count == 1 else 's'} found: run `switcher` for the app, "
            "or `switcher list`", sys.stderr)
    return 0
