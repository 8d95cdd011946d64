"""Choosing the console page to open: the target's saved favourites first, then services."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from switcher.actions.console import SERVICES
from switcher.tui.text import literal


class DestinationScreen(ModalScreen[str | None]):
    """Dismissed with an alias or console path (typed or chosen), or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, saved: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.saved = saved

    def compose(self) -> ComposeResult:
        options = [Option(literal(f"★ {d}"), id=f"saved:{d}") for d in self.saved]
        options += [Option(literal(f"{alias:<16} {path}", "dim" if alias in self.saved else ""),
                           id=f"alias:{alias}")
                    for alias, path in sorted(SERVICES.items())]
        with Vertical(id="destinations"):
            yield Label(literal(self.title_text, "bold"))
            yield OptionList(*options, id="destination-list")
            yield Input(placeholder="Tab: type a service or any console path "
                                    "(e.g. ec2/home#Instances:)", id="destination-path")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id).split(":", 1)[1])

    @on(Input.Submitted, "#destination-path")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
