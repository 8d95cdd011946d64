"""The command line: parsing and printing only; the work is done by the Workspace."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from switcher import __version__
from switcher.errors import SwitcherError

if TYPE_CHECKING:
    from switcher.model import Target
    from switcher.workspace import Workspace

log = logging.getLogger("switcher")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switcher",
        description="Reach every AWS account and role you can use: list them, open the "
                    "console, start a shell. Without a command, opens the full-screen app.")
    parser.add_argument("--version", action="version", version=f"switcher {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="log what happens to stderr and show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    login = commands.add_parser("login", help="sign in to IAM Identity Center")
    login.add_argument("--sso-session", help="only this [sso-session] (or start URL)")
    login.add_argument("--no-browser", action="store_true",
                       help="sign in with a device code (print its URL, open no browser)")
    login.add_argument("--device-code", action="store_true",
                       help="sign in with a device code, in a browser anywhere")
    logout = commands.add_parser("logout", help="sign out of IAM Identity Center")
    logout.add_argument("--sso-session", help="only this [sso-session] (or start URL)")

    listing = commands.add_parser("list", help="every target: account, role, source, region")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--refresh", action="store_true", help="discover again, not from cache")

    for name, text in (("console", "open the AWS console of a target"),
                       ("shell", "start a shell with a target's credentials"),
                       ("exec", "run a command with a target's credentials"),
                       ("env", "print a target's credentials as exports, for eval"),
                       ("credential-process", "print credential_process JSON (for "
                                              "credential_process = switcher "
                                              "credential-process TARGET)")):
        command = commands.add_parser(name, help=text)
        command.add_argument("target", metavar="TARGET",
                             help="account-name/role, account-id/role or a profile name")
        command.add_argument("--region", help="AWS region (default: the target's, or AWS_REGION)")
        if name in ("console", "shell", "exec"):
            command.add_argument("--yes", action="store_true",
                                 help="confirm a guarded (production) target without asking")
        command.add_argument("--via", metavar="WAY",
                             help="which way in, when several reach the target (as `switcher "
                                  "list` shows them, e.g. sso:my-org or profile:prod-admin)")
        if name == "console":
            command.add_argument("--path", default="",
                                 help="console path to open, e.g. s3/home or ec2/home")
            command.add_argument("--print-url", action="store_true",
                                 help="print the sign-in URL instead of opening a browser")
            command.add_argument("--copy", action="store_true",
                                 help="copy the URL to the clipboard (OSC 52) instead")
            command.add_argument("--method", choices=("federation", "switchrole", "portal"),
                                 help="federation (default), the console's switchrole link, "
                                      "or the Identity Center portal's shortcut")
            command.add_argument("--logout-first", action="store_true", default=None,
                                 help="sign the browser out of its current console session")
        if name in ("shell", "exec"):
            command.add_argument("--endpoint", action="store_true", default=None,
                                 help="serve credentials from a local endpoint (ECS protocol) "
                                      "so long sessions keep working past expiry")
        if name == "exec":
            command.usage = "switcher exec TARGET [--region R] -- CMD [ARG ...]"
        if name == "env":
            command.add_argument("--format", default="sh",
                                 choices=("sh", "fish", "powershell", "json", "dotenv"))

    populate = commands.add_parser(
        "populate", help="write profiles for every Identity Center target into ~/.aws/config")
    populate.add_argument("--dry-run", action="store_true", help="show the diff, change nothing")
    populate.add_argument("--template", default="{account_name}.{role_name}",
                          help="profile names: {account_name} {account_id} {role_name} "
                               "{environment}")
    populate.add_argument("--region", default="", help="region for every profile")

    write = commands.add_parser(
        "write-credentials",
        help="write a target's temporary credentials into ~/.aws/credentials (for legacy tools)")
    write.add_argument("target", metavar="TARGET")
    write.add_argument("--profile", required=True, help="the [section] to write")
    write.add_argument("--via", metavar="WAY")

    favourites = commands.add_parser("destinations",
                                     help="a target's favourite console pages (config.toml)")
    favourites.add_argument("target", metavar="TARGET")
    favourites.add_argument("--add", metavar="PAGE", help="a service alias or console path")
    favourites.add_argument("--remove", metavar="PAGE")

    keys = commands.add_parser("keys", help="IAM user keys kept in the OS keyring")
    key_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    add = key_commands.add_parser("add", help="store keys for PROFILE (asked, never on argv)")
    add.add_argument("profile", metavar="PROFILE")
    key_commands.add_parser("list", help="profiles with keys in the keyring")
    remove = key_commands.add_parser("remove", help="forget the keys of PROFILE")
    remove.add_argument("profile", metavar="PROFILE")
    move = key_commands.add_parser("import", help="copy keys from ~/.aws/credentials")
    move.add_argument("profiles", nargs="*", metavar="PROFILE",
                      help="which profiles (default: every one with long-lived keys)")
    move.add_argument("--remove-from-file", action="store_true",
                      help="then delete them from the credentials file (a backup is made)")

    colors = commands.add_parser("colors", help="the account colours set in the AWS console")
    colors.add_argument("--fetch", action="store_true",
                        help="ask every account for its console colour (one call per account)")

    emulator = commands.add_parser("emulator", help="run the local AWS stand-in")
    emulator.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    emulator.add_argument("--accounts", type=int, default=0,
                          help="generate an organisation of N accounts instead of the demo one")
    emulator.add_argument("--latency-ms", type=float, default=0.0)
    emulator.add_argument("--no-throttle", action="store_true",
                          help="switch off the 20 requests/s Identity Center limit")
    emulator.add_argument("--error-rate", type=float, default=0.0,
                          help="fraction of API calls answered with HTTP 500")
    emulator.add_argument("--token-ttl", type=int, default=8 * 3600,
                          help="lifetime of access tokens, seconds")
    emulator.add_argument("--credential-ttl", type=int, default=3600,
                          help="lifetime of role credentials, seconds")
    emulator.add_argument("--manual-approval", action="store_true",
                          help="verification and authorize pages wait for a click")
    emulator.add_argument("--write-profile-dir", type=Path, metavar="DIR",
                          help="write an AWS config folder for the emulator and print exports")

    demo = commands.add_parser("demo", help="the app on a demo organisation, nothing to set up")
    demo.add_argument("--accounts", type=int, default=0, help="a generated organisation")
    return parser


def _out(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout, flush=True)


def _workspace() -> Workspace:
    from switcher.workspace import Workspace

    workspace = Workspace()
    workspace.mfa_prompt = lambda serial: _ask(f"MFA code for {serial}: ", secret=True) or (
        _no_code(serial))
    return workspace


def _no_code(serial: str) -> str:
    raise SwitcherError(f"An MFA code for {serial} is needed (type it, or give it on standard "
                        "input)")


def _login(args: argparse.Namespace) -> int:
    import webbrowser

    workspace = _workspace()
    instances = [i for i in workspace.instances()
                 if not args.sso_session or args.sso_session in (i.session_name, i.start_url)]
    if not instances:
        raise SwitcherError("No IAM Identity Center configuration found: add an [sso-session] "
                            f"to {workspace.aws_config.path}")

    for instance in instances:
        def prompt(user_code: str, url: str, label: str = instance.label) -> None:
            _out(f"Signing in to {label}. Confirm the code {user_code} at:\n  {url}",
                 sys.stderr)
            if not args.no_browser:
                webbrowser.open(url, new=2)

        def open_page(url: str, label: str = instance.label) -> None:
            _out(f"Signing in to {label} in your browser…", sys.stderr)
            if not webbrowser.open(url, new=2):
                raise SwitcherError("No browser found; use --no-browser for a device code")

        token = workspace.login(instance, prompt, open_page,
                                device_code=True if args.no_browser or args.device_code
                                else None)
        _out(f"Signed in to {instance.label} until {token.expires_at:%Y-%m-%d %H:%M} UTC",
             sys.stderr)
    return 0


def _logout(args: argparse.Namespace) -> int:
    workspace = _workspace()
    for instance in workspace.instances():
        if args.sso_session and args.sso_session not in (instance.session_name,
                                                         instance.start_url):
            continue
        done = workspace.logout(instance)
        _out(f"{instance.label}: {'signed out' if done else 'was not signed in'}", sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    workspace = _workspace()
    if args.refresh or workspace.cached_inventory() is None:
        result = workspace.refresh()
        for label in result.not_signed_in:
            _out(f"warning: not signed in to {label}; run `switcher login`", sys.stderr)
        if result.added or result.removed:
            _out(f"{len(result.added)} new, {len(result.removed)} gone since the last refresh"
                 + "".join(f"\n  + {t.display_name}" for t in result.added)
                 + "".join(f"\n  - {t.display_name}" for t in result.removed), sys.stderr)
        for warning in result.warnings:
            _out(f"warning: {warning}", sys.stderr)
        for account_id, reason in result.failed_accounts.items():
            _out(f"warning: roles of account {account_id} could not be listed: {reason}",
                 sys.stderr)
        if result.kept:
            _out(f"warning: {len(result.kept)} targets kept from the last known inventory "
                 "(their source failed; marked [last known])", sys.stderr)
        targets = result.targets
        kept = result.kept_keys
    else:
        targets = workspace.targets()
        kept = frozenset()
    if args.json:
        _out(json.dumps([target_json(t, workspace.region_for(t, None)) for t in targets],
                        indent=2))
        return 0
    width = max((len(t.account_name) for t in targets), default=10)
    for t in targets:
        sources = ",".join(w.label for w in t.ways)
        _out(f"{t.account_id}  {t.account_name:<{width}}  {t.role_name:<28} "
             f"{t.environment.value:<12} {workspace.region_for(t, None):<15} {sources}"
             + (f"  [{t.problem}]" if t.problem else "")
             + ("  [last known]" if t.key in kept else ""))
    return 0


def target_json(target: Target, region: str) -> dict[str, object]:
    return {
        "account_id": target.account_id, "account_name": target.account_name,
        "role": target.role_name, "region": region,
        "environment": target.environment.value, "color": target.color,
        "ou_path": target.account.ou_path, "tags": dict(target.account.tags),
        "console_color": target.account.console_color,
        "sources": [w.label for w in target.ways],
        "ways": [{"kind": w.kind.value, "label": w.label,
                  **{k: v for k, v in (("profile", w.profile), ("sso_session", w.sso_session),
                                       ("start_url", w.start_url),
                                       ("source_profile", w.source_profile),
                                       ("origin", w.origin), ("display_name", w.display_name),
                                       ("color", w.color)) if v}}
                 for w in target.ways],
        "profiles": list(target.profile_names),
        "problem": target.problem,
    }


def _colors(args: argparse.Namespace) -> int:
    workspace = _workspace()
    if args.fetch:
        found = workspace.fetch_account_colors(workspace.targets())
        _out(f"{len(found)} accounts have a console colour", sys.stderr)
    for account_id, color in sorted(workspace.account_colors.load().items()):
        _out(f"{account_id}  {color}")
    return 0


def _confirm(workspace: Workspace, target: Target, args: argparse.Namespace, what: str) -> None:
    """The production guardrail: ask before acting, or refuse without a terminal."""
    mode = workspace.guardrail(target)
    if mode == "off" or args.yes:
        return
    label = f"{target.environment.value.upper()} {target.display_name}"
    if not sys.stdin.isatty():
        raise SwitcherError(f"{label} is guarded: confirm with --yes to {what}")
    if mode == "type-name":
        expected = target.account_name or target.account_id
        answer = input(f"{label}: type the account name ({expected}) to {what}: ").strip()
        if answer != expected:
            raise SwitcherError("The account name did not match; nothing was done")
        return
    if input(f"{label}: {what}? [y/N] ").strip().lower() not in ("y", "yes"):
        raise SwitcherError("Not confirmed; nothing was done")


def _console(args: argparse.Namespace) -> int:
    from switcher.actions.console import ConsoleMethod

    workspace = _workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    _confirm(workspace, target, args, "open its console")
    region = workspace.region_for(target, args.region)
    if args.print_url or args.copy:
        url = workspace.console_url(target, region, args.path, way, args.method,
                                    args.logout_first)
        if workspace.console_method(target, args.method) is ConsoleMethod.FEDERATION:
            _out("warning: this URL signs anyone who has it in to the account for 15 minutes",
                 sys.stderr)
        if args.copy:
            from switcher.actions.clipboard import copy_with_osc52

            copy_with_osc52(url)
            _out("Copied to the clipboard (OSC 52)", sys.stderr)
        else:
            _out(url)
        return 0
    redirect = workspace.open_console(target, region, args.path, way, args.method,
                                      args.logout_first)
    _out(f"Opening the console of {target.display_name} in {region}…", sys.stderr)
    if not redirect.wait(timeout=120):
        raise SwitcherError("The browser did not pick up the sign-in link within 2 minutes")
    return 0


def _shell(args: argparse.Namespace, command: Sequence[str] | None) -> int:
    from switcher.actions import shell

    workspace = _workspace()
    if command is None:
        shell.refuse_nesting(workspace.environ)
    target, way = workspace.resolve(args.target, via=args.via)
    _confirm(workspace, target, args, "start a shell" if command is None else "run a command")
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
            _out(f"Shell for {target.display_name} in {region}; `exit` to leave.", sys.stderr)
            return shell.run_shell(target, environment, shell.run, workspace.environ)
        return shell.run(command, environment)


def _ask(question: str, secret: bool) -> str:
    """A prompt on the terminal; without one, a line from standard input (for scripts)."""
    if sys.stdin.isatty():
        return getpass.getpass(question) if secret else input(question)
    return sys.stdin.readline().strip()


def _keys(args: argparse.Namespace) -> int:
    workspace = _workspace()
    store = workspace.keystore
    if args.keys_command == "add":
        key_id = _ask(f"Access key id for {args.profile}: ", secret=False)
        secret = _ask("Secret access key (not shown): ", secret=True)
        store.add(args.profile, key_id, secret)
        _out(f"Stored the keys of {args.profile} in the OS keyring", sys.stderr)
    elif args.keys_command == "list":
        for name in store.profiles():
            _out(name)
    elif args.keys_command == "remove":
        done = store.remove(args.profile)
        _out(f"{args.profile}: {'removed' if done else 'no keys were stored'}", sys.stderr)
        return 0 if done else 1
    else:
        imported, backup = workspace.import_keys(args.profiles, args.remove_from_file)
        _out(f"Imported {len(imported)} profiles into the OS keyring: {', '.join(imported)}",
             sys.stderr)
        if backup is not None:
            _out(f"Removed them from {workspace.aws_credentials.path}; backup: {backup} "
                 "(its secret keys are redacted: they are in the keyring now)",
                 sys.stderr)
    return 0


def _destinations(args: argparse.Namespace) -> int:
    from switcher.actions.console import console_path

    workspace = _workspace()
    target, _ = workspace.resolve(args.target)
    saved = workspace.destinations(target)
    if args.add:
        console_path(args.add)  # an alias or a path; anything else fails later, not here
        saved = [*[d for d in saved if d != args.add], args.add]
    if args.remove:
        if args.remove not in saved:
            raise SwitcherError(f"{args.remove!r} is not saved for {target.display_name}")
        saved = [d for d in saved if d != args.remove]
    if args.add or args.remove:
        workspace.save_destinations(target, saved)
    for destination in saved:
        _out(destination)
    return 0


def _populate(args: argparse.Namespace) -> int:
    from switcher.store import populate

    workspace = _workspace()
    path = workspace.aws_config.path
    try:
        result = populate.plan(path, workspace.targets(), set(workspace.aws_config.profiles),
                               args.template, args.region)
    except ValueError as error:
        raise SwitcherError(f"{path}: {error}") from None
    if args.dry_run:
        sys.stdout.write(populate.diff(path, result.text))
    elif result.changed:
        saved = populate.apply(path, result)
        _out(f"Wrote {len(result.profiles)} profiles into {path}"
             + (f" (backup: {saved})" if saved else ""), sys.stderr)
    else:
        _out(f"{path} already has these {len(result.profiles)} profiles; nothing to do",
             sys.stderr)
    for name in result.skipped:
        _out(f"warning: skipped profile {name}: the name is taken", sys.stderr)
    return 0


def _write_credentials(args: argparse.Namespace) -> int:
    from switcher.store.awsfiles import MARK, write_section

    workspace = _workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    credentials = workspace.credentials(target, way)
    values = {"aws_access_key_id": credentials.access_key_id,
              "aws_secret_access_key": credentials.secret_access_key}
    if credentials.session_token:
        values["aws_session_token"] = credentials.session_token
    expiry = f", expire {credentials.expiration:%Y-%m-%d %H:%M} UTC" if (
        credentials.expiration) else ""
    path = workspace.aws_credentials.path
    backup = write_section(path, args.profile, values,
                           f"{MARK.removeprefix('# ')}: {target.display_name}{expiry}")
    _out(f"Wrote [{args.profile}] for {target.display_name} into {path}"
         + (f" (backup: {backup})" if backup else ""), sys.stderr)
    return 0


def _env(args: argparse.Namespace) -> int:
    from switcher.actions import shell

    workspace = _workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    region = workspace.region_for(target, args.region)
    variables = shell.credential_environment(target, workspace.credentials(target, way),
                                             region, {})
    sys.stdout.write(shell.exports(variables, shell.CONFLICTING_PROFILE_VARIABLES, args.format))
    return 0


def _credential_process(args: argparse.Namespace) -> int:
    from switcher.actions import shell

    workspace = _workspace()
    target, way = workspace.resolve(args.target, via=args.via)
    _out(shell.credential_process_json(workspace.credentials(target, way), target.account_id))
    return 0


def _emulator(args: argparse.Namespace) -> int:
    from switcher.emulator.organization import generated_organization, seeded_organization
    from switcher.emulator.profiles import export_lines, write_profile_dir
    from switcher.emulator.server import Emulator
    from switcher.emulator.state import Knobs

    organization = generated_organization(args.accounts) if args.accounts else (
        seeded_organization())
    knobs = Knobs(latency_ms=args.latency_ms, throttle=not args.no_throttle,
                  error_rate=args.error_rate, token_ttl=args.token_ttl,
                  credential_ttl=args.credential_ttl, auto_approve=not args.manual_approval)
    try:
        emulator = Emulator(organization, knobs, port=args.port)
    except OSError as error:
        raise SwitcherError(f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror}") from None
    _out(f"emulator listening on {emulator.url} ({len(organization.accounts)} accounts)",
         sys.stderr)
    if args.write_profile_dir:
        environment = write_profile_dir(args.write_profile_dir.resolve(), emulator)
        _out(export_lines(environment).rstrip())
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever()
    return 0


def _app(args: argparse.Namespace) -> int:
    from switcher.tui.app import SwitcherApp

    SwitcherApp(_workspace()).run()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from switcher.demo import run_demo

    return run_demo(accounts=args.accounts)


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
    parser = _parser()
    command: list[str] | None = None
    if "--" in arguments:  # everything after -- belongs to the command for `exec`
        split = arguments.index("--")
        arguments, command = arguments[:split], arguments[split + 1 :]
    args = parser.parse_args(arguments)
    _configure_logging(args.debug)
    handlers = {"login": _login, "logout": _logout, "list": _list, "console": _console,
                "colors": _colors, "env": _env, "keys": _keys,
                "write-credentials": _write_credentials, "populate": _populate,
                "destinations": _destinations,
                "credential-process": _credential_process, "emulator": _emulator,
                "demo": _demo, None: _app}
    try:
        if args.command == "shell":
            return _shell(args, None)
        if args.command == "exec":
            return _shell(args, command or [])
        return handlers[args.command](args)
    except SwitcherError as error:
        if args.debug:
            log.exception("failed")
        _out(f"switcher: error: {error}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback for the user unless asked
        if args.debug:
            raise
        _out(f"switcher: unexpected error: {type(error).__name__}: {error} "
             "(run with --debug for details)", sys.stderr)
        return 1
