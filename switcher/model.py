"""The types everything else is built around. Frozen dataclasses with slots (the app holds
100,000 targets: a slotted one takes a quarter of the memory), no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from switcher.arn import DEFAULT_PARTITION, DEFAULT_PATH, RoleArn

ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")


class SourceKind(str, Enum):
    """Where a way into a target comes from."""

    SSO = "sso"
    PROFILE = "profile"
    SWITCH_ROLE = "switch-role"
    ORGANIZATIONS = "organizations"


class Environment(str, Enum):
    PRODUCTION = "production"
    STAGING = "staging"
    DEVELOPMENT = "development"
    TEST = "test"
    SANDBOX = "sandbox"
    MANAGEMENT = "management"
    SHARED = "shared"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    name: str
    email: str = ""
    ou_path: str = ""
    tags: tuple[tuple[str, str], ...] = ()
    console_color: str = ""
    """The account colour set in the AWS console (uxc accountColor), when known."""

    @property
    def tag_map(self) -> dict[str, str]:
        return dict(self.tags)


@dataclass(frozen=True, slots=True)
class Way:
    """One way to get credentials for a target.

    For an SSO assignment `sso_session` names the [sso-session] (or the start URL of a
    legacy profile); for a profile `profile` names the ~/.aws/config profile.
    """

    kind: SourceKind
    sso_session: str = ""
    start_url: str = ""
    sso_region: str = ""
    profile: str = ""
    source_profile: str = ""
    """For switch-role and Organizations ways: the AWS profile whose credentials assume the
    role."""
    origin: str = ""
    """Where a switch-role entry was read (a file, a URL or config.toml)."""
    display_name: str = ""
    color: str = ""
    external_id: str = ""

    @property
    def label(self) -> str:
        if self.kind is SourceKind.SSO:
            return f"sso:{self.sso_session or self.start_url}"
        if self.kind is SourceKind.PROFILE:
            return f"profile:{self.profile}"
        if self.kind is SourceKind.ORGANIZATIONS:
            return f"organizations:{self.source_profile}"
        if self.origin.startswith("team:"):
            return self.origin
        return f"switch-role:{self.display_name or self.origin}"


@dataclass(frozen=True, slots=True)
class Target:
    """One thing a user can become: an account and a role, and how to get there.

    `role_name` is the role's name without its path (`Admin` for `role/team/Admin`), as the
    console and the AWS CLI show it: IAM names are unique in an account whatever the path, so
    every source that reaches a role gives it the same key. The path and partition are kept
    for the role's full ARN."""

    account: Account
    role_name: str
    ways: tuple[Way, ...]
    region: str = ""
    profile_names: tuple[str, ...] = field(default=())
    environment: Environment = Environment.UNKNOWN
    color: str = ""
    """Hex colour (#rrggbb) the target is shown in."""
    explicit_environment: str = ""
    """An environment the user set for this target (config.toml or a source), if any."""
    explicit_color: str = ""
    problem: str = ""
    """Why this target cannot be used as configured (a source_profile loop, a missing source)."""
    role_path: str = DEFAULT_PATH
    """The role's IAM path: `/` or `/team/`."""
    partition: str = DEFAULT_PARTITION

    @property
    def role(self) -> RoleArn:
        return RoleArn(self.partition, self.account.account_id, self.role_name, self.role_path)

    @property
    def role_arn(self) -> str:
        return str(self.role)

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def account_name(self) -> str:
        return self.account.name

    @property
    def key(self) -> str:
        """Stable identity: the same account and role are one target."""
        return f"{self.account.account_id}/{self.role_name}"

    @property
    def display_name(self) -> str:
        return f"{self.account.name or self.account.account_id}/{self.role_name}"

    @property
    def way(self) -> Way:
        """The preferred way in: the first one listed."""
        return self.ways[0]


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime | None = None
    chained: bool = False
    """True when these came from AssumeRole called with temporary credentials."""
    federated: bool = False
    """True when these came from GetFederationToken."""
    issued: datetime | None = None
    """When these were obtained, if known: with the expiration, their lifetime, which says
    when they are due for renewal (switcher.auth.renewal)."""

    @property
    def allows_session_duration(self) -> bool:
        """The console federation endpoint refuses SessionDuration for chained or federated
        credentials."""
        return not (self.chained or self.federated)

    def __repr__(self) -> str:  # never show secrets, even in tracebacks or logs
        return f"Credentials(access_key_id={self.access_key_id!r}, expiration={self.expiration!r})"

    __str__ = __repr__
