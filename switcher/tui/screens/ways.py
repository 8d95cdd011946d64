"""Choosing the way into a target that several sources reach."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from switcher.model import Target, Way
from switcher.tui.text import literal


class WayScreen(ModalScreen[Way | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, target: Target, current: Way | None) -> None:
        super().__init__()
        self.target = target
        self.current = current or target.way

    def compose(self) -> ComposeResult:
        with Vertical(id="ways"):
            yield Label(literal(f"Ways into {self.target.display_name}", "bold"))
            yield OptionList(*(Option(literal(("● " if way == self.current else "  ")
                                              + way.label), id=str(index))
                               for index, way in enumerate(self.target.ways)))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.target.ways[int(str(event.option.id))])
