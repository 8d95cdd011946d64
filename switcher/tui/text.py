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
