"""The help screen: every key the app answers to, from the command table (with the user's
`[keys]`). It scrolls when the terminal is short."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from switcher.tui.command_table import COMMANDS, HELP, MOVES, KeyTable


def help_rows(keys: KeyTable) -> list[tuple[str, str]]:
    rows = [("Type", "filter the list: every letter, digit, space or sign goes to the filter "
                     "(name, id, role, environment, OU, tags)")]
    for commands in (MOVES, COMMANDS):
        rows.append(("", ""))
        rows += [(keys.display(c.id), c.help) for c in commands if HELP in c.places]
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close"),
                Binding("f1", "dismiss", "Close", id="help")]

    def __init__(self, keys: KeyTable) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, text in help_rows(self.keys):
            table.add_row(key, text)
        with VerticalScroll(id="help") as box:
            box.border_title = "Keys"
            box.border_subtitle = "↑ ↓ scroll · Esc closes · \\[keys] in config.toml remaps"
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help").focus()
