"""The full-screen app. Thin: the screens do the work, the Workspace does the AWS part."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from switcher.actions import shell
from switcher.tui.screens.main import MainScreen, ShellRunner
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
        self.push_screen(MainScreen(self.workspace, self.shell_runner))
