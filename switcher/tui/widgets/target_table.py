"""The list of targets: one row per account and role, filtered as the user types."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from switcher.environments import readable_foreground
from switcher.model import Environment, Target
from switcher.tui.text import literal

COLUMNS = ("Env", "Account", "Account id", "Role", "Region", "Source")
SHORT_NAMES = {Environment.PRODUCTION: "PROD", Environment.STAGING: "STAGE",
               Environment.DEVELOPMENT: "DEV", Environment.TEST: "TEST",
               Environment.SANDBOX: "SANDBOX", Environment.MANAGEMENT: "MGMT",
               Environment.SHARED: "SHARED", Environment.UNKNOWN: "?"}


def matches(target: Target, terms: list[str]) -> bool:
    haystack = " ".join((target.account_name, target.account_id, target.role_name,
                         target.region, target.environment.value, target.account.ou_path,
                         *(f"{k}={v}" for k, v in target.account.tags),
                         *target.profile_names)).lower()
    return all(term in haystack for term in terms)


def environment_badge(target: Target) -> Text:
    """The environment in the target's colour, with a foreground that stays readable."""
    background = target.color or "#c0c0c0"
    name = SHORT_NAMES[target.environment]
    return Text(f" {name:<7} ", style=f"bold {readable_foreground(background)} on {background}",
                no_wrap=True, end="")


class TargetTable(DataTable[Text]):
    BINDINGS = [
        Binding("enter", "select_cursor", "Console", id="console",
                tooltip="Open the AWS console of the selected target"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._targets: list[Target] = []
        self._shown: list[Target] = []
        self._query = ""
        self.default_region = ""

    def on_mount(self) -> None:
        self.add_columns(*COLUMNS)

    @property
    def targets(self) -> list[Target]:
        return self._targets

    @property
    def shown(self) -> list[Target]:
        return self._shown

    def set_targets(self, targets: list[Target]) -> None:
        self._targets = targets
        self._render_rows()

    def filter(self, query: str) -> None:
        self._query = query
        self._render_rows()

    def _render_rows(self) -> None:
        terms = self._query.lower().split()
        self._shown = [t for t in self._targets if matches(t, terms)]
        selected = self.selected
        self.clear()
        for target in self._shown:
            self.add_row(
                environment_badge(target),
                literal(target.account_name or "—", "bold"),
                literal(target.account_id),
                literal(target.role_name),
                literal(target.region or self.default_region, "dim"),
                literal(", ".join(w.label for w in target.ways), "dim"),
                key=target.key,
            )
        if selected is not None and selected in self._shown:
            self.move_cursor(row=self._shown.index(selected))

    @property
    def selected(self) -> Target | None:
        if not self._shown or self.cursor_row < 0 or self.cursor_row >= len(self._shown):
            return None
        return self._shown[self.cursor_row]
