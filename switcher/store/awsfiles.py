"""Edits of files we do not own (~/.aws/credentials, ~/.aws/config): only on an explicit
command, with a backup first, and every other byte left as it was."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from switcher.errors import ConfigError
from switcher.model import Credentials
from switcher.store.atomic import write_private
from switcher.store.reading import read_regular_text
from switcher.text import visible

_HEADER = re.compile(r"^\s*\[([^\]]+)\]\s*$")
MARK = "# written by switcher"
"""Comments we write start so, to be replaced along with their section."""


def backup(path: Path) -> Path:
    """A private copy beside `path`, named with the time, made before any change."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.name}.switcher-backup-{stamp}")
    counter = 1
    while copy.exists():
        counter += 1
        copy = path.with_name(f"{path.name}.switcher-backup-{stamp}-{counter}")
    shutil.copy2(path, copy)
    os.chmod(copy, 0o600)
    return copy


def _section_bounds(lines: list[str], section: str) -> tuple[int, int] | None:
    start = None
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match is None:
            continue
        if start is not None:
            return start, index
        if match.group(1).strip() == section:
            start = index
    return (start, len(lines)) if start is not None else None


def write_section(path: Path, section: str, values: dict[str, str], comment: str = ""
                  ) -> Path | None:
    """Put `[section]` with `values` into an INI file: replaced where it stands, or added at
    the end; every other byte stays. The backup's path (None when the file did not exist)."""
    for text in (section, *values, *values.values()):
        if visible(text) != text or "]" in section or "[" in section:
            raise ConfigError(f"{visible(section)!r}: a section name or value with a bracket "
                              "or a control character cannot be written safely")
    body = ([f"# {visible(comment)}\n"] if comment else []) + [f"[{section}]\n"] + [
        f"{key} = {value}\n" for key, value in values.items()]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(path, "".join(body))
        return None
    lines = read_regular_text(path).splitlines(keepends=True)
    bounds = _section_bounds(lines, section)
    if bounds is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        new = [*lines, *(["\n"] if lines else []), *body]
    else:
        start, end = bounds
        if comment and start > 0 and lines[start - 1].startswith(MARK):
            start -= 1
        tail = lines[end:]
        new = [*lines[:start], *body, *(["\n"] if tail else []), *tail]
    saved = backup(path)
    write_private(path, "".join(new))
    return saved


def write_credentials(path: Path, profile: str, credentials: Credentials, label: str
                      ) -> Path | None:
    """Put `credentials` into the credentials file as `[profile]`, for tools that read only
    that file; the comment above it names `label` and the expiry. The backup's path."""
    values = {"aws_access_key_id": credentials.access_key_id,
              "aws_secret_access_key": credentials.secret_access_key}
    if credentials.session_token:
        values["aws_session_token"] = credentials.session_token
    expiry = f", expire {credentials.expiration:%Y-%m-%d %H:%M} UTC" if (
        credentials.expiration) else ""
    return write_section(path, profile, values, f"{MARK.removeprefix('# ')}: {label}{expiry}")


def remove_section(path: Path, section: str) -> Path | None:
    """Remove `[section]` (its header and lines up to the next header) from an INI file;
    everything else stays byte for byte. The backup's path, or None when there was no such
    section."""
    lines = read_regular_text(path).splitlines(keepends=True)
    bounds = _section_bounds(lines, section)
    if bounds is None:
        return None
    kept = lines[: bounds[0]] + lines[bounds[1] :]
    saved = backup(path)
    write_private(path, "".join(kept))
    return saved


SECRET_KEYS = ("aws_secret_access_key", "aws_session_token")
REDACTED = "<moved to the OS keyring by switcher>"


def redact_secrets(path: Path, sections: list[str]) -> None:
    """Replace the secret values of `sections` in `path` (a backup of ours) with a marker;
    every other byte stays."""
    lines = read_regular_text(path).splitlines(keepends=True)
    wanted = set(sections)
    current = None
    for index, line in enumerate(lines):
        header = _HEADER.match(line)
        if header is not None:
            current = header.group(1).strip()
            continue
        key, equals, _ = line.partition("=")
        if current in wanted and equals and key.strip() in SECRET_KEYS:
            ending = line[len(line.rstrip("\r\n")):]
            lines[index] = f"{key}= {REDACTED}{ending}"
    write_private(path, "".join(lines))
