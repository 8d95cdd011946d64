"""The command line: `main()` parses, sets up logging and hands the arguments to a handler in
`commands/`; the work is done by the Workspace and the modules below it."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from switcher.cli.commands import (
    app,
    console,
    credentials,
    emulator,
    files,
    keys,
    shell,
    signin,
    targets,
)
from switcher.cli.output import out
from switcher.cli.parser import build_parser
from switcher.errors import SwitcherError

log = logging.getLogger("switcher")

HANDLERS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "login": signin.login, "logout": signin.logout, "list": targets.list_targets,
    "colors": targets.colors, "destinations": targets.destinations,
    "console": console.console, "env": credentials.env,
    "credential-process": credentials.credential_process, "keys": keys.keys,
    "write-credentials": files.write_credentials, "populate": files.populate,
    "emulator": emulator.emulator, "demo": app.demo, None: app.app,
}
"""Each command but shell and exec, which also take what follows `--`."""


def _configure_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    # Only our own loggers go to DEBUG: botocore's debug output carries bearer tokens and
    # signed headers.
    log.setLevel(logging.DEBUG if debug else logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    command: list[str] | None = None
    if "--" in arguments:  # everything after -- belongs to the command for `exec`
        split = arguments.index("--")
        arguments, command = arguments[:split], arguments[split + 1 :]
    args = parser.parse_args(arguments)
    _configure_logging(args.debug)
    try:
        if args.command == "shell":
            return shell.shell_or_exec(args, None)
        if args.command == "exec":
            return shell.shell_or_exec(args, command or [])
        return HANDLERS[args.command](args)
    except SwitcherError as error:
        if args.debug:
            log.exception("failed")
        out(f"switcher: error: {error}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback for the user unless asked
        if args.debug:
            raise
        out(f"switcher: unexpected error: {type(error).__name__}: {error} "
            "(run with --debug for details)", sys.stderr)
        return 1
