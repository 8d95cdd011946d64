"""A modal list to pick one value from, with an optional box to type a value not listed.
The page, region and way pickers are all this screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from switcher.tui.text import literal

T = TypeVar("T")


class PickerScreen(ModalScreen[T | None], Generic[T]):
    """Dismissed with the chosen (or typed and accepted) value, or None on Escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[Text, T]], *, box_id: str,
                 typed_hint: str = "", parse_typed: Callable[[str], T | None] | None = None,
                 refusal: str = "", highlighted: int = 0) -> None:
        """With `typed_hint`, a box takes typed text; `parse_typed` turns it into a value, or
        into None to refuse it with the `refusal` notice."""
        super().__init__()
        self.title_text = title
        self.values = [value for _label, value in choices]
        self.labels = [label for label, _value in choices]
        self.box_id = box_id
        self.typed_hint = typed_hint
        self.parse_typed = parse_typed
        self.refusal = refusal
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(id=self.box_id, classes="picker"):
            yield Label(literal(self.title_text, "bold"))
            yield OptionList(*(Option(label, id=str(index))
                               for index, label in enumerate(self.labels)),
                             id=f"{self.box_id}-list")
            if self.typed_hint:
                yield Input(placeholder=self.typed_hint, id=f"{self.box_id}-typed")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.highlighted if self.values else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(str(event.option.id))])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text or self.parse_typed is None:
            return
        value = self.parse_typed(text)
        if value is None:
            self.notify(self.refusal, severity="warning", markup=False)
        else:
            self.dismiss(value)
