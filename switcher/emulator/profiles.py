"""A ready AWS config folder for the emulator, and the exports that point tools at it.

Nothing of the user's real ~/.aws is read or written: every path is inside the folder, HOME
included. The AWS CLI and botocore read the SSO token cache only from ~/.aws/sso/cache (no
variable moves it), so the exports give them a HOME of the folder's own: a `switcher login`
leaves the token there, where `aws` finds it, and a token `aws` refreshes is where switcher
reads it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import stat
import tempfile
from pathlib import Path

from switcher.emulator.organization import (
    IAM_USER_ACCESS_KEY_ID,
    IAM_USER_SECRET_ACCESS_KEY,
    Organization,
)
from switcher.emulator.server import Emulator

SSO_SESSION = "emulator"


def _by_name(organization: Organization, name: str) -> str | None:
    return next((a.account_id for a in organization.account_list() if a.name == name), None)


def config_text(emulator: Emulator) -> str:
    organization = emulator.state.organization
    lines = [
        "# Written by `switcher emulator --write-profile-dir`: profiles for the local emulator.",
        f"[sso-session {SSO_SESSION}]",
        f"sso_start_url = {organization.start_url}",
        f"sso_region = {organization.sso_region}",
        "sso_registration_scopes = sso:account:access",
        "",
    ]
    others = [o for o in emulator.state.instances.values() if o is not organization]
    for number, other in enumerate(others, start=2):
        lines += [f"[sso-session {SSO_SESSION}-{number}]", f"sso_start_url = {other.start_url}",
                  f"sso_region = {other.sso_region}", ""]
    accounts = organization.account_list()
    for account in accounts[:8]:
        for permission_set in account.permission_sets[:1]:
            lines += [f"[profile {account.name}-{permission_set.lower()}]",
                      f"sso_session = {SSO_SESSION}",
                      f"sso_account_id = {account.account_id}",
                      f"sso_role_name = {permission_set}",
                      "region = eu-west-1", ""]
    shared = _by_name(organization, "acme-shared-services")
    security = _by_name(organization, "acme-security")
    management = organization.management_account_id
    lines += ["# An IAM user with long-lived keys (in the credentials file next to this one).",
              "[profile jane-iam]", "region = us-east-1", "",
              "# Switch-role profiles: role_arn + source_profile chains.",
              "[profile management-org-reader]",
              f"role_arn = arn:aws:iam::{management}:role/OrganizationReader",
              "source_profile = jane-iam", "region = us-east-1", ""]
    if shared:
        first = accounts[0]
        lines += ["[profile shared-deployer]",
                  f"role_arn = arn:aws:iam::{shared}:role/Deployer",
                  f"source_profile = {first.name}-{first.permission_sets[0].lower()}",
                  "external_id = acme-ci", "role_session_name = jane-deployer",
                  "region = eu-central-1", ""]
    if security:
        lines += ["[profile security-breakglass]",
                  f"role_arn = arn:aws:iam::{security}:role/BreakGlass",
                  "source_profile = jane-iam",
                  f"mfa_serial = {emulator.state.iam_user_mfa_serial}",
                  "region = us-east-1", ""]
    return "\n".join(lines)


def credentials_text() -> str:
    return ("# Long-lived keys of the emulator's fictional IAM user (they work nowhere else).\n"
            "[jane-iam]\n"
            f"aws_access_key_id = {IAM_USER_ACCESS_KEY_ID}\n"
            f"aws_secret_access_key = {IAM_USER_SECRET_ACCESS_KEY}\n")


def home_of(directory: Path) -> Path:
    """The HOME the exports of `directory` give: its token cache is the AWS CLI's."""
    return directory / "home"


def token_cache_of(directory: Path) -> Path:
    """Where the AWS CLI, botocore and switcher keep SSO tokens under those exports."""
    return home_of(directory) / ".aws" / "sso" / "cache"


def environment_for(directory: Path, emulator: Emulator) -> dict[str, str]:
    environment = emulator.environment()
    environment.update({
        "HOME": str(home_of(directory)),
        "AWS_CONFIG_FILE": str(directory / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(directory / "credentials"),
        "SWITCHER_CONFIG_DIR": str(directory / "switcher" / "config"),
        "SWITCHER_CACHE_DIR": str(directory / "switcher" / "cache"),
        "SWITCHER_STATE_DIR": str(directory / "switcher" / "state"),
    })
    return environment


class ProfileDirError(Exception):
    """The folder given to --write-profile-dir cannot be used safely."""


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, 0600 (the emulator imports nothing of switcher)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _private_folder(folder: Path) -> None:
    """Make `folder` 0700, or take it as it is when it is already ours and nobody else may
    write into it: another user who owns it (or may write into it) could read the sign-in's
    token in its HOME, or replace env.sh between its writing and its sourcing."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ProfileDirError(f"{folder} is not a folder of yours; give --write-profile-dir "
                            "a new folder (it is made 0700)")
    if info.st_mode & 0o022:
        raise ProfileDirError(f"{folder} may be written by other users; give --write-profile-dir "
                            "a new folder (it is made 0700)")


def write_profile_dir(directory: Path, emulator: Emulator) -> dict[str, str]:
    """Write config, credentials and env.sh into `directory` (a folder of the user's own,
    made 0700 when new; every file 0600, written atomically); the environment to use it."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    _private_folder(directory)
    home = home_of(directory)
    _private_folder(home)
    os.chmod(home, 0o700)  # the sign-in's token lives under it
    for folder in (home / ".aws", home / ".aws" / "sso", token_cache_of(directory)):
        _private_folder(folder)
    _write_private(directory / "config", config_text(emulator))
    _write_private(directory / "credentials", credentials_text())
    environment = environment_for(directory, emulator)
    _write_private(directory / "env.sh", export_lines(environment))
    return environment


def export_lines(environment: dict[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n"
                   for name, value in sorted(environment.items()))
