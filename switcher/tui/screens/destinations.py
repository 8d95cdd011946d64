"""Choosing the console page to open: the target's saved favourites first, then services."""

from __future__ import annotations

from switcher.actions.console import SERVICES
from switcher.tui.screens.picker import PickerScreen
from switcher.tui.text import literal


class DestinationScreen(PickerScreen[str]):
    """Dismissed with an alias or console path (typed or chosen), or None."""

    def __init__(self, title: str, saved: list[str]) -> None:
        choices = [(literal(f"★ {d}"), d) for d in saved]
        choices += [(literal(f"{alias:<16} {path}", "dim" if alias in saved else ""), alias)
                    for alias, path in sorted(SERVICES.items())]
        super().__init__(title, choices, box_id="destinations",
                         typed_hint="Type to filter, or any console path "
                                    "(e.g. ec2/home#Instances:)",
                         parse_typed=lambda text: text)
        self.saved = saved
