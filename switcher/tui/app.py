"""The full-screen app. Thin: the screens do the work, the Workspace does the AWS part."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from switcher import paths
from switcher.actions import shell
from switcher.errors import CredentialsError, SwitcherError
from switcher.store.settings import update_setting
from switcher.text import visible
from switcher.tui import textual_fixes
from switcher.tui.command_table import DEFAULT_KEYS, app_bindings, resolve_keys
from switcher.tui.commands import SwitcherCommands
from switcher.tui.messages import WorkFailed
from switcher.tui.screens.main import MainScreen
from switcher.tui.screens.mfa import MfaScreen
from switcher.tui.shell_session import ShellRunner
from switcher.tui.themes import DEFAULT_THEME, load_themes, shipped_folder
from switcher.workspace import Workspace

if TYPE_CHECKING:
    from rich.console import RenderableType

log = logging.getLogger(__name__)
textual_fixes.apply()


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
        self.main: MainScreen | None = None

    def exit(self, result: None = None, return_code: int = 0,
             message: RenderableType | None = None) -> None:
        # A discovery's thread would keep the program alive until its last account.
        self.workspace.clients.stop_discoveries()
        super().exit(result, return_code, message)

    def notify(self, message: str, *, title: str = "",
               severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification of the app (screens call this one too) shows untrusted text as
        text: never parsed as markup, unsafe characters escaped line by line (a name holding
        ESC cleared the pane and set the terminal title)."""
        shown = "\n".join(visible(line) for line in message.split("\n"))
        super().notify(shown, title=visible(title), severity=severity, timeout=timeout,
                       markup=False)

    def _fatal_error(self) -> None:
        """An unexpected exception: one line naming what failed and where, never Textual's
        traceback with local variables (they held the environment's keys); the traceback,
        without locals, goes to crash.log in the state folder."""
        import sys

        from rich.text import Text

        from switcher.store import crash_report

        error = self._exception or sys.exception()
        self.bell()
        if error is None:
            line = "switcher: unexpected error"
        else:
            report = crash_report.write_report(paths.state_dir(self.workspace.environ), error)
            line = f"switcher: {crash_report.summary(error)}" + (
                f"; the traceback is in {report}" if report else "")
        self._exit_renderables.append(Text(visible(line)))
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        settings = self.workspace.settings
        self.keys = resolve_keys(settings.keys)
        self.set_keymap(self.keys.keymap)
        problems = [*settings.warnings, *self.keys.warnings]
        if problems:  # one notice for the whole file
            self.notify("\n".join(problems), title=str(settings.path), severity="warning",
                        markup=False, timeout=20)
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
        # A cached inventory means it is not a first run (and reading it parses no file,
        # where the check would parse ~/.aws/config before the first frame).
        if self.workspace.cached_inventory() is None and self.workspace.nothing_configured():
            from switcher.tui.screens.welcome import SSO, WelcomeScreen

            self.push_screen(WelcomeScreen(self.workspace),
                             lambda added: self._show_main(sign_in=added == SSO))
        else:
            self._show_main()

    def _show_main(self, sign_in: bool = False) -> None:
        """The main screen; after a first run added an Identity Center instance, it signs
        in first (discovery follows the sign-in)."""
        self.main = MainScreen(self.workspace, self.shell_runner, self.keys, sign_in)
        self.push_screen(self.main)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker ends up: a notice and a log line, never a crash
        (every worker runs with exit_on_error=False)."""
        if event.state is not WorkerState.ERROR:
            return
        worker, error = event.worker, event.worker.error
        what = worker.name or "A background task"
        reason = str(error) or type(error).__name__
        if not isinstance(error, SwitcherError):
            reason = f"{type(error).__name__}: {reason}"
        # At info level: stderr is the screen while the app runs (--debug shows it).
        log.info("%s failed", what, exc_info=error)
        self.notify(f"{what}: {reason}", severity="error", markup=False, timeout=10)
        if self.main is not None:
            self.main.post_message(WorkFailed(what))

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
