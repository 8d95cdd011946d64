"""The argparse parser of every sub-command and its options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from switcher import __version__

PICKS_A_TARGET = ("console", "shell", "exec", "env")
"""Commands that, run in a terminal without a target, let the user pick one."""


def region(text: str) -> str:
    """A --region value: a region some partition has, in lower case. botocore's region data
    is read only when a region is given, never for --help."""
    if not text:
        return text
    from switcher import regions
    from switcher.errors import UnknownRegionError

    try:
        return regions.check_region(text)
    except UnknownRegionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


DISTRIBUTION = "switcher-aws"
"""The name on the package index (`switcher` there is another project's); the command is
`switcher`."""


def versions() -> str:
    """switcher's version and those of what a bug report needs, read from the installed
    packages' metadata (nothing is imported)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return "\n".join((f"switcher {__version__} ({DISTRIBUTION})",
                      f"Python {platform.python_version()} "
                      f"({platform.python_implementation()}, {sys.platform})",
                      f"Textual {installed('textual')}", f"botocore {installed('botocore')}"))


class VersionAction(argparse.Action):
    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        sys.stdout.write(versions() + "\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="switcher",
        description="Reach every AWS account and role you can use: list them, open the "
                    "console, start a shell. Without a command, opens the full-screen app.")
    parser.add_argument("--version", action=VersionAction,
                        help="switcher's version, and Python's, Textual's and botocore's")
    parser.add_argument("--debug", action="store_true",
                        help="log what happens to stderr and show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    login = commands.add_parser("login", help="sign in to IAM Identity Center")
    login.add_argument("--sso-session", help="only this [sso-session] (or start URL)")
    login.add_argument("--no-browser", action="store_true",
                       help="sign in with a device code (print its URL, open no browser)")
    login.add_argument("--device-code", action="store_true",
                       help="sign in with a device code, in a browser anywhere")
    setup = commands.add_parser(
        "setup", help="a first run: add an IAM Identity Center start URL or an AESR file",
        description="Adds an [sso-session] to ~/.aws/config (every other byte kept, after a "
                    "backup), signs in and lists what it reaches; or adds an AWS Extend Switch "
                    "Roles file to config.toml. In a terminal without options it asks.")
    setup.add_argument("--start-url", metavar="URL",
                       help="the AWS access portal's start URL (https://...awsapps.com/start)")
    setup.add_argument("--region", type=region, help="the region Identity Center runs in")
    setup.add_argument("--name", help="the [sso-session] name (default: from the URL)")
    setup.add_argument("--aesr", metavar="FILE", help="an AWS Extend Switch Roles file or URL")
    setup.add_argument("--no-login", action="store_true", help="write it, sign in later")
    setup.add_argument("--no-browser", action="store_true",
                       help="sign in with a device code (print its URL, open no browser)")
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
        if name in PICKS_A_TARGET:
            command.add_argument("target", metavar="TARGET", nargs="?",
                                 help="account-name/role, account-id/role or a profile name "
                                      "(without one, pick it in the terminal)")
            command.set_defaults(usage_error=command.error)
        else:
            command.add_argument("target", metavar="TARGET",
                                 help="account-name/role, account-id/role or a profile name")
        command.add_argument("--region", type=region,
                             help="AWS region (default: the target's, or AWS_REGION)")
        if name in ("console", "shell", "exec", "env"):
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
                                 help="copy the URL to the clipboard instead (a clipboard tool, "
                                      "else OSC 52 through the terminal)")
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
            command.usage = "switcher exec [TARGET] [--region R] -- CMD [ARG ...]"
        if name == "env":
            command.add_argument("--format", default="sh",
                                 choices=("sh", "fish", "powershell", "json", "dotenv"))

    populate = commands.add_parser(
        "populate", help="write profiles for every Identity Center target into ~/.aws/config")
    populate.add_argument("--dry-run", action="store_true", help="show the diff, change nothing")
    populate.add_argument("--template", default="{account_name}.{role_name}",
                          help="profile names: {account_name} {account_id} {role_name} "
                               "{environment}")
    populate.add_argument("--region", default="", type=region,
                          help="region for every profile (default: the target's own, else "
                               "its Identity Center instance's)")

    write = commands.add_parser(
        "write-credentials",
        help="write a target's temporary credentials into ~/.aws/credentials (for legacy tools)")
    write.add_argument("target", metavar="TARGET")
    write.add_argument("--profile", required=True, help="the [section] to write")
    write.add_argument("--via", metavar="WAY")
    write.add_argument("--yes", action="store_true",
                       help="confirm a guarded (production) target without asking")

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

    team = commands.add_parser(
        "team", help="team files: switch roles, environments and guardrails a team shares",
        description="A team file (TOML) from an https URL, a local path or a git checkout, "
                    "pinned by its sha256: a changed file is used only once accepted with "
                    "`switcher team update`. Your own config.toml wins over it.")
    team_commands = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    team_add = team_commands.add_parser("add", help="show what a team file adds, and pin it")
    team_add.add_argument("source", metavar="SOURCE",
                          help="https URL, file, or folder holding switcher-team.toml")
    team_add.add_argument("--name", help="what to call it (default: its `name`, else the "
                                         "file's)")
    team_commands.add_parser("list", help="the team files added, and changes waiting")
    team_update = team_commands.add_parser(
        "update", help="fetch team files again, show the diff and accept it")
    team_update.add_argument("name", metavar="NAME", nargs="?", help="only this one")
    team_update.add_argument("--yes", action="store_true", help="accept without asking")
    team_remove = team_commands.add_parser("remove", help="stop using a team file")
    team_remove.add_argument("name", metavar="NAME")

    export = commands.add_parser(
        "export", help="print what colleagues can use: AESR, a team file, ~/.aws/config",
        description="aesr: every switch-role target with its colour, for AWS Extend Switch "
                    "Roles; team: your config.toml's shareable parts as a team file; "
                    "aws-config: the block `switcher populate` writes.")
    export.add_argument("format", choices=("aesr", "team", "aws-config"))
    export.add_argument("--template", default="{account_name}.{role_name}",
                        help="aws-config: profile names (as for populate)")
    export.add_argument("--region", default="", type=region,
                        help="aws-config: region for every profile")

    colors = commands.add_parser("colors", help="the account colours set in the AWS console")
    colors.add_argument("--fetch", action="store_true",
                        help="ask every account for its console colour (one call per account)")

    completion = commands.add_parser(
        "completion", help="print a shell completion script: sub-commands, options, targets",
        description="Load it in bash with eval \"$(switcher completion bash)\", in zsh with "
                    "source <(switcher completion zsh) after compinit, in fish with "
                    "switcher completion fish > ~/.config/fish/completions/switcher.fish")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))

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

