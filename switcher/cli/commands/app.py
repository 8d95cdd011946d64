"""The full-screen app (no command) and `switcher demo` (the app on the emulator)."""

from __future__ import annotations

import argparse

from switcher.cli.prompts import terminal_workspace


def app(args: argparse.Namespace) -> int:
    from switcher.tui.app import SwitcherApp

    SwitcherApp(terminal_workspace()).run()
    return 0


def demo(args: argparse.Namespace) -> int:
    from switcher.demo import run_demo

    return run_demo(accounts=args.accounts)
