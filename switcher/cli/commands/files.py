"""`switcher populate` and `switcher write-credentials`: the two commands that change the
AWS CLI's own files (~/.aws/config, ~/.aws/credentials), each after a backup."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import confirm, terminal_workspace
from switcher.errors import SwitcherError


def populate(args: argparse.Namespace) -> int:
    from switcher.store.populate import apply, diff, plan

    workspace = terminal_workspace()
    path = workspace.aws_config.path
    try:
        result = plan(path, workspace.targets(), set(workspace.aws_config.profiles),
                               args.template, args.region)
    except ValueError as error:
        raise SwitcherError(f"{path}: {error}") from None
    if args.dry_run:
        sys.stdout.write(diff(path, result.text))
    elif result.changed:
        saved = apply(path, result)
        out(f"Wrote {len(result.profiles)} profiles into {path}"
            + (f" (backup: {saved})" if saved else ""), sys.stderr)
    else:
        out(f"{path} already has these {len(result.profiles)} profiles; nothing to do",
            sys.stderr)
    for name in result.skipped:
        out(f"warning: skipped profile {name}: the name is taken", sys.stderr)
    return 0


def write_credentials(args: argparse.Namespace) -> int:
    from switcher.store import awsfiles

    workspace = terminal_workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    confirm(workspace, target, args.yes, "write its credentials into a file")
    path = workspace.aws_credentials.path
    backup = awsfiles.write_credentials(path, args.profile, workspace.credentials(target, way),
                                        target.display_name)
    out(f"Wrote [{args.profile}] for {target.display_name} into {path}"
        + (f" (backup: {backup})" if backup else ""), sys.stderr)
    return 0
