"""`switcher list`, `switcher colors` and `switcher destinations`: what there is to reach."""

from __future__ import annotations

import argparse
import json
import sys

from switcher.cli.output import (
    PARTIAL_REFRESH,
    out,
    report_refresh,
    target_json,
    target_table,
    why_nothing,
)
from switcher.cli.prompts import terminal_workspace


def list_targets(args: argparse.Namespace) -> int:
    workspace = terminal_workspace()
    status = 0
    if args.refresh or workspace.cached_inventory() is None:
        result = workspace.refresh()
        report_refresh(result)
        targets, kept = result.targets, result.kept_keys
        status = 0 if result.complete else PARTIAL_REFRESH
    else:
        targets, kept = workspace.targets(), frozenset()
        # The files are read on every run: so are their problems said on every run.
        for warning in (*workspace.aws_config.warnings, *workspace.settings.warnings):
            out(f"warning: {warning}", sys.stderr)
    if not targets:  # an empty list would say nothing of why
        out(why_nothing(workspace), sys.stderr)
    if args.json:
        out(json.dumps([target_json(t, workspace.configured_region(t), t.key in kept)
                        for t in targets], indent=2), raw=True)
        return status
    for line in target_table(targets, lambda t: workspace.configured_region(t) or "—",
                             kept):
        out(line)
    return status


def colors(args: argparse.Namespace) -> int:
    workspace = terminal_workspace()
    if args.fetch:
        found = workspace.fetch_account_colors(workspace.targets())
        out(f"{len(found)} accounts have a console colour", sys.stderr)
    for account_id, color in sorted(workspace.account_colors.load().items()):
        out(f"{account_id}  {color}")
    return 0


def destinations(args: argparse.Namespace) -> int:
    from switcher.store.settings import edit_destinations

    workspace = terminal_workspace()
    target, _ = workspace.resolve(args.target)
    saved = edit_destinations(workspace.destinations(target), args.add, args.remove,
                              target.display_name)
    if args.add or args.remove:
        workspace.save_destinations(target, saved)
    for destination in saved:
        out(destination)
    return 0
