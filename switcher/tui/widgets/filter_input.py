"""The filter box above the list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class FilterInput(Input, inherit_bindings=False):
    """The filter box. Every printable key goes to the query, and only the editing keys of
    Textual's Input are its own: not Enter (which reaches the screen: the console, or what
    `[keys]` puts there), nor the scrolling keys an Input inherits (the arrows and pages move
    the list)."""

    BINDINGS = [b for b in Input.BINDINGS if isinstance(b, Binding) and b.action != "submit"]
