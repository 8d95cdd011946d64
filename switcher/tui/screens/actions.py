"""The action menu: every action for the highlighted target, with its key, like a command
palette scoped to that row. Typing narrows it; Enter runs the highlighted action."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from switcher.model import Target
from switcher.tui.command_table import ALL, MENU, KeyTable
from switcher.tui.text import literal

KEY_WIDTH = 11
TITLE_WIDTH = 11


class ActionMenu(ModalScreen[str | None]):
    """Dismissed with the action to run on the main screen, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close"),
                Binding("ctrl+o", "dismiss(None)", "Close", id="menu"),
                Binding("up", "move('cursor_up')", show=False),
                Binding("down", "move('cursor_down')", show=False),
                Binding("pageup", "move('page_up')", show=False),
                Binding("pagedown", "move('page_down')", show=False)]

    def __init__(self, target: Target | None, marked: int, keys: KeyTable) -> None:
        """For the highlighted `target`, or for the `marked` targets when there are any."""
        super().__init__()
        self.title_text = (f"Actions for {marked} marked targets" if marked else
                           f"Actions for {target.display_name}" if target else "Actions")
        self.entries = [(c.action, c.title, c.help, keys.display(c.id))
                        for c in ALL if MENU in c.places]
        self.shown = list(self.entries)

    def compose(self) -> ComposeResult:
        with Vertical(id="actions"):
            yield Label(literal(self.title_text, "bold"))
            yield Input(placeholder="Type to narrow", id="actions-filter")
            yield OptionList(id="actions-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        words = query.lower().split()
        found = [entry for entry in self.entries
                 if all(w in f"{entry[1]} {entry[2]} {entry[3]}".lower() for w in words)]
        # Those whose title matches first: "shell" is Shell before the help texts that say it.
        self.shown = sorted(found, key=lambda e: not all(w in e[1].lower() for w in words))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Text.assemble(
            (key.ljust(KEY_WIDTH), "bold"), title.ljust(TITLE_WIDTH), (text, "dim"),
            no_wrap=True, overflow="ellipsis", end="")) for _action, title, text, key in self.shown)
        options.highlighted = 0 if self.shown else None

    @on(Input.Changed)
    def _narrowed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, where: str) -> None:
        getattr(self.query_one(OptionList), f"action_{where}")()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss(self.shown[highlighted][0])

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index][0])
