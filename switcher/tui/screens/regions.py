"""Choosing the region the console and shells open in: the target's own, or a chosen one
(recently chosen regions first, then the common ones, then every other region botocore
knows); typing filters the list, and any known region can be typed."""

from __future__ import annotations

from switcher.regions import parse_region, region_names
from switcher.tui.screens.picker import PickerScreen
from switcher.tui.text import literal

COMMON_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
)


def regions(recent: list[str]) -> list[str]:
    """The regions to offer: the recently chosen ones first, then the common ones, then the
    rest."""
    return list(dict.fromkeys(r for r in (*recent, *COMMON_REGIONS, *region_names()) if r))


class RegionScreen(PickerScreen[str]):
    """Dismissed with a region, or "" for each target's own region, or None."""

    def __init__(self, regions: list[str], current: str) -> None:
        values = ["", *regions]
        super().__init__("Region", [
            (literal(("● " if value == current else "  ") + (value or "each target's own")),
             value) for value in values],
            box_id="regions", typed_hint="Type to filter, or any region (e.g. me-central-1)",
            parse_typed=parse_region, refusal="Not a region name (like eu-west-1)",
            highlighted=values.index(current) if current in values else 0)
