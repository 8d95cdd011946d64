"""The full-screen app (no command) and `switcher demo` (the app on the emulator)."""

from __future__ import annotations

import argparse

from switcher.cli.prompts import terminal_workspace


def app(args: argparse.Namespace) -> int:
    from switcher.tui.app import SwitcherApp

    workspace = terminal_workspace()
    # A broken config.toml leaves the guardrails unknown, a broken ~/.aws file the targets:
    # say which file and line, before the app starts.
    workspace.settings  # noqa: B018
    workspace.aws_config  # noqa: B018
    workspace.aws_credentials  # noqa: B018
    switcher_app = SwitcherApp(workspace)
    switcher_app.run()
    return switcher_app.return_code or 0


def demo(args: argparse.Namespace) -> int:
    from switcher.demo import run_demo

    return run_demo(accounts=args.accounts)
