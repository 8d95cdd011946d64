"""Showing untrusted text (account names, tags, config values) literally in the app.

Strings from AWS or config files may hold Rich markup or terminal escape sequences; they become
plain `Text` (never parsed as markup) with every unsafe character made visible.
"""

from __future__ import annotations

from rich.text import Text

from switcher.text import visible

__all__ = ["literal", "visible"]


def literal(value: str, style: str = "") -> Text:
    return Text(visible(value), style=style, no_wrap=True, end="")


def counted(number: int, noun: str) -> str:
    """`1 target`, `2 targets`, `1,000 targets`: a count in words."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def changes(added: list[str], removed: list[str], limit: int = 5) -> str:
    """What a refresh changed, as a notice: counts, then the first few names of each."""
    lines = [f"{len(added)} new, {len(removed)} gone"]
    lines += [f"+ {name}" for name in added[:limit]]
    lines += [f"- {name}" for name in removed[:limit]]
    return "\n".join(visible(line) for line in lines)
