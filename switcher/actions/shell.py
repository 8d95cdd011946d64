"""A shell or a command with a target's credentials, and the same credentials as exports.

Credentials travel only in the environment of the child, never on its command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone

from switcher.errors import ShellError

TYPE_CHECKING = False  # exec's warm path: neither typing nor the model is imported for it
if TYPE_CHECKING:
    from typing import Protocol

    from switcher.model import Target

    class Named(Protocol):
        """What the environment says of a target: a Target, or a warm cache entry."""

        @property
        def display_name(self) -> str: ...
        @property
        def account_id(self) -> str: ...
        @property
        def role_name(self) -> str: ...

    class Keys(Protocol):
        """Credentials, or a warm cache entry."""

        @property
        def access_key_id(self) -> str: ...
        @property
        def secret_access_key(self) -> str: ...
        @property
        def session_token(self) -> str: ...
        @property
        def expiration(self) -> datetime | None: ...

MARKER = "SWITCHER_TARGET"
Runner = Callable[[Sequence[str], Mapping[str, str]], int]
# Variables that would make SDKs pick other credentials or another profile than ours.
CONFLICTING = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SESSION_EXPIRATION", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME", "AWS_CREDENTIAL_FILE", "AWS_SDK_LOAD_CONFIG",
)


CONFLICTING_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def credential_environment(target: Named, credentials: Keys, region: str,
                           base: Mapping[str, str]) -> dict[str, str]:
    """`base` without conflicting variables, plus the target's credentials, region and markers."""
    environment = {k: v for k, v in base.items() if k not in CONFLICTING}
    environment["AWS_ACCESS_KEY_ID"] = credentials.access_key_id
    environment["AWS_SECRET_ACCESS_KEY"] = credentials.secret_access_key
    if credentials.session_token:
        environment["AWS_SESSION_TOKEN"] = credentials.session_token
    if credentials.expiration is not None:
        expiry = credentials.expiration.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        environment["AWS_CREDENTIAL_EXPIRATION"] = expiry
        environment["SWITCHER_EXPIRATION"] = expiry
    if region:
        environment["AWS_REGION"] = region
        environment["AWS_DEFAULT_REGION"] = region
    environment[MARKER] = target.display_name
    environment["SWITCHER_ACCOUNT_ID"] = target.account_id
    environment["SWITCHER_ROLE_NAME"] = target.role_name
    return environment


STATIC_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                      "AWS_CREDENTIAL_EXPIRATION")


def with_endpoint(environment: Mapping[str, str], endpoint: Mapping[str, str]
                  ) -> dict[str, str]:
    """The environment with the credential endpoint in place of static credentials (which
    SDKs would otherwise prefer, and which would expire)."""
    changed = {k: v for k, v in environment.items() if k not in STATIC_CREDENTIALS}
    changed.update(endpoint)
    changed["SWITCHER_CREDENTIAL_ENDPOINT"] = "1"
    return changed


def run_shell(target: Target, environment: dict[str, str], runner: Runner,
              home: Mapping[str, str]) -> int:
    """The user's shell with the switcher prompt and title; its exit status."""
    import shutil

    from switcher.actions import prompt

    command, folder = prompt.prepare(shell_command(home)[0], target, environment, home)
    try:
        return runner(command, environment)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def user_shell(environ: Mapping[str, str]) -> str:
    return environ.get("SHELL") or "/bin/sh"


def refuse_nesting(environ: Mapping[str, str]) -> None:
    current = environ.get(MARKER)
    if current:
        raise ShellError(f"Already in a switcher shell for {current}; `exit` it first "
                         f"(or unset {MARKER} to nest on purpose)")


def run(command: Sequence[str], environment: Mapping[str, str]) -> int:
    """Run `command` with `environment`, passing the terminal through; its exit status."""
    if not command:
        raise ShellError("No command given; put it after `--`")
    import subprocess

    try:
        return subprocess.call(list(command), env=dict(environment))
    except FileNotFoundError:
        raise ShellError(f"Command not found: {command[0]}") from None
    except PermissionError:
        raise ShellError(f"Command not executable: {command[0]}") from None


def shell_command(environ: Mapping[str, str]) -> list[str]:
    shell = user_shell(environ)
    if not os.path.exists(shell):
        raise ShellError(f"The shell {shell} does not exist; set SHELL")
    return [shell]


EXPORT_FORMATS = ("sh", "fish", "powershell", "json", "dotenv")


def _quote_sh(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def exports(variables: Mapping[str, str], unset: Sequence[str], output_format: str) -> str:
    """Text that sets `variables` (and clears `unset`) when evaluated by the given shell."""
    if output_format == "json":
        import json

        return json.dumps(dict(variables), indent=2) + "\n"
    lines: list[str] = []
    if output_format == "sh":
        lines += [f"unset {name}" for name in unset]
        lines += [f"export {name}={_quote_sh(value)}" for name, value in variables.items()]
    elif output_format == "fish":
        lines += [f"set -e {name}" for name in unset]
        lines += [f"set -gx {name} {_quote_sh(value).replace(chr(92), chr(92) * 2)}"
                  for name, value in variables.items()]
    elif output_format == "powershell":
        lines += [f"Remove-Item Env:{name} -ErrorAction SilentlyContinue" for name in unset]
        lines += [f"$Env:{name} = '{value.replace(chr(39), chr(39) * 2)}'"
                  for name, value in variables.items()]
    elif output_format == "dotenv":
        lines += [f"{name}={_quote_sh(value)}" for name, value in variables.items()]
    else:
        raise ShellError(f"Unknown format {output_format!r}; use one of "
                         + ", ".join(EXPORT_FORMATS))
    return "\n".join(lines) + "\n"


def credential_process_json(credentials: Keys, account_id: str) -> str:
    """The `credential_process` answer: Version 1, keys, token, Expiration (ISO 8601)."""
    import json

    payload: dict[str, object] = {"Version": 1, "AccessKeyId": credentials.access_key_id,
                                  "SecretAccessKey": credentials.secret_access_key}
    if credentials.session_token:
        payload["SessionToken"] = credentials.session_token
    if credentials.expiration is not None:
        payload["Expiration"] = credentials.expiration.astimezone(timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    payload["AccountId"] = account_id
    return json.dumps(payload)
