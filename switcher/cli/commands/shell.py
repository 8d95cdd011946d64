"""`switcher shell` and `switcher exec`: a shell or a command with a target's credentials."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from switcher.cli.output import out
from switcher.cli.prompts import confirm, confirm_guarded

if TYPE_CHECKING:
    from switcher.auth.warm import WarmEntry
    from switcher.model import Target


def shell_or_exec(args: argparse.Namespace, command: Sequence[str] | None) -> int:
    """A shell when `command` is None, else that command (exec); its exit status."""
    from switcher.actions import shell
    from switcher.auth.warm import WarmEntry
    from switcher.cli.warm import serve

    if command is None:
        shell.refuse_nesting(os.environ)
    what = "start a shell" if command is None else "run a command"
    served = serve(
        args,
        lambda entry: confirm_guarded(entry.guardrail, entry.environment, entry.display_name,
                                      entry.account_name or entry.account_id, args.yes, what),
        lambda workspace, target: confirm(workspace, target, args.yes, what),
        # The credential endpoint renews through the workspace for as long as the shell runs.
        usable=lambda entry: not (entry.endpoint if args.endpoint is None else args.endpoint))
    region = served.region(args.region)
    environment = shell.credential_environment(served.target, served.credentials, region,
                                               os.environ)
    workspace, target = served.workspace, served.target
    with contextlib.ExitStack() as stack:
        if workspace is not None and not isinstance(target, WarmEntry) and (
                workspace.settings.credential_endpoint if args.endpoint is None
                else args.endpoint):
            from switcher.actions.credential_endpoint import CredentialEndpoint

            endpoint = stack.enter_context(CredentialEndpoint(
                lambda: workspace.credentials(target, served.way), target.account_id))
            environment = shell.with_endpoint(environment, endpoint.environment())
        if command is None:
            out(f"Shell for {target.display_name} in {region}; `exit` to leave.", sys.stderr)
            return shell.run_shell(_as_target(target), environment, shell.run, os.environ)
        return shell.run(command, environment)


def _as_target(target: Target | WarmEntry) -> Target:
    """The prompt colours a shell by its target's environment and colour."""
    from switcher.auth.warm import WarmEntry

    if not isinstance(target, WarmEntry):
        return target
    from switcher.model import Account, Environment, Target

    return Target(Account(target.account_id, target.account_name), target.role_name, (),
                  target.region, environment=Environment(target.environment),
                  color=target.color)
