"""`switcher team add|list|update|remove`: team files, pinned by their sha256."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from switcher.cli.output import out
from switcher.errors import SwitcherError

if TYPE_CHECKING:
    from switcher.store.teams import PinnedTeam, TeamStore


def team(args: argparse.Namespace) -> int:
    from switcher.workspace import Workspace

    store = Workspace().team_store
    command = {"add": add, "list": list_teams, "update": update, "remove": remove}
    return command[args.team_command](store, args)


def add(store: TeamStore, args: argparse.Namespace) -> int:
    from switcher.services import teams

    found = teams.candidate(args.source, args.name or "")
    out(f"Team file {found.source}" + (f" (git commit {found.commit[:12]})"
                                        if found.commit else "") + " adds:")
    for line in found.content.summary():
        out(f"  {line}")
    pinned = teams.add(store, found)
    out(f"Added team {pinned.name}, pinned at sha256 {pinned.sha256}", sys.stderr)
    return 0


def list_teams(store: TeamStore, args: argparse.Namespace) -> int:
    pinned = store.load()
    if store.problem:
        raise SwitcherError(store.problem)
    if not pinned:
        out("No team files; add one with `switcher team add SOURCE`", sys.stderr)
        return 0
    width = max(len(name) for name in pinned)
    for name, entry in sorted(pinned.items()):
        accepted = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(entry.accepted_at))
        state = ("a change is waiting" if entry.pending_sha256 else
                 "" if store.accepted(entry) is not None else "accepted copy missing")
        out(f"{name:<{width}}  {entry.sha256[:12]}  {accepted}  {entry.source}"
            + (f" @ {entry.commit[:12]}" if entry.commit else "")
            + (f"  ({state})" if state else ""))
    return 0


def update(store: TeamStore, args: argparse.Namespace) -> int:
    pinned = store.load()
    if args.name and args.name not in pinned:
        raise SwitcherError(f"no team named {args.name!r} (`switcher team list` shows them)")
    chosen = [pinned[args.name]] if args.name else [pinned[n] for n in sorted(pinned)]
    if not chosen:
        raise SwitcherError("no team files; add one with `switcher team add SOURCE`")
    status = 0
    for entry in chosen:
        status = max(status, _update_one(store, entry, args.yes))
    return status


def _update_one(store: TeamStore, entry: PinnedTeam, yes: bool) -> int:
    from switcher.services import teams
    from switcher.sources.team import TeamFileError, git_commit, is_url, local_file

    try:
        change = teams.check(store, entry)
    except TeamFileError as error:
        out(f"team {entry.name}: {error}; the accepted copy is kept", sys.stderr)
        return 1
    if change.new is None:
        out(f"team {entry.name}: up to date (sha256 {entry.sha256[:12]})", sys.stderr)
        return 0
    sys.stdout.write(change.diff())
    sys.stdout.flush()
    if not yes:
        if not sys.stdin.isatty():
            out(f"team {entry.name}: the change is not accepted; accept it with `switcher "
                f"team update {entry.name} --yes`", sys.stderr)
            return 1
        sys.stderr.write(f"Accept this change to team {entry.name}? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            out(f"team {entry.name}: not accepted; the change stays waiting", sys.stderr)
            return 1
    accepted = store.accept(change.team, change.new)
    if not is_url(accepted.source):
        store.update(replace(accepted, commit=git_commit(local_file(accepted.source))))
    out(f"team {entry.name}: accepted, pinned at sha256 {accepted.sha256}", sys.stderr)
    return 0


def remove(store: TeamStore, args: argparse.Namespace) -> int:
    if not store.remove(args.name):
        raise SwitcherError(f"no team named {args.name!r} (`switcher team list` shows them)")
    out(f"Removed team {args.name}", sys.stderr)
    return 0
