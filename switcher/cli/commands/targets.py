"""`switcher list`, `switcher colors` and `switcher destinations`: what there is to reach."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from switcher.cli.output import (
    PARTIAL_REFRESH,
    out,
    report_refresh,
    target_json,
    target_table,
    why_nothing,
)
from switcher.cli.prompts import terminal_workspace
from switcher.errors import SwitcherError

if TYPE_CHECKING:
    from switcher.workspace import Workspace


@contextlib.contextmanager
def warnings_logged() -> Iterator[list[logging.LogRecord]]:
    """The warnings our loggers print meanwhile (an unreadable cache, ...): a run that said
    one is not kept for the front door, which would not say it."""
    seen: list[logging.LogRecord] = []

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Seen(logging.WARNING)
    logger = logging.getLogger("switcher")
    logger.addHandler(handler)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)


def list_targets(args: argparse.Namespace) -> int:
    import os

    from switcher.store.list_answer import Recorder

    recorder = Recorder(os.environ)  # before any file is read
    workspace = terminal_workspace()
    with contextlib.suppress(SwitcherError):  # said by the list itself, in its turn
        recorder.read_aesr_files([location for location in workspace.settings.aesr_sources
                                  if not location.startswith(("https://", "http://"))])
    with warnings_logged() as logged:
        from_cache, said, printed, status = _list(args, workspace)
    if from_cache and printed and not logged:
        # The next `switcher list` prints this again while nothing it read has changed.
        recorder.save("json" if args.json else "table", "".join(said), "".join(printed),
                      sys.stdout, sys.stderr)
    return status


def _list(args: argparse.Namespace, workspace: Workspace
          ) -> tuple[bool, list[str], list[str], int]:
    """Whether the list came from the cache, the warnings, the lines printed (none when
    there was nothing to list) and the exit status (PARTIAL_REFRESH when a refresh failed
    in part)."""
    said: list[str] = []
    status = 0
    from_cache = not args.refresh and workspace.cached_inventory() is not None
    if not from_cache:
        result = workspace.refresh()
        report_refresh(result)
        targets, kept = result.targets, result.kept_keys
        status = 0 if result.complete else PARTIAL_REFRESH
    else:
        targets, kept = workspace.targets(), frozenset()
        # The files are read on every run: so are their problems said on every run.
        for warning in (*workspace.aws_config.warnings, *workspace.settings.warnings):
            said.append(out(f"warning: {warning}", sys.stderr))
    if not targets:  # an empty list would say nothing of why
        out(why_nothing(workspace), sys.stderr)
    if args.json:
        printed = [out(json.dumps([target_json(t, workspace.configured_region(t),
                                               t.key in kept)
                                   for t in targets], indent=2), raw=True)]
    else:
        printed = [out(line) for line in target_table(
            targets, lambda t: workspace.configured_region(t) or "—", kept)]
    return from_cache, said, printed if targets else [], status


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
