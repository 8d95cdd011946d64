"""A first run: no AWS configuration at all. Instead of an empty list, the files read and two
ways to start: an IAM Identity Center start URL and region (an [sso-session] added to
~/.aws/config, then sign-in and discovery) or an AWS Extend Switch Roles file to import. The
checks are `switcher setup`'s (`services/setup.py`); a wrong value is said in one line and
nothing is written."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from switcher.errors import SwitcherError
from switcher.services import setup
from switcher.tui.text import literal, visible
from switcher.workspace import Workspace

SSO = "sso"
AESR = "aesr"


class WelcomeScreen(Screen[str | None]):
    """Dismissed with SSO (an [sso-session] was added: sign in next), AESR (a file was
    imported) or None (skipped: the empty list)."""

    BINDINGS = [Binding("escape", "skip", "Skip"),
                Binding("down", "app.focus_next", show=False),
                Binding("up", "app.focus_previous", show=False)]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        yield Static(literal(f"switcher  ·  {self.app.sub_title}"), id="title")
        with VerticalScroll(id="welcome") as box:
            box.border_title = "Welcome: no AWS accounts yet"
            yield Static("switcher looks for accounts and roles in", classes="hint")
            for line in self.workspace.files_described():
                yield Static(Text(visible(f"  {line}")), classes="welcome-file")
            yield Static("Add your IAM Identity Center (its start URL is on the AWS access "
                         "portal's sign-in page), then sign in:", classes="welcome-heading")
            yield from self._field("Start URL", "start-url",
                                   "https://d-1234567890.awsapps.com/start")
            yield from self._field("Region", "sso-region", "where Identity Center runs",
                                   "us-east-1")
            yield from self._field("Name", "sso-name", "blank: from the start URL")
            yield Static("Or import an AWS Extend Switch Roles file:",
                         classes="welcome-heading")
            yield from self._field("AESR file", "aesr-file", "~/aesr.ini")
            yield Static("", id="welcome-problem")
        yield Label("Tab/↑↓ next field · Enter add · Esc skip to the empty list · "
                    "Ctrl+Q quit", id="welcome-keys")

    def _field(self, label: str, field_id: str, placeholder: str,
               value: str = "") -> ComposeResult:
        with Horizontal(classes="welcome-field"):
            yield Label(label)
            yield Input(value, placeholder=placeholder, id=field_id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#start-url", Input).focus()

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    def _problem(self, text: str, field_id: str) -> None:
        self.query_one("#welcome-problem", Static).update(Text(visible(text)))
        self.query_one(f"#{field_id}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "aesr-file":
            self._import_aesr()
        else:
            self._add_sso_session()

    def _add_sso_session(self) -> None:
        start_url, region = self._value("start-url"), self._value("sso-region")
        if not start_url.strip() and self._value("aesr-file").strip():
            self._import_aesr()
            return
        taken = self.workspace.aws_config.sso_sessions
        name = self._value("sso-name").strip() or setup.default_name(start_url)
        session, problems = setup.checked(name, start_url, region, taken)
        if session is None:
            field, problem = next(iter(problems.items()))
            self._problem(problem, {"start_url": "start-url", "region": "sso-region",
                                    "name": "sso-name"}[field])
            return
        try:
            edited = self.workspace.add_sso_session(session)
        except SwitcherError as error:
            self._problem(str(error), "start-url")
            return
        self.notify(f"Added [sso-session {session.name}] to "
                    f"{self.workspace.aws_config.path}"
                    + (f" (backup: {edited.backup})" if edited.backup else "")
                    + "; signing in…", markup=False, timeout=10)
        self.dismiss(SSO)

    def _import_aesr(self) -> None:
        try:
            added = self.workspace.add_aesr_source(self._value("aesr-file"))
        except SwitcherError as error:
            self._problem(str(error), "aesr-file")
            return
        self.notify(f"Added {added} to [aesr] sources in {self.workspace.settings.path}",
                    markup=False, timeout=10)
        self.dismiss(AESR)

    def action_skip(self) -> None:
        self.dismiss(None)
