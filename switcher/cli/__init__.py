"""The command line: `main()` parses, sets up logging and hands the arguments to a handler in
`commands/`; the work is done by the Workspace and the modules below it."""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from switcher.cli.output import out
from switcher.errors import SwitcherError

if TYPE_CHECKING:
    import argparse

log = logging.getLogger("switcher")

Handler = Callable[["argparse.Namespace"], int]
# Module and function in commands/ of each command: only the one that runs is imported (and
# the package stays cheap to import for switcher.hotpath, which prints through output.py).
# A handler itself can stand in for the pair.
HANDLERS: dict[str | None, tuple[str, str] | Handler] = {
    "login": ("signin", "login"), "logout": ("signin", "logout"),
    "list": ("targets", "list_targets"), "colors": ("targets", "colors"),
    "destinations": ("targets", "destinations"), "console": ("console", "console"),
    "env": ("credentials", "env"), "credential-process": ("credentials", "credential_process"),
    "keys": ("keys", "keys"), "write-credentials": ("files", "write_credentials"),
    "populate": ("files", "populate"), "emulator": ("emulator", "emulator"),
    "demo": ("app", "demo"), "completion": ("completion", "completion"),
    "setup": ("setup", "setup"), "team": ("team", "team"), "export": ("export", "export"),
    None: ("app", "app"),
}
"""Each command but shell and exec, which also take what follows `--`."""


def _handler(command: str | None) -> Handler:
    found = HANDLERS[command]
    if callable(found):
        return found
    module, function = found
    return cast("Handler", getattr(importlib.import_module(f"switcher.cli.commands.{module}"),
                                   function))


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
    if arguments[:1] == ["__complete"]:  # hidden: what completion scripts ask
        from switcher.target_names import answer

        return answer(arguments[1:])
    from switcher.cli.parser import build_parser

    parser = build_parser()
    command: list[str] | None = None
    if "--" in arguments:  # everything after -- belongs to the command for `exec`
        split = arguments.index("--")
        arguments, command = arguments[:split], arguments[split + 1 :]
    args = parser.parse_args(arguments)
    if getattr(args, "usage_error", None) and args.target is None and not sys.stdin.isatty():
        args.usage_error("the following arguments are required: TARGET (or run it in a "
                         "terminal to pick one)")
    _configure_logging(args.debug)
    try:
        if args.command in ("shell", "exec"):
            from switcher.cli.commands.shell import shell_or_exec

            return shell_or_exec(args, None if args.command == "shell" else command or [])
        return _handler(args.command)(args)
    except SwitcherError as error:
        if args.debug:
            log.exception("failed")
        out(f"switcher: error: {error}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `switcher list | head`: the reader has all it wanted
        _silence_stdout()
        return 141
    except Exception as error:  # never a value on screen: what failed and where
        return _crashed(error, args.debug)


def _crashed(error: Exception, debug: bool) -> int:
    import traceback

    from switcher import paths
    from switcher.store import crash_report

    if debug:  # the traceback without local variables (they can hold keys and tokens)
        traceback.print_exception(error)
        return 1
    report = crash_report.write_report(paths.state_dir(os.environ), error)
    out(f"switcher: {crash_report.summary(error)}"
        + (f"; the traceback is in {report}" if report else "")
        + " (or run with --debug)", sys.stderr)
    return 1


def _silence_stdout() -> None:
    """Python flushes stdout again at exit; with the pipe closed that would print an error."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
