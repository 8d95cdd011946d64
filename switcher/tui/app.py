"""The full-screen app. Thin: the screens do the work, the Workspace does the AWS part."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from switcher import paths
from switcher.actions import shell
from switcher.errors import CredentialsError, SwitcherError
from switcher.store.settings import update_setting
from switcher.tui.command_table import DEFAULT_KEYS, app_bindings
from switcher.tui.commands import SwitcherCommands
from switcher.tui.screens.main import MainScreen, ShellRunner
from switcher.tui.screens.mfa import MfaScreen
from switcher.tui.themes import DEFAULT_THEME, load_themes, shipped_folder
from switcher.workspace import Workspace


class SwitcherApp(App[None], inherit_bindings=False):
    TITLE = "switcher"
    SUB_TITLE = "every AWS account and role, one keystroke away"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {SwitcherCommands}
    BINDINGS = [*app_bindings(), Binding("ctrl+c", "help_quit", show=False, system=True)]

    def __init__(self, workspace: Workspace, shell_runner: ShellRunner = shell.run) -> None:
        super().__init__()
        self.workspace = workspace
        self.shell_runner = shell_runner
        self.keys = DEFAULT_KEYS

    def on_mount(self) -> None:
        themes, warnings = load_themes([shipped_folder(),
                                        paths.config_dir(self.workspace.environ) / "themes"])
        for theme in themes:
            self.register_theme(theme)
        wanted = self.workspace.settings.theme or DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            warnings.append(f"theme {wanted!r} not found; using {DEFAULT_THEME}")
            self.theme = DEFAULT_THEME
        for warning in warnings:
            self.notify(warning, severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.workspace.mfa_prompt = self.ask_mfa_code
        self.push_screen(MainScreen(self.workspace, self.shell_runner, self.keys))

    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked in the command palette is kept in config.toml for next time."""
        if theme.name == (self.workspace.settings.theme or DEFAULT_THEME):
            return
        try:
            update_setting(self.workspace.settings.path, ("app",), "theme", theme.name)
        except SwitcherError as error:
            self.notify(str(error), severity="error", markup=False)

    def ask_mfa_code(self, serial: str) -> str:
        """Called from a worker thread: shows the MFA dialog and waits for the answer."""
        answer: list[str | None] = []
        answered = threading.Event()

        def done(code: str | None) -> None:
            answer.append(code)
            answered.set()

        self.call_from_thread(self.push_screen, MfaScreen(serial), done)
        answered.wait()
        if not answer[0]:
            raise CredentialsError("No MFA code was given")
        return answer[0]
