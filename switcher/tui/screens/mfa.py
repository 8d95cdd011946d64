"""Asking for an MFA code inside the app, never as a raw prompt that breaks the screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Regex
from textual.widgets import Input, Label

from switcher.tui.text import literal


class MfaScreen(ModalScreen[str | None]):
    """Dismissed with the six-digit code, or None when the user cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, serial: str) -> None:
        super().__init__()
        self.serial = serial

    def compose(self) -> ComposeResult:
        with Vertical(id="mfa"):
            yield Label("MFA code", id="mfa-title")
            yield Label(literal(f"for {self.serial}"))
            yield Input(placeholder="123456", password=True, max_length=6, id="mfa-code",
                        validators=[Regex(r"^\d{6}$", failure_description="six digits")])
            yield Label("Enter to continue, Escape to cancel", classes="hint")

    @on(Input.Submitted, "#mfa-code")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is not None and not event.validation_result.is_valid:
            self.notify("The code is six digits", severity="warning")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
