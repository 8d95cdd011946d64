"""The production guardrail inside the app: confirm, or type the account name (also asked
of any target while the first discovery has not ended)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from switcher.environments import PRODUCTION_GLYPH
from switcher.model import Environment, Target
from switcher.tui.text import literal
from switcher.tui.widgets.target_table import environment_badge


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape,n", "answer(False)", "No"),
                Binding("y", "answer(True)", "Yes", show=False)]

    def __init__(self, target: Target, what: str, type_name: bool,
                 provisional: bool = False) -> None:
        """`provisional`: asked because the discovery has not ended, so the environment
        shown is not final yet."""
        super().__init__()
        self.provisional = provisional
        self.target = target
        self.what = what
        self.type_name = type_name
        self.expected = target.account_name or target.account_id

    def compose(self) -> ComposeResult:
        production = self.target.environment is Environment.PRODUCTION
        with Vertical(id="confirm", classes="production" if production else "") as box:
            if production:  # a double border and words: production without its colour
                box.border_title = f"{PRODUCTION_GLYPH} PRODUCTION {PRODUCTION_GLYPH}"
            yield Label(environment_badge(self.target))
            yield Label(literal(f"{self.target.display_name}: {self.what}?", "bold"))
            if self.provisional:
                yield Label("Still discovering: its environment is not final yet.")
            if self.type_name:
                yield Label(literal(f"Type the account name ({self.expected}) to go on."))
                yield Input(id="confirm-name")
                yield Label("Enter to go on, Escape to cancel", classes="hint")
            else:
                yield Label("y to go on, n or Escape to cancel", classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing the name, y and n are letters, not answers.
        return not (self.type_name and action == "answer" and parameters == (True,))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Input.Submitted, "#confirm-name")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.expected:
            self.dismiss(True)
        else:
            self.notify("That is not the account name", severity="warning")
