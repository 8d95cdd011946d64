"""`switcher env` and `switcher credential-process`: a target's credentials printed for
other tools to read."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import (
    chosen_target,
    confirm,
    refuse_unattended,
    terminal_workspace,
)


def env(args: argparse.Namespace) -> int:
    from switcher.actions import shell

    workspace = terminal_workspace()
    target, way = chosen_target(workspace, args)
    confirm(workspace, target, args.yes, "print its credentials")
    region = workspace.region_for(target, args.region)
    variables = shell.credential_environment(target, workspace.credentials(target, way),
                                             region, {})
    sys.stdout.write(shell.exports(variables, shell.CONFLICTING_PROFILE_VARIABLES, args.format))
    return 0


def credential_process(args: argparse.Namespace) -> int:
    from switcher.actions import shell

    workspace = terminal_workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    refuse_unattended(workspace, target)
    out(shell.credential_process_json(workspace.credentials(target, way), target.account_id),
        raw=True)
    return 0
