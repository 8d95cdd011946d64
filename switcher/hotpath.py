"""The front door of the commands other programs run again and again: `credential-process`
(every `aws` command and SDK process with `credential_process = switcher credential-process
…` in ~/.aws/config), `env`, `exec` and `list`. When the warm credential cache (or, for
`list`, the inventory cache) can answer and nothing needs asking, they are served before the
command line parser, the workspace or botocore is loaded; `warm_main` returns None for
everything else and the full command line takes over (it reads the same caches, asks the
guard's question, or resolves the target and fills the cache).

`list` and `list --json` are printed as the full command line last printed them while
nothing it read has changed (see switcher.store.list_answer); any other option goes to it.

For the others, only the plain forms are taken here: the target, `--via WAY`, `--yes`,
`--format F` (env), `-- CMD…` (exec), each at most once, as `--opt value` or
`--opt=value`. Anything else (no target, `--region`, which is checked against botocore's
region data, another option, `--debug`, an abbreviation, `--endpoint`, a guarded target
without `--yes`) goes to the full command line, so nothing here can disagree with it."""

from __future__ import annotations

import os
import sys

_VALUED = {"credential-process": ("--via",), "env": ("--via", "--format"), "exec": ("--via",)}
_FLAGS = {"credential-process": (), "env": ("--yes",), "exec": ("--yes",)}


def _parse(arguments: list[str]) -> tuple[str, dict[str, str], list[str]] | None:
    """(command, options with "target", the command after `--`), or None when this is not a
    form the front door takes."""
    if not arguments or arguments[0] not in _VALUED:
        return None
    command, rest, after = arguments[0], arguments[1:], []
    if "--" in rest:
        split = rest.index("--")
        rest, after = rest[:split], rest[split + 1:]
        if command != "exec" or not after:
            return None
    elif command == "exec":
        return None
    options: dict[str, str] = {}
    position = 0
    while position < len(rest):
        word = rest[position]
        position += 1
        if not word.startswith("-"):
            if "target" in options:
                return None
            options["target"] = word
            continue
        name, equals, value = word.partition("=")
        if name in _FLAGS[command] and not equals:
            value = "1"
        elif name in _VALUED[command]:
            if not equals:
                if position >= len(rest):
                    return None
                value = rest[position]
                position += 1
            if not value or value.startswith("-"):
                return None
        else:
            return None
        if name in options:
            return None
        options[name] = value
    if not options.get("target"):
        return None
    return command, options, after


def warm_main(arguments: list[str]) -> int | None:
    """The command's exit status when the warm cache served it, else None."""
    if arguments[:1] == ["list"]:
        return _list(arguments[1:])
    from switcher.actions import shell
    from switcher.auth.warm import Request, region_for
    from switcher.errors import SwitcherError

    try:
        parsed = _parse(arguments)
        if parsed is None:
            return None
        command, options, after = parsed
        if options.get("--format", "sh") not in shell.EXPORT_FORMATS:
            return None
        entry = Request(options["target"], options.get("--via"), os.environ).lookup()
        if entry is None:
            return None
        guarded = entry.guardrail != "off"
        if command == "credential-process" and guarded and not entry.unattended:
            return None  # the full command line says why it refuses
        if command != "credential-process" and guarded and "--yes" not in options:
            return None  # it asks, or says why it cannot
        if command == "exec" and entry.endpoint:
            return None  # the credential endpoint renews through the workspace
        region = region_for(None, entry.region, os.environ)
    except Exception:  # a bug here must not stop the command: the full path still works
        return None
    if command in ("credential-process", "env"):
        if command == "env":
            text = shell.exports(shell.credential_environment(entry, entry, region, {}),
                                 shell.CONFLICTING_PROFILE_VARIABLES,
                                 options.get("--format", "sh"))
        else:
            text = shell.credential_process_json(entry, entry.account_id) + "\n"
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            return _silenced()
        return 0
    try:
        return shell.run(after, shell.credential_environment(entry, entry, region, os.environ))
    except SwitcherError as error:
        from switcher.text import visible

        sys.stderr.write(f"switcher: error: {visible(str(error))}\n")
        return 1
    except KeyboardInterrupt:
        return 130


def _list(options: list[str]) -> int | None:
    """`list` and `list --json` as the full command line last printed them, when nothing it
    read has changed since (switcher.store.list_answer); None otherwise, and for any other
    option."""
    if options not in ([], ["--json"]):
        return None
    from switcher.store import list_answer

    try:
        found = list_answer.answer(os.environ, "json" if options else "table", sys.stdout,
                                   sys.stderr)
    except Exception:  # a bug here must not stop the command: the full path still works
        return None
    if found is None:
        return None
    warnings, printed = found  # the bytes the full command line wrote to these streams
    try:
        sys.stderr.buffer.write(warnings)
        sys.stderr.buffer.flush()
        # In pieces, as the full command line writes line by line: a reader that has all it
        # wants (`| head`) closes the pipe before the end, and both exit as a closed pipe
        # asks (141), where one large write could be taken whole.
        view = memoryview(printed)
        for start in range(0, len(view), 65536):
            sys.stdout.buffer.write(view[start:start + 65536])
            sys.stdout.buffer.flush()
    except BrokenPipeError:
        return _silenced()
    return 0


def _silenced() -> int:
    """As the full command line answers a closed pipe: the reader has all it wanted, and
    Python's flush of stdout at exit must not print an error."""
    descriptor = os.open(os.devnull, os.O_WRONLY)
    os.dup2(descriptor, sys.stdout.fileno())
    return 141
