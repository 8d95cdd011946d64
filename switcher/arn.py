"""Amazon Resource Names: the one place that reads and writes them. Pure: no I/O, no imports
of ours, so the model can use it.

An ARN is `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` in any partition (aws, aws-cn,
aws-us-gov, the aws-iso* clouds, the European Sovereign Cloud aws-eusc). An IAM role's resource
is `role/` + an optional path + the role's name: `arn:aws:iam::111122223333:role/team/Admin` is
the role named `Admin` with the path `/team/`. IAM role names are unique in an account whatever
their path, so the name alone (as the console and the AWS CLI show it) identifies the role; the
path is kept for what needs it (AssumeRole takes the whole ARN, the console's Switch Role form
takes `team/Admin`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KNOWN_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e",
                    "aws-iso-f", "aws-eusc")
"""Partitions as of 2025; any `aws-<word>[-<word>...]` is accepted, so a new one needs no
change here."""
DEFAULT_PARTITION = "aws"
DEFAULT_PATH = "/"

_PARTITION = re.compile(r"aws(?:-[a-z]+)*")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]*")
_REGION = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?")
_ACCOUNT_ID = re.compile(r"\d{12}")
_ACCOUNT = re.compile(r"(?:\d{12}|aws)?")  # `aws` owns managed policies (arn:aws:iam::aws:...)
# IAM's own limits (CreateRole): a name of 1-64 of these characters, a path of up to 512
# printable ASCII characters that starts and ends with a slash.
_ROLE_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{1,64}")
_ROLE_PATH = re.compile(r"/(?:[\x21-\x7e]*/)?")
_MAX_PATH = 512


class ArnError(ValueError):
    """Text that is not the ARN it should be; the message says what is wrong with it."""


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account_id: str
    resource: str

    def __str__(self) -> str:
        return (f"arn:{self.partition}:{self.service}:{self.region}:{self.account_id}:"
                f"{self.resource}")


@dataclass(frozen=True)
class RoleArn:
    """An IAM role: `name` is the last segment of the ARN, `path` what comes before it
    (`/` or `/team/`)."""

    partition: str
    account_id: str
    name: str
    path: str = DEFAULT_PATH

    @property
    def path_and_name(self) -> str:
        """`team/Admin` (or `Admin`): what the console's Switch Role form calls the role."""
        return f"{self.path.lstrip('/')}{self.name}"

    def __str__(self) -> str:
        return format_role_arn(self.account_id, self.name, self.path, self.partition)


def parse_arn(text: str) -> Arn:
    """Any ARN, checked part by part; ArnError says which part is wrong."""
    shown = _shown(text)
    parts = text.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        raise ArnError(f"{shown} is not an ARN (arn:partition:service:region:account:resource)")
    _, partition, service, region, account_id, resource = parts
    if not _PARTITION.fullmatch(partition):
        raise ArnError(f"{shown}: {partition!r} is not an AWS partition "
                       f"(such as {', '.join(KNOWN_PARTITIONS[:3])})")
    if not _SERVICE.fullmatch(service):
        raise ArnError(f"{shown}: {service!r} is not a service name")
    if not _REGION.fullmatch(region):
        raise ArnError(f"{shown}: {region!r} is not a region")
    if not _ACCOUNT.fullmatch(account_id):
        raise ArnError(f"{shown}: the account {account_id!r} is not a 12-digit account id")
    if not resource:
        raise ArnError(f"{shown}: the resource is missing")
    return Arn(partition, service, region, account_id, resource)


def parse_role_arn(text: str) -> RoleArn:
    """An IAM role's ARN (`arn:aws:iam::111122223333:role/team/Admin`)."""
    arn = parse_arn(text.strip())
    shown = _shown(text)
    if arn.service != "iam" or not arn.resource.startswith("role/"):
        raise ArnError(f"{shown} is not an IAM role ARN (arn:{arn.partition}:iam::ACCOUNT:"
                       "role/NAME)")
    if arn.region:
        raise ArnError(f"{shown}: an IAM role ARN has no region ({arn.region!r})")
    if not _ACCOUNT_ID.fullmatch(arn.account_id):
        raise ArnError(f"{shown}: the account {arn.account_id!r} is not a 12-digit account id")
    path, name = split_role_name(arn.resource.removeprefix("role"), shown)
    return RoleArn(arn.partition, arn.account_id, name, path)


def split_role_name(value: str, where: str = "") -> tuple[str, str]:
    """(path, name) of `team/Admin`, `/team/Admin` or `Admin`: the role name people type into
    the console's Switch Role form, with or without a path."""
    shown = where or _shown(value)
    text = value.strip()
    head, _, name = text.rpartition("/")
    inner = head.removeprefix("/")
    path = f"/{inner}/" if inner else DEFAULT_PATH
    if not name:
        raise ArnError(f"{shown}: the role name is missing")
    if not _ROLE_NAME.fullmatch(name):
        raise ArnError(f"{shown}: {name[:80]!r} is not a role name (1 to 64 letters, digits "
                       "and _+=,.@-)")
    if len(path) > _MAX_PATH or not _ROLE_PATH.fullmatch(path) or "//" in text:
        raise ArnError(f"{shown}: {text[: -len(name)][:80]!r} is not a role path")
    return path, name


def format_role_arn(account_id: str, role_name: str, path: str = DEFAULT_PATH,
                    partition: str = DEFAULT_PARTITION) -> str:
    """The ARN of a role (`path` is `/` or `/team/`)."""
    return f"arn:{partition}:iam::{account_id}:role{path}{role_name}"


def _shown(text: str) -> str:
    """`text` quoted for a message, cut short if it is long."""
    return repr(text if len(text) <= 120 else text[:117] + "...")
