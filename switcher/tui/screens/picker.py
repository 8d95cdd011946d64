"""A modal list to pick one value from, filtered by typing as the main list is: the filter
box has the focus from the first key, the arrows move in the list, Enter takes the highlighted
value (or, where the picker allows it, the typed text when nothing matches). The page, region
and way pickers are all this screen."""

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
from switcher.tui.widgets.filter_input import FilterInput

T = TypeVar("T")

MARKS = "●★ "
"""What a label may start with (the current choice, a favourite): not part of its name."""


def matching(labels: Sequence[str], query: str) -> list[int]:
    """The indexes of the labels holding every term of `query` (case apart): the label that
    is the query first, then those it starts, then the others, each in the list's order."""
    wanted = query.strip().lower()
    terms = wanted.split()
    found = []
    for index, label in enumerate(labels):
        text = label.lower().lstrip(MARKS)
        if all(term in text for term in terms):
            name = text.split()[0] if text.split() else ""
            found.append((0 if name == wanted else 1 if text.startswith(wanted) else 2, index))
    return [index for _rank, index in sorted(found)]


class PickerScreen(ModalScreen[T | None], Generic[T]):
    """Dismissed with the chosen (or typed and accepted) value, or None on Escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"),
                Binding("enter", "choose", "Choose", show=False),
                Binding("up", "move('cursor_up')", show=False),
                Binding("down", "move('cursor_down')", show=False),
                Binding("pageup", "move('page_up')", show=False),
                Binding("pagedown", "move('page_down')", show=False),
                Binding("ctrl+home", "move('first')", show=False),
                Binding("ctrl+end", "move('last')", show=False)]

    def __init__(self, title: str, choices: Sequence[tuple[Text, T]], *, box_id: str,
                 typed_hint: str = "", parse_typed: Callable[[str], T | None] | None = None,
                 refusal: str = "", highlighted: int = 0) -> None:
        """With `parse_typed`, text that matches nothing can be taken: `parse_typed` turns it
        into a value, or into None to refuse it with the `refusal` notice. `typed_hint` says
        what may be typed (the filter box's placeholder)."""
        super().__init__()
        self.title_text = title
        self.values = [value for _label, value in choices]
        self.labels = [label for label, _value in choices]
        self.box_id = box_id
        self.typed_hint = typed_hint
        self.parse_typed = parse_typed
        self.refusal = refusal
        self.highlighted = highlighted
        self.shown: list[int] = list(range(len(self.values)))
        """The indexes of the values the list shows, in its order."""

    def compose(self) -> ComposeResult:
        with Vertical(id=self.box_id, classes="picker"):
            yield Label(literal(self.title_text, "bold"))
            yield FilterInput(placeholder=self.typed_hint or "Type to filter",
                              id=f"{self.box_id}-filter")
            options = OptionList(*self._options(self.shown), id=f"{self.box_id}-list")
            options.can_focus = False  # the filter keeps the focus: typing always filters
            yield options
            yield Label("Type to filter · ↑↓ move · Enter choose · Esc cancel",
                        classes="hint")

    def _options(self, indexes: list[int]) -> list[Option]:
        return [Option(self.labels[i], id=str(i)) for i in indexes]

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        self.options.highlighted = self.highlighted if self.values else None
        self.query_one(FilterInput).focus()

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.shown = matching([label.plain for label in self.labels], event.value)
        else:
            self.shown = list(range(len(self.values)))
        options = self.options
        options.clear_options()
        options.add_options(self._options(self.shown))
        options.highlighted = 0 if self.shown else None

    def action_move(self, where: str) -> None:
        getattr(self.options, f"action_{where}")()

    @property
    def chosen(self) -> T | None:
        """The highlighted value, if any."""
        highlighted = self.options.highlighted
        if highlighted is None or highlighted >= len(self.shown):
            return None
        return self.values[self.shown[highlighted]]

    def action_choose(self) -> None:
        if self.shown and self.options.highlighted is not None:
            self.dismiss(self.chosen)
            return
        text = self.query_one(FilterInput).value.strip()
        if not text:
            return
        value = self.parse_typed(text) if self.parse_typed is not None else None
        if value is None:
            self.notify(self.refusal or "Nothing matches", severity="warning", markup=False)
        else:
            self.dismiss(value)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(str(event.option.id))])
