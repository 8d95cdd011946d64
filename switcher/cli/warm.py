"""A target's credentials for credential-process, env, exec and shell: from the warm cache
while nothing has changed (no workspace, no botocore), else resolved in full and kept there
for the next process (switcher.auth.warm says when an entry may be used)."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from switcher.auth.warm import Request, WarmEntry, dependencies, region_for
from switcher.cli.prompts import chosen_target, terminal_workspace, unattended_allowed
from switcher.store.credential_cache import fingerprint

if TYPE_CHECKING:
    from switcher.model import Credentials, Target, Way
    from switcher.workspace import Workspace


class Served:
    """What a command acts on: the target and its credentials (a warm entry is both), and,
    when they were resolved in full, the workspace and way they came from."""

    def __init__(self, target: Target | WarmEntry, credentials: Credentials | WarmEntry,
                 workspace: Workspace | None = None, way: Way | None = None) -> None:
        self.target = target
        self.credentials = credentials
        self.workspace = workspace
        self.way = way

    def region(self, requested: str | None) -> str:
        if self.workspace is not None and not isinstance(self.target, WarmEntry):
            return self.workspace.region_for(self.target, requested)
        return region_for(requested, self.target.region, os.environ)


def facts(workspace: Workspace, target: Target) -> dict[str, object]:
    """What a warm entry keeps of a target: its names and classification, and its guard as
    config.toml says now (config.toml is one of the entry's files, so this stays true)."""
    return {"display_name": target.display_name, "account_id": target.account_id,
            "account_name": target.account_name, "role_name": target.role_name,
            "key": target.key, "environment": target.environment.value,
            "color": target.color, "region": target.region,
            "guardrail": workspace.guardrail(target),
            "unattended": unattended_allowed(workspace, target),
            "settings_path": str(workspace.settings.path),
            "endpoint": workspace.settings.credential_endpoint}


def serve(args: argparse.Namespace, warm_guard: Callable[[WarmEntry], None],
          cold_guard: Callable[[Workspace, Target], None],
          usable: Callable[[WarmEntry], bool] = lambda entry: True) -> Served:
    """The credentials of the target named in `args` (`target`, `via`), asking the guard
    first: from what the warm entry knows, or after a full resolution (a target picked in
    the terminal always takes that one). `usable` can turn a warm entry down (a shell that
    wants the credential endpoint renews through the full workspace)."""
    if args.target is None:
        return _resolve(None, args, cold_guard)
    request = Request(args.target, args.via, os.environ)
    entry = request.lookup()
    if entry is None or not usable(entry):
        with request.filling() as entry:
            if entry is None or not usable(entry):
                return _resolve(request, args, cold_guard)
    warm_guard(entry)
    return Served(entry, entry)


def _resolve(request: Request | None, args: argparse.Namespace,
             cold_guard: Callable[[Workspace, Target], None]) -> Served:
    depends = fingerprint(dependencies(os.environ))  # before anything reads the files
    workspace = terminal_workspace()
    target, way = chosen_target(workspace, args)
    cold_guard(workspace, target)
    issued = time.time()
    credentials = workspace.credentials(target, way)
    if credentials.issued is not None:  # served from memory or the keyring: older than now
        issued = credentials.issued.timestamp()
    keystore = workspace.keystore if workspace.settings.keyring_sessions else None
    if request is None:  # picked: kept under the name `exec ACCOUNT/ROLE` would give
        request = Request(target.key, args.via, os.environ)
    request.remember(depends + workspace.signin.cache.tokens_read, facts(workspace, target),
                     credentials, issued, keystore)
    return Served(target, credentials, workspace, way)
