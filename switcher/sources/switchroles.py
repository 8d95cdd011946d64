"""Saved switch-role entries: the AWS Extend Switch Roles (AESR) configuration format, read from
a file or a URL, and entries kept in switcher's own config.toml.

AESR grammar (tilfinltd/aesr-config): INI; everything after `;` or `#` on a line is a comment;
`[name]` or `[profile name]` sections; `key = value` split on the first `=`; profiles with
`role_arn`, or `aws_account_id` (+ `role_name`); optional `color`, `region`, `image`,
`source_profile`, and for base profiles `aws_account_alias`, `target_role_name`,
`target_region`. A bad line is reported with its number and skipped, never fatal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from switcher.arn import DEFAULT_PARTITION, ArnError, RoleArn, parse_role_arn, split_role_name
from switcher.model import ACCOUNT_ID_PATTERN, Account, SourceKind, Target, Way
from switcher.store.reading import read_regular
from switcher.text import clean_name

SECTION = re.compile(r"^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$", re.IGNORECASE)
KNOWN_KEYS = {"aws_account_id", "role_name", "role_arn", "color", "region", "image",
              "source_profile", "aws_account_alias", "target_role_name", "target_region"}
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class SwitchRoleEntries:
    targets: list[Target] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_aesr(text: str, origin: str, aws_profiles: frozenset[str] = frozenset()
               ) -> SwitchRoleEntries:
    """Targets from an AESR configuration; `aws_profiles` are the profile names of
    ~/.aws/config, used as the source of credentials when a base profile has the same name."""
    result = SwitchRoleEntries()
    sections: dict[str, dict[str, str]] = {}
    lines_of: dict[str, int] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.split(r"[;#]", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        where = f"{origin}:{number}"
        section = SECTION.match(line)
        if section:
            current = section.group(1).strip()
            if current in sections:
                result.warnings.append(f"{where}: profile [{current}] is defined twice; "
                                       "the later one is skipped")
                current = None
                continue
            sections[current] = {}
            lines_of[current] = number
            continue
        if current is None:
            if not sections:
                result.warnings.append(f"{where}: text before the first [profile]; skipped")
            continue
        key, equals, value = line.partition("=")
        key, value = key.strip().lower(), value.strip().strip("'\"")
        if not equals or not key or not value:
            result.warnings.append(f"{where}: not a `key = value` line; skipped")
            continue
        if key not in KNOWN_KEYS:
            result.warnings.append(f"{where}: unknown key {key!r}; ignored")
            continue
        if key in sections[current]:
            result.warnings.append(f"{where}: {key} is set twice in [{current}]; "
                                   "the first is kept")
            continue
        sections[current][key] = value
    bases = {values["source_profile"] for values in sections.values()
             if values.get("source_profile")}
    for name, values in sections.items():
        where = f"{origin}:{lines_of[name]}"
        if name in bases and not values.get("source_profile"):
            continue  # a base account: the identity you switch from, not a target
        target = _target(name, values, sections, origin, aws_profiles)
        if isinstance(target, str):
            result.warnings.append(f"{where}: [{name}] {target}; skipped")
        else:
            result.targets.append(target)
    return result


def _target(name: str, values: dict[str, str], sections: dict[str, dict[str, str]],
            origin: str, aws_profiles: frozenset[str]) -> Target | str:
    base_name = values.get("source_profile", "")
    base = sections.get(base_name, {}) if base_name else {}
    if base_name and base_name not in sections:
        return f"names source_profile {base_name!r}, which is not defined"
    role_arn = values.get("role_arn", "")
    if role_arn:
        if values.get("aws_account_id") or values.get("role_name"):
            return "has both role_arn and aws_account_id/role_name"
        try:
            role = parse_role_arn(role_arn)
        except ArnError as error:
            return f"role_arn {error}"
    else:
        account_id = values.get("aws_account_id", "")
        if not ACCOUNT_ID_PATTERN.match(account_id):
            return f"aws_account_id {account_id!r} is not a 12-digit account id"
        typed = values.get("role_name") or base.get("target_role_name", "")
        if not typed:
            return "has no role_name (nor a target_role_name on its base)"
        try:
            # Like the console's Switch Role form, the name may carry a path: `team/Admin`.
            role_path, role_name = split_role_name(typed, f"role_name {typed!r}")
        except ArnError as error:
            return str(error)
        role = RoleArn(DEFAULT_PARTITION, account_id, role_name, role_path)
    region = values.get("region") or base.get("target_region", "")
    source_profile = base_name if base_name in aws_profiles else ""
    way = Way(SourceKind.SWITCH_ROLE, origin=origin, display_name=clean_name(name),
              color=values.get("color", ""), source_profile=source_profile)
    return Target(Account(role.account_id, ""), role.name, (way,), region, role_path=role.path,
                  partition=role.partition)


def read_aesr_source(location: str, deadline: float = 10.0) -> str:
    """The text of an AESR configuration from a path or an http(s) URL. A URL must answer
    in full within `deadline` seconds (a server trickling bytes is cut off, not waited on)."""
    if location.startswith(("https://", "http://")):
        return _fetch(location, deadline)
    return read_regular(Path(location).expanduser(), MAX_BYTES).decode("utf-8", "replace")


def _fetch(location: str, deadline: float) -> str:
    import time
    import urllib.request  # only when needed: it pulls in http.client and email

    give_up = time.monotonic() + deadline
    chunks: list[bytes] = []
    size = 0
    try:
        with urllib.request.urlopen(location, timeout=deadline / 2) as answer:
            while chunk := answer.read1(64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise OSError(f"larger than {MAX_BYTES // 1024 // 1024} MiB")
                if time.monotonic() > give_up:
                    raise OSError(f"no complete answer within {deadline:g} s")
                chunks.append(chunk)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OSError(f"cannot fetch {location}: {reason}") from None
    return b"".join(chunks).decode("utf-8", "replace")


def config_entries(entries: list[Mapping[str, Any]], origin: str) -> SwitchRoleEntries:
    """`[[switch_roles]]` tables of config.toml, like the console's Switch Role form."""
    result = SwitchRoleEntries()
    for index, entry in enumerate(entries, start=1):
        where = f"{origin}: switch_roles #{index}"
        account_id = str(entry.get("account", entry.get("account_id", "")))
        typed = str(entry.get("role", entry.get("role_name", "")))
        if not ACCOUNT_ID_PATTERN.match(account_id) or not typed:
            result.warnings.append(f"{where}: needs `account` (12 digits) and `role`; skipped")
            continue
        try:
            role_path, role_name = split_role_name(typed, f"role {typed!r}")
        except ArnError as error:
            result.warnings.append(f"{where}: {error}; skipped")
            continue
        way = Way(SourceKind.SWITCH_ROLE, origin=origin,
                  display_name=clean_name(str(entry.get("display_name", ""))),
                  color=str(entry.get("color", "")),
                  source_profile=str(entry.get("source_profile", "")),
                  external_id=str(entry.get("external_id", "")))
        result.targets.append(Target(Account(account_id, ""), role_name, (way,),
                                     str(entry.get("region", "")),
                                     explicit_environment=str(entry.get("environment", "")),
                                     role_path=role_path))
    return result


