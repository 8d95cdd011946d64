"""`switcher shell` and `switcher exec`: a shell or a command with a target's credentials."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from switcher.cli.output import out
from switcher.cli.prompts import chosen_target, confirm, terminal_workspace


def shell_or_exec(args: argparse.Namespace, command: Sequence[str] | None) -> int:
    """A shell when `command` is None, else that command (exec); its exit status."""
    from switcher.actions import shell

    workspace = terminal_workspace()
    if command is None:
        shell.refuse_nesting(workspace.environ)
    target, way = chosen_target(workspace, args)
    confirm(workspace, target, args.yes,
            "start a shell" if command is None else "run a command")
    region = workspace.region_for(target, args.region)
    environment = workspace.shell_environment(target, region, way)
    endpoint_wanted = workspace.settings.credential_endpoint if args.endpoint is None else (
        args.endpoint)
    with contextlib.ExitStack() as stack:
        if endpoint_wanted:
            from switcher.actions.credential_endpoint import CredentialEndpoint

            endpoint = stack.enter_context(CredentialEndpoint(
                lambda: workspace.credentials(target, way), target.account_id))
            environment = shell.with_endpoint(environment, endpoint.environment())
        if command is None:
            out(f"Shell for {target.display_name} in {region}; `exit` to leave.", sys.stderr)
            return shell.run_shell(target, environment, shell.run, workspace.environ)
        return shell.run(command, environment)
