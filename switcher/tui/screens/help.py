"""The `?` screen: every key the app answers to."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("/", "focus the filter (type to narrow the list)"),
    ("Escape", "clear the filter, or leave this screen"),
    ("↑ ↓  j k", "move in the list"),
    ("Enter", "open the AWS console of the selected target (or of every marked one)"),
    ("Space", "mark a target, to open several consoles or shells at once"),
    ("s", "start a shell with the target's credentials"),
    ("d", "open a chosen console page (favourites first)"),
    ("c", "copy the console sign-in URL (grants access for 15 minutes)"),
    ("e", "copy the target's credentials as `export` lines"),
    ("g", "choose the region (recent regions first)"),
    ("f", "pin the target to the top (favourite), or unpin it"),
    ("G", "group by environment, OU, source or account; then a flat list again"),
    ("w", "choose the way in (SSO, a profile, a switch role...) when there are several"),
    ("Ctrl+R", "discover accounts and roles again"),
    ("L", "sign in to IAM Identity Center"),
    ("Ctrl+P", "command palette"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, text in KEYS:
            table.add_row(key, text)
        with Vertical(id="help"):
            yield Static("Keys", id="help-title")
            yield Static(table)