_AESR_UNSAFE = re.compile(r"[\[\];#=\"'\\\u2028\u2029]|[^\x20-\x7e\u00a0-\uffff]")
_AESR_VALUE = re.compile(r"^[A-Za-z0-9:/+,.@_-]+$")
"""What a value may hold: the extension splits `key = value` at the second `=` (a role
named `a=b` would be read as `a`), and reads `;` or `#` as a comment."""


def aesr_name(text: str) -> str:
    """A profile name the AESR grammar reads back as it is: no brackets, comment signs,
    quotes or control characters (a name with a newline or `]` cannot start a section),
    spaces folded, no leading `profile ` (the grammar strips it), 64 characters at most."""
    cleaned = " ".join(_AESR_UNSAFE.sub(" ", clean_name(text)).split())
    while cleaned.lower().startswith("profile "):
        cleaned = cleaned[8:].lstrip()
    return cleaned[:64].strip()


def format_aesr(targets: list[Target], aws_profiles: Mapping[str, Mapping[str, str]]
                ) -> tuple[str, list[str]]:
    """An AESR configuration with every target the console's Switch Role form can reach (an
    IAM role, not an Identity Center permission set), each in the colour switcher shows it
    in, and what was left out."""
    lines = ["; AWS Extend Switch Roles configuration made by `switcher export aesr`", ""]
    skipped: list[str] = []
    names: set[str] = set()
    for target in targets:
        if not can_switch_to(target, aws_profiles):
            continue
        name = aesr_name(next((w.display_name for w in target.ways
                               if w.kind is SourceKind.SWITCH_ROLE and w.display_name), "")
                         or target.display_name) or target.key
        if name.lower() in names:
            name = aesr_name(f"{name[:48]} {target.account_id}")
        values = {"role_arn": target.role_arn, "color": target.color.removeprefix("#"),
                  "region": target.region}
        bad = [key for key, value in values.items() if value and not _AESR_VALUE.match(value)]
        if bad or not name or name.lower() in names:
            skipped.append(f"{target.display_name}: cannot be written as AESR "
                           f"({', '.join(bad) or 'name'})")
            continue
        names.add(name.lower())
        lines.append(f"[{name}]")
        lines += [f"{key} = {value}" for key, value in values.items() if value]
        lines.append("")
    return "\n".join(lines), skipped


def can_switch_to(target: Target, aws_profiles: Mapping[str, Mapping[str, str]]) -> bool:
    """Whether the console's Switch Role form reaches `target`: a role some way assumes
    (a switch-role entry, Organizations, a profile with role_arn)."""
    for way in target.ways:
        if way.kind in (SourceKind.SWITCH_ROLE, SourceKind.ORGANIZATIONS):
            return True
        if way.kind is SourceKind.PROFILE and "role_arn" in aws_profiles.get(way.profile, {}):
            return True
    return False
