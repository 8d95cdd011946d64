"""The chosen region in the top bar; a click opens the region picker (as its key does)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from switcher.tui.text import literal

TARGETS_OWN_REGION = "target's own"


def region_text(region: str) -> Text:
    return literal(f"Region: {region or TARGETS_OWN_REGION} ▾")


class RegionLabel(Static):
    def __init__(self, region: str = "", *, id: str | None = None) -> None:
        super().__init__(region_text(region), id=id)

    def show(self, region: str) -> None:
        self.update(region_text(region))

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action("screen.region")
