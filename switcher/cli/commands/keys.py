"""`switcher keys`: IAM user keys kept in the OS keyring."""

from __future__ import annotations

import argparse
import sys

from switcher.cli.commands.files import report_tightened
from switcher.cli.output import out
from switcher.cli.prompts import ask, terminal_workspace


def keys(args: argparse.Namespace) -> int:
    workspace = terminal_workspace()
    store = workspace.keystore
    if args.keys_command in ("add", "remove"):  # other keys: other identities from now on
        workspace.forget_warm_credentials()
    if args.keys_command == "add":
        key_id = ask(f"Access key id for {args.profile}: ", secret=False)
        secret = ask("Secret access key (not shown): ", secret=True)
        store.add(args.profile, key_id, secret)
        out(f"Stored the keys of {args.profile} in the OS keyring", sys.stderr)
    elif args.keys_command == "list":
        for name in store.profiles():
            out(name)
    elif args.keys_command == "remove":
        done = store.remove(args.profile)
        out(f"{args.profile}: {'removed' if done else 'no keys were stored'}", sys.stderr)
        return 0 if done else 1
    else:
        imported, edited = workspace.import_keys(args.profiles, args.remove_from_file)
        out(f"Imported {len(imported)} profiles into the OS keyring: {', '.join(imported)}",
            sys.stderr)
        if edited is not None and edited.backup is not None:
            out(f"Removed them from {edited.path}; backup: {edited.backup} "
                "(its secret keys are redacted: they are in the keyring now)",
                sys.stderr)
            report_tightened(edited)
    return 0
