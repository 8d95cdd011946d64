"""`switcher export aesr|team|aws-config`: what colleagues (and their tools) can use, on
standard output; what was left out, on standard error."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import terminal_workspace
from switcher.errors import SwitcherError


def export(args: argparse.Namespace) -> int:
    workspace = terminal_workspace()
    if args.format == "team":
        from switcher.services.teams import export_team

        sys.stdout.write(export_team(workspace.own_settings))
        return 0
    if args.format == "aesr":
        from switcher.sources.switchroles import format_aesr

        text, skipped = format_aesr(workspace.targets(), workspace.aws_config.profiles)
        sys.stdout.write(text)
        for line in skipped:
            out(f"warning: {line}", sys.stderr)
        return 0
    from switcher.store.populate import current_text, plan, split_managed

    path = workspace.aws_config.path
    try:
        result = plan(current_text(path), workspace.targets(), workspace.profile_reach, path,
                      args.template, args.region)
    except ValueError as error:
        raise SwitcherError(f"{path}: {error}") from None
    sys.stdout.write(split_managed(result.text)[1])
    for target, name in result.already:
        out(f"{target}: already in {path} as {name}", sys.stderr)
    for name in result.skipped:
        out(f"warning: left out profile {name}: the name is taken", sys.stderr)
    return 0
