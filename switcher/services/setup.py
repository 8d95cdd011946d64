"""A first run: adding an IAM Identity Center instance (an `[sso-session]` in ~/.aws/config,
written with every other byte kept) or an AWS Extend Switch Roles file (config.toml's
`[aesr] sources`). The checks are the form's, the same for the app and `switcher setup`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from switcher.errors import ConfigError
from switcher.regions import nearest_regions, parse_region
from switcher.store.awsconfig import AwsConfig
from switcher.store.awsfiles import write_section
from switcher.store.editing import Edited
from switcher.store.settings import Settings, update_setting
from switcher.text import visible

SESSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SCOPES = "sso:account:access"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class SsoSession:
    name: str
    start_url: str
    region: str


def check_start_url(text: str) -> str:
    """An IAM Identity Center start URL (`https://d-1234567890.awsapps.com/start`), or a
    ConfigError saying what is wrong. http is taken only on this machine (the emulator)."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"'{visible(url)}' is not a start URL: it looks like "
                          "https://d-1234567890.awsapps.com/start")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise ConfigError("a start URL is https://...")
    if "." not in parts.hostname and parts.hostname not in LOCAL_HOSTS:
        raise ConfigError(f"'{visible(url)}' is not a start URL: its host has no domain "
                          "(like d-1234567890.awsapps.com)")
    if any(char.isspace() for char in url) or visible(url) != url:
        raise ConfigError("a start URL holds no spaces or control characters")
    return url


def check_region(text: str) -> str:
    region = parse_region(text)
    if region is None or not text.strip():
        nearest = nearest_regions(text)
        raise ConfigError(f"unknown region '{visible(text.strip())}'" + (
            f"; did you mean {', '.join(nearest)}?" if nearest else ""))
    return region


def check_name(text: str, taken: Collection[str]) -> str:
    name = text.strip()
    if not SESSION_NAME.match(name):
        raise ConfigError("a name is letters, digits, '.', '_' or '-' (up to 64), starting "
                          "with a letter or digit")
    if name in taken:
        raise ConfigError(f"[sso-session {name}] is already there: pick another name")
    return name


def default_name(start_url: str) -> str:
    """`acme` for https://acme.awsapps.com/start, `d-1234567890` for the d- form."""
    host = urlsplit(start_url.strip()).hostname or ""
    first = re.sub(r"[^A-Za-z0-9._-]", "-", host.split(".")[0]) if host else ""
    return first.strip("-.") or "my-sso"


def checked(name: str, start_url: str, region: str, taken: Collection[str]
            ) -> tuple[SsoSession | None, dict[str, str]]:
    """The form's values checked: the session, or what is wrong with each field."""
    problems: dict[str, str] = {}
    values: dict[str, str] = {}
    checks: tuple[tuple[str, Callable[[], str]], ...] = (
        ("start_url", lambda: check_start_url(start_url)),
        ("region", lambda: check_region(region)), ("name", lambda: check_name(name, taken)))
    for field, check in checks:
        try:
            values[field] = check()
        except ConfigError as error:
            problems[field] = str(error)
    if problems:
        return None, problems
    return SsoSession(values["name"], values["start_url"], values["region"]), {}


def add_sso_session(config: Path, session: SsoSession) -> Edited:
    """`[sso-session NAME]` added to ~/.aws/config (made when missing), after a backup, the
    rest of the file byte for byte as it was."""
    config.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_section(config, f"sso-session {session.name}",
                         {"sso_start_url": session.start_url, "sso_region": session.region,
                          "sso_registration_scopes": SCOPES}, secret=False)


def check_aesr_file(path: Path) -> int:
    """How many targets the AWS Extend Switch Roles file at `path` holds, or a ConfigError
    saying why it is not one (missing, unreadable, nothing AESR in it)."""
    from switcher.sources.switchroles import parse_aesr, read_aesr_source

    shown = visible(str(path))
    if not path.is_file():
        raise ConfigError(f"{shown}: no such file")
    try:
        text = read_aesr_source(str(path))
    except OSError as error:
        raise ConfigError(f"{shown}: cannot be read ({visible(error.strerror or str(error))})"
                          ) from None
    found = parse_aesr(text, str(path))
    if not found.targets:
        raise ConfigError(f"{shown} is not an AWS Extend Switch Roles file: no [profile] "
                          "with aws_account_id and role_name, or role_arn")
    return len(found.targets)


def add_aesr_source(settings: Path, sources: Sequence[str], location: str) -> str:
    """An AESR file (or URL) added to config.toml's `[aesr] sources`; a file must exist and
    hold at least one switch role."""
    wanted = location.strip()
    if not wanted:
        raise ConfigError("no AESR file given")
    if not wanted.startswith(("https://", "http://")):
        path = Path(wanted).expanduser()
        check_aesr_file(path)
        wanted = str(path.resolve())
    if wanted not in sources:
        settings.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        update_setting(settings, ("aesr",), "sources", [*sources, wanted])
    return wanted


def nothing_configured(config: AwsConfig, credentials: AwsConfig, settings: Settings) -> bool:
    """A first run: no [sso-session] or profile in ~/.aws/config or credentials, and no
    switch roles, AESR sources or Organizations in config.toml."""
    return not (config.sso_sessions or config.profiles or credentials.profiles
                or settings.switch_roles or settings.aesr_sources
                or settings.organizations_profile)


def files_described(config: AwsConfig, credentials: AwsConfig, settings: Settings
                    ) -> list[str]:
    """Each file switcher reads its targets from, and what it holds."""
    def described(path: Path, holds: list[str], none: str) -> str:
        if not path.is_file():
            return f"{path}: not found"
        return f"{path}: " + (", ".join(holds) if holds else none)

    def count(number: int, what: str) -> list[str]:
        return [f"{number} {what}{'s' if number != 1 else ''}"] if number else []

    return [described(config.path, count(len(config.sso_sessions), "[sso-session]")
                      + count(len(config.profiles), "profile"), "no [sso-session] or profile"),
            described(credentials.path, count(len(credentials.profiles), "profile"),
                      "no profile"),
            described(settings.path, count(len(settings.switch_roles), "switch role")
                      + count(len(settings.aesr_sources), "AESR source")
                      + (["Organizations"] if settings.organizations_profile else []),
                      "no switch roles, AESR sources or Organizations")]
