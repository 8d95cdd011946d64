"""`switcher populate`: profiles for discovered Identity Center targets in ~/.aws/config, in
one managed block. Idempotent (the same inventory writes the same bytes, and no change means
no write), with a dry-run diff, a backup first, and everything outside the block kept."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from switcher.model import SourceKind, Target
from switcher.store.awsconfig import AwsConfig, parse_aws_config
from switcher.store.editing import Edited, edit_file, newline_of
from switcher.store.reading import read_regular_text

BEGIN = "# >>> switcher managed profiles: `switcher populate` rewrites this block >>>"
END = "# <<< switcher managed profiles <<<"
DEFAULT_TEMPLATE = "{account_name}.{role_name}"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.@+=-]+")


@dataclass
class Plan:
    text: str
    """The whole new file."""
    profiles: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)
    """(target, the profile outside the block that reaches it already)."""
    changed: bool = False


def profile_name(target: Target, template: str) -> str:
    fields = {"account_name": target.account_name or target.account_id,
              "account_id": target.account_id, "role_name": target.role_name,
              "environment": target.environment.value}
    try:
        name = template.format(**fields)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"bad profile name template {template!r}: {error}") from None
    return _UNSAFE.sub("-", name).strip("-")


def split_managed(text: str) -> tuple[str, str, str]:
    """(before, block, after); block is '' when the file has none."""
    start = text.find(BEGIN)
    if start < 0:
        return text, "", ""
    stop = text.find(END, start)
    if stop < 0:
        raise ValueError("the switcher block has a start marker but no end marker; "
                         "fix the file by hand")
    stop += len(END)
    for ending in ("\r\n", "\n"):
        if text.startswith(ending, stop):
            stop += len(ending)
            break
    return text[:start], text[start:stop], text[stop:]


Reach = Callable[[AwsConfig], Mapping[str, str]]
"""For a config file: the profile that reaches each target key (account id/role name)."""


def plan(current: str, targets: list[Target], reach: Reach, path: Path,
         template: str = DEFAULT_TEMPLATE, region: str = "") -> Plan:
    """The file `current` with its managed block made for `targets`, leaving out every
    target a profile outside the block already reaches. `region` goes into every profile;
    without it each gets the target's own region, else its Identity Center instance's."""
    newline = newline_of(current)
    before, old_block, after = split_managed(current)
    outside = parse_aws_config(before + after, path)
    reached = reach(outside)
    result = Plan("")
    lines = [BEGIN]
    seen: set[str] = set()
    for target in targets:
        way = next((w for w in target.ways if w.kind is SourceKind.SSO), None)
        if way is None or target.problem:
            continue
        if target.key in reached:
            result.already.append((target.display_name, reached[target.key]))
            continue
        name = profile_name(target, template)
        if name in outside.profiles or name in seen:
            result.skipped.append(name)
            continue
        seen.add(name)
        result.profiles.append(name)
        lines.append(f"[profile {name}]")
        if way.sso_session:
            lines.append(f"sso_session = {way.sso_session}")
        else:
            lines += [f"sso_start_url = {way.start_url}", f"sso_region = {way.sso_region}"]
        lines += [f"sso_account_id = {target.account_id}",
                  f"sso_role_name = {target.role_name}",
                  f"region = {region or target.region or way.sso_region}", ""]
    lines.append(END)
    block = newline.join(lines) + newline
    if not old_block and before and not before.endswith(("\n", "\r")):
        before += newline
    if not old_block and before.strip():
        before += newline
    result.text = before + block + after
    result.changed = result.text != current
    return result


def current_text(path: Path) -> str:
    try:
        return read_regular_text(path)
    except FileNotFoundError:
        return ""


def diff(path: Path, current: str, new_text: str) -> str:
    return "".join(difflib.unified_diff(current.splitlines(keepends=True),
                                        new_text.splitlines(keepends=True),
                                        fromfile=str(path), tofile=f"{path} (populated)"))


def apply(path: Path, targets: list[Target], reach: Reach,
          template: str = DEFAULT_TEMPLATE, region: str = "") -> tuple[Plan, Edited]:
    """Plan on the file as it is when written (again if it changes meanwhile) and write it,
    after a backup, keeping its mode, line endings and symlink."""
    plans: list[Plan] = []

    def change(current: str) -> str:
        plans.append(plan(current, targets, reach, path, template, region))
        return plans[-1].text

    edited = edit_file(path, change, secret=False)
    return plans[-1], edited
