"""The full-screen app. Thin: the screens do the work, the Workspace does the AWS part."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App

from switcher.actions import shell
from switcher.errors import CredentialsError
from switcher.tui.screens.main import MainScreen, ShellRunner
from switcher.tui.screens.mfa import MfaScreen
from switcher.workspace import Workspace


class SwitcherApp(App[None]):
    TITLE = "switcher"
    SUB_TITLE = "every AWS account and role, one keystroke away"
    CSS_PATH = Path(__file__).with_name("app.tcss")

    def __init__(self, workspace: Workspace, shell_runner: ShellRunner = shell.run) -> None:
        super().__init__()
        self.workspace = workspace
        self.shell_runner = shell_runner

    def on_mount(self) -> None:
        self.workspace.mfa_prompt = self.ask_mfa_code
        self.push_screen(MainScreen(self.workspace, self.shell_runner))

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
