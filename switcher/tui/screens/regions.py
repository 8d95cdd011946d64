"""Choosing the region the console and shells open in: the target's own, or a chosen one
(recently chosen regions first); any region can be typed."""

from __future__ import annotations

import re

from switcher.tui.screens.picker import PickerScreen
from switcher.tui.text import literal

REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
)


def regions(recent: list[str]) -> list[str]:
    """The regions to offer: the recently chosen ones first."""
    recent = [r for r in recent if r]
    return [*recent, *(r for r in REGIONS if r not in recent)]


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
