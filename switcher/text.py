"""Untrusted text (account names, tags, config values, anything a source or a server said)
made safe to show: one sanitiser where names come in, one where text goes out.

Control characters (C0, DEL, C1: ESC starts terminal sequences, a newline forges lines),
bidirectional overrides and isolates (they reorder what is shown) and zero-width characters
(they hide differences between names) are written as visible escapes (`\\x1b`, `\\u202e`).
Both functions are pure, and applying them twice changes nothing more.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"            # C0, DEL, C1 (ESC, CSI, OSC, newline, tab...)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u200b-\u200d\u2060\ufeff\u180e"  # zero-width characters
    "\u2028\u2029]")                 # line and paragraph separators
NAME_LIMIT = 256
"""Longest name kept from a source (AWS allows 50 characters for an account name)."""
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every unsafe character shown as an escape: for any channel that reaches a
    person (terminal lines, notifications, titles, prompts, comments in files)."""
    return _UNSAFE.sub(_escape, text)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def clean_name(text: str, limit: int = NAME_LIMIT) -> str:
    """A display name as it comes in from a source (account, OU, tag, entry name): unsafe
    characters made visible and the length capped. Not for identifiers AWS is called with
    (account ids, role names, profile names), which must stay as they are."""
    return shorten(visible(text), limit)
