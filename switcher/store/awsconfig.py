"""Reading ~/.aws/config the way botocore does (read only; we never write it here)."""

from __future__ import annotations

import configparser
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path

from switcher.arn import ArnError, parse_role_arn
from switcher.errors import ConfigError
from switcher.store.reading import read_regular_text


@dataclass(frozen=True)
class AwsConfig:
    path: Path
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    sso_sessions: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


AWS_CLI_SECTIONS = frozenset({"plugins", "preview", "toplevel"})
"""Sections of the AWS CLI's own (not profiles); botocore keeps them, we pass them over."""


def _section_kind(section: str) -> tuple[str, str] | None:
    if section == "default":
        return "profile", "default"
    if section in AWS_CLI_SECTIONS:
        return section, ""
    try:
        parts = shlex.split(section)
    except ValueError:
        return None
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


_LINE_END = re.compile(r"\r\n|\r|\n")


def _as_botocore_reads(text: str) -> tuple[str, list[int]]:
    """`text` as botocore reads it (it opens the file in text mode: CRLF and a lone CR end a
    line as LF does), and for each line of that, the line of the file an editor shows it on
    (counting LF and CRLF only)."""
    lines: list[int] = []
    pieces: list[str] = []
    line, start = 1, 0
    for match in _LINE_END.finditer(text):
        pieces.append(text[start:match.start()])
        lines.append(line)
        line += match.group() != "\r"
        start = match.end()
    pieces.append(text[start:])
    lines.append(line)
    return "\n".join(pieces), lines


def _refusal(error: configparser.Error) -> tuple[int | None, str]:
    """The line (as configparser counts) and the reason, in one line, of a refusal."""
    if isinstance(error, configparser.MissingSectionHeaderError):
        return error.lineno, "text before the first [section]"
    if isinstance(error, configparser.ParsingError):
        return error.errors[0][0], "neither a [section] nor a `key = value` line"
    if isinstance(error, configparser.DuplicateSectionError):
        return error.lineno, f"section [{error.section}] is there twice"
    if isinstance(error, configparser.DuplicateOptionError):
        return error.lineno, f"key {error.option!r} is there twice in [{error.section}]"
    return getattr(error, "lineno", None), error.message.replace("\n", " ")


def _parse_ini(text: str, path: Path, what: str) -> configparser.RawConfigParser:
    """`text` parsed as botocore does, or a ConfigError naming the file and line (a
    duplicate section or key included: botocore refuses the whole file then). A lone CR is
    a line break to botocore, so one inside a line breaks it in two: that is said."""
    parser = configparser.RawConfigParser(strict=True, interpolation=None)
    read, lines = _as_botocore_reads(text)
    try:
        parser.read_string(read, source=str(path))
    except configparser.Error as error:
        line, reason = _refusal(error)
        if line is None:
            raise ConfigError(f"{path}: cannot read {what}: {reason}") from None
        shown = lines[min(line, len(lines)) - 1]
        if "\r" in text.replace("\r\n", "\n").split("\n")[shown - 1]:
            reason = ("a carriage return (\\r) inside the line: botocore reads it as a line "
                      "break and refuses the file")
        raise ConfigError(f"{path}:{shown}: cannot read {what}: {reason}") from None
    return parser


def _read_ini(path: Path, what: str) -> configparser.RawConfigParser | None:
    """The file parsed as botocore does (None when it does not exist), or a ConfigError
    naming the file and line."""
    try:
        text = read_regular_text(path)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read {what}: {error}") from None
    return _parse_ini(text, path, what)


def _config_from(parser: configparser.RawConfigParser, path: Path) -> AwsConfig:
    profiles: dict[str, dict[str, str]] = {}
    sessions: dict[str, dict[str, str]] = {}
    warnings: list[str] = []
    for section in parser.sections():
        kind = _section_kind(section)
        values = {key: value.strip() for key, value in parser.items(section)}
        if kind is None:
            warnings.append(f"{path}: section [{section}] is not understood; skipped")
        elif kind[0] == "profile":
            profiles[kind[1]] = values
        elif kind[0] == "sso-session":
            sessions[kind[1]] = values
    return AwsConfig(path, profiles, sessions, tuple(warnings))


def load_aws_config(path: Path) -> AwsConfig:
    """Profiles and [sso-session] sections of an AWS config file; a missing file is empty."""
    parser = _read_ini(path, "AWS config")
    return AwsConfig(path) if parser is None else _config_from(parser, path)


def parse_aws_config(text: str, path: Path) -> AwsConfig:
    """`text`, as the AWS config file at `path` would be read."""
    return _config_from(_parse_ini(text, path, "AWS config"), path)


def with_credentials_profiles(config: AwsConfig, credentials: AwsConfig) -> AwsConfig:
    """The profiles as botocore's full_config has them: each profile of the credentials
    file merged into the config file's profile of that name (its keys win), or added."""
    if not credentials.profiles:
        return config
    profiles = {name: dict(values) for name, values in config.profiles.items()}
    for name, values in credentials.profiles.items():
        profiles.setdefault(name, {}).update(values)
    return AwsConfig(config.path, profiles, config.sso_sessions, config.warnings)


def with_role_arn_warnings(config: AwsConfig, credentials: AwsConfig) -> AwsConfig:
    """`config` (the credentials file's profiles merged in) with one warning for each profile
    left out because its role_arn is not a role's ARN: it names no account to list it under.
    botocore takes such a profile for an assume-role one and STS refuses it when it is used;
    saying so here is what tells the user why the profile is missing."""
    warnings: list[str] = []
    for name, values in config.profiles.items():
        if "role_arn" not in values or (values.get("sso_account_id")
                                        and values.get("sso_role_name")):
            continue  # an sso profile is listed as one
        if not values["role_arn"] and values.get("aws_account_id"):
            continue  # listed by its keys' account
        try:
            parse_role_arn(values["role_arn"])
        except ArnError as error:
            where = (credentials.path if "role_arn" in credentials.profiles.get(name, {})
                     else config.path)
            problem = str(error) if values["role_arn"] else "is empty"
            warnings.append(f"{where}: profile {name!r} is not listed: its role_arn {problem}")
    if not warnings:
        return config
    return replace(config, warnings=(*config.warnings, *warnings))


def load_credentials_file(path: Path) -> AwsConfig:
    """~/.aws/credentials: [name] sections (no `profile ` prefix) holding keys."""
    parser = _read_ini(path, "AWS credentials")
    if parser is None:
        return AwsConfig(path)
    profiles = {name: {k: v.strip() for k, v in parser.items(name)} for name in parser.sections()}
    return AwsConfig(path, profiles)
