"""`switcher console`: a target's AWS console in the browser, or its sign-in URL."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import chosen_target, confirm, terminal_workspace
from switcher.errors import SwitcherError


def console(args: argparse.Namespace) -> int:
    from switcher.actions.console import ConsoleMethod

    workspace = terminal_workspace()
    target, way = chosen_target(workspace, args)
    confirm(workspace, target, args.yes, "open its console")
    region = workspace.region_for(target, args.region)
    def warn(text: str) -> None:
        out(f"warning: {text}", sys.stderr)

    if args.print_url or args.copy:
        link = workspace.console_link(target, region, args.path, way, args.method,
                                      args.logout_first)
        for warning in link.warnings:
            warn(warning)
        url = link.url
        if link.method is ConsoleMethod.FEDERATION:
            out("warning: this URL signs anyone who has it in to the account for 15 minutes",
                sys.stderr)
        if args.copy:
            from switcher.actions.clipboard import copy

            outcome = copy(url)
            out(outcome.message, sys.stderr)
            return 0 if outcome.copied or outcome.sent else 1
        else:
            out(url, raw=True)
        return 0
    redirect = workspace.open_console(target, region, args.path, way, args.method,
                                      args.logout_first, on_warning=warn)
    out(f"Opening the console of {target.display_name} in {region}…", sys.stderr)
    if not redirect.wait(timeout=120):
        raise SwitcherError("The browser did not pick up the sign-in link within 2 minutes")
    return 0
