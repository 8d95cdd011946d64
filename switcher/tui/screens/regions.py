"""Choosing the region the console and shells open in: the target's own, or a chosen one
(recently chosen regions first); any region can be typed."""

from __future__ import annotations

import re

from switcher.tui.screens.picker import PickerScreen
from switcher.tui.text import literal

REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def parse_region(text: str) -> str | None:
    text = text.strip().lower()
    return text if REGION_NAME.match(text) else None


class RegionScreen(PickerScreen[str]):
    """Dismissed with a region, or "" for each target's own region, or None."""

    def __init__(self, regions: list[str], current: str) -> None:
        values = ["", *regions]
        super().__init__("Region", [
            (literal(("● " if value == current else "  ") + (value or "each target's own")),
             value) for value in values],
            box_id="regions", typed_hint="Tab: type any region (e.g. me-central-1)",
            parse_typed=parse_region, refusal="Not a region name (like eu-west-1)",
            highlighted=values.index(current) if current in values else 0)
