"""`switcher env` and `switcher credential-process`: a target's credentials printed for
other tools to read."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.output import out
from switcher.cli.prompts import confirm, confirm_guarded, refuse_guarded, refuse_unattended


def env(args: argparse.Namespace) -> int:
    from switcher.actions import shell
    from switcher.cli.warm import serve

    what = "print its credentials"
    served = serve(args, lambda entry: confirm_guarded(
        entry.guardrail, entry.environment, entry.display_name,
        entry.account_name or entry.account_id, args.yes, what),
        lambda workspace, target: confirm(workspace, target, args.yes, what))
    variables = shell.credential_environment(served.target, served.credentials,
                                             served.region(args.region), {})
    sys.stdout.write(shell.exports(variables, shell.CONFLICTING_PROFILE_VARIABLES, args.format))
    return 0


def credential_process(args: argparse.Namespace) -> int:
    from switcher.actions import shell
    from switcher.cli.warm import serve

    served = serve(args, lambda entry: refuse_guarded(
        entry.guardrail, entry.unattended, entry.environment, entry.display_name,
        entry.settings_path), refuse_unattended)
    out(shell.credential_process_json(served.credentials, served.target.account_id), raw=True)
    return 0
