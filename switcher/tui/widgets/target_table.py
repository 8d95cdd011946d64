"""The list of targets: one row per account and role, filtered as the user types."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from switcher.model import Target
from switcher.tui.text import literal

COLUMNS = ("Account", "Account id", "Role", "Region", "Source")


def matches(target: Target, terms: list[str]) -> bool:
    haystack = " ".join((target.account_name, target.account_id, target.role_name,
                         target.region, *target.profile_names)).lower()
    return all(term in haystack for term in terms)


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
