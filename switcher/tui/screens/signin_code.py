"""The device code of a sign-in, when no browser can be opened here (over SSH, in a
container): the address to open on any device and the code it must show, a key to copy the
address, and it waits. It closes by itself once the sign-in is done; Escape hides it (the
sign-in still waits in the background)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from switcher.tui.text import literal


class SignInCodeScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Hide"),
                Binding("c", "copy", "Copy the address")]

    def __init__(self, user_code: str, url: str, copy: Callable[[str], None]) -> None:
        super().__init__()
        self.user_code = user_code
        self.url = url
        self._copy = copy

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-code") as box:
            box.border_title = "Sign in with a code"
            yield Label("No browser here. On any device with one, open", classes="hint")
            yield Label(literal(self.url), id="sign-in-url")
            yield Label("and check that it shows this code:", classes="hint")
            yield Label(literal(f" {self.user_code} ", "bold reverse"), id="sign-in-user-code")
            yield Label("Waiting for you to approve it there…", id="sign-in-waiting")
            yield Label("c copies the address · Escape hides this (the sign-in still waits)",
                        classes="hint")

    def action_copy(self) -> None:
        self._copy(self.url)

    def action_close(self) -> None:
        self.dismiss(None)
