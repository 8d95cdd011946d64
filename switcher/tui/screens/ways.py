"""Choosing the way into a target that several sources reach."""

from __future__ import annotations

from switcher.model import Target, Way
from switcher.tui.screens.picker import PickerScreen
from switcher.tui.text import literal


class WayScreen(PickerScreen[Way]):
    def __init__(self, target: Target, current: Way | None) -> None:
        current = current or target.way
        super().__init__(f"Ways into {target.display_name}",
                         [(literal(("● " if way == current else "  ") + way.label), way)
                          for way in target.ways],
                         box_id="ways", typed_hint="Type to filter the ways in",
                         highlighted=target.ways.index(current)
                         if current in target.ways else 0)
        self.target = target
