"""Edits of files we do not own (~/.aws/credentials, ~/.aws/config): only on an explicit
command, with a backup first, and every other byte left as it was."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from switcher.errors import ConfigError
from switcher.model import Credentials
from switcher.store.atomic import write_private
from switcher.store.editing import Edited, edit_file, newline_of
from switcher.store.reading import read_regular_text
from switcher.text import visible

_HEADER = re.compile(r"^\s*\[([^\]]+)\]\s*$")
MARK = "# written by switcher"
"""Comments we write start so, to be replaced along with their section."""


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


def with_section(text: str, section: str, values: dict[str, str], comment: str = "") -> str:
    """`text` with `[section]` holding `values`: replaced where it stands, or added at the
    end, in the file's own line endings; every other byte stays. A name or value that would
    break the file (a newline, a bracket in the name) is refused; the comment is escaped."""
    for part in (section, *values, *values.values()):
        if visible(part) != part or "]" in section or "[" in section:
            raise ConfigError(f"{visible(section)!r}: a section name or value with a bracket "
                              "or a control character cannot be written safely")
    newline = newline_of(text)
    body = ([f"# {visible(comment)}{newline}"] if comment else []) + [
        f"[{section}]{newline}"] + [f"{key} = {value}{newline}" for key, value in values.items()]
    lines = text.splitlines(keepends=True)
    bounds = _section_bounds(lines, section)
    if bounds is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        return "".join([*lines, *([newline] if lines else []), *body])
    start, end = bounds
    if comment and start > 0 and lines[start - 1].startswith(MARK):
        start -= 1
    tail = lines[end:]
    return "".join([*lines[:start], *body, *([newline] if tail else []), *tail])


def without_sections(text: str, sections: Iterable[str]) -> str:
    """`text` without each `[section]` (its header and lines up to the next header)."""
    lines = text.splitlines(keepends=True)
    for section in sections:
        bounds = _section_bounds(lines, section)
        if bounds is not None:
            lines = lines[: bounds[0]] + lines[bounds[1] :]
    return "".join(lines)


def write_section(path: Path, section: str, values: dict[str, str], comment: str = "",
                  *, secret: bool = True) -> Edited:
    """Put `[section]` with `values` into an INI file (see `with_section`), after a backup."""
    return edit_file(path, lambda text: with_section(text, section, values, comment),
                     secret=secret)


def write_credentials(path: Path, profile: str, credentials: Credentials, label: str
                      ) -> Edited:
    """Put `credentials` into the credentials file as `[profile]`, for tools that read only
    that file; the comment above it names `label` and the expiry."""
    values = {"aws_access_key_id": credentials.access_key_id,
              "aws_secret_access_key": credentials.secret_access_key}
    if credentials.session_token:
        values["aws_session_token"] = credentials.session_token
    expiry = f", expire {credentials.expiration:%Y-%m-%d %H:%M} UTC" if (
        credentials.expiration) else ""
    return write_section(path, profile, values, f"{MARK.removeprefix('# ')}: {label}{expiry}")


def remove_sections(path: Path, sections: Iterable[str], *, secret: bool = True) -> Edited:
    """Remove each `[section]` from an INI file in one change (one backup); everything else
    stays byte for byte. Nothing is written when none of them is there."""
    wanted = list(sections)
    return edit_file(path, lambda text: without_sections(text, wanted), secret=secret)


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
