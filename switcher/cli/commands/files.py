"""`switcher populate` and `switcher write-credentials`: the two commands that change the
AWS CLI's own files (~/.aws/config, ~/.aws/credentials), each after a backup."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from switcher.cli.output import out
from switcher.cli.prompts import confirm, terminal_workspace
from switcher.errors import SwitcherError

if TYPE_CHECKING:
    from switcher.store.editing import Edited


def populate(args: argparse.Namespace) -> int:
    from switcher.store.populate import apply, current_text, diff, plan

    workspace = terminal_workspace()
    path = workspace.aws_config.path
    targets = workspace.targets()
    try:
        if args.dry_run:
            current = current_text(path)
            result = plan(current, targets, workspace.profile_reach, path, args.template,
                          args.region)
            sys.stdout.write(diff(path, current, result.text))
        else:
            result, edited = apply(path, targets, workspace.profile_reach, args.template,
                                   args.region)
            if edited.changed:
                out(f"Wrote {len(result.profiles)} profiles into {edited.path}"
                    + (f" (backup: {edited.backup})" if edited.backup else ""), sys.stderr)
            else:
                out(f"{path} already has these {len(result.profiles)} profiles; nothing to do",
                    sys.stderr)
    except ValueError as error:
        raise SwitcherError(f"{path}: {error}") from None
    for target, name in result.already:
        out(f"{target}: already there: {name}", sys.stderr)
    for name in result.skipped:
        out(f"warning: skipped profile {name}: the name is taken", sys.stderr)
    return 0


def write_credentials(args: argparse.Namespace) -> int:
    from switcher.store import awsfiles

    workspace = terminal_workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    confirm(workspace, target, args.yes, "write its credentials into a file")
    path = workspace.aws_credentials.path
    edited = awsfiles.write_credentials(path, args.profile, workspace.credentials(target, way),
                                        target.display_name)
    out(f"Wrote [{args.profile}] for {target.display_name} into {edited.path}"
        + (f" (backup: {edited.backup})" if edited.backup else ""), sys.stderr)
    report_tightened(edited)
    return 0


def report_tightened(edited: Edited) -> None:
    """Say so when a file of secrets was readable by others and is not any more."""
    if edited.tightened_from is not None:
        out(f"note: {edited.path} was mode {edited.tightened_from:04o}; it holds secret keys, "
            "so it is 0600 now (readable by you only)", sys.stderr)
