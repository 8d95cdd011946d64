"""Background work: a failing worker is a notice, never the end of the app; and typing does no
file I/O on the UI thread."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import pytest

from switcher.tui.app import SwitcherApp
from switcher.tui.screens.main import MainScreen
from switcher.tui.widgets.filter_input import FilterInput
from switcher.tui.widgets.target_table import TargetTable
from switcher.workspace import Workspace
from tests.conftest import Setup
from tests.tui.test_app import RecordingShell, _wait_for_rows, _workspace, until

TUI = Path(__file__).resolve().parents[2] / "switcher" / "tui"


def test_every_worker_runs_with_exit_on_error_false() -> None:
    calls = []
    for path in TUI.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"(@work\(|run_worker\()", text):
            depth, end = 1, match.end()
            while depth:  # to the closing parenthesis of this call
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
            calls.append((path.name, text[match.start():end]))
    assert calls  # workers.start is the one place, and it says so
    assert all("exit_on_error=False" in call for _name, call in calls), calls


def _error_notices(app: SwitcherApp, name: str) -> list[str]:
    return [str(n.message) for n in app._notifications
            if n.severity == "error" and str(n.message).startswith(f"{name}: ")]


async def _still_running(app: SwitcherApp, pilot: Any) -> None:
    """The app answers keys: it is alive and well."""
    assert app.is_running and app.return_code is None
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    await pilot.press(*"dev")
    await pilot.pause()
    assert app.screen.query_one(FilterInput).value.endswith("dev")


@pytest.mark.parametrize("broken", ["state.json is a folder", "the state folder is a file"])
async def test_an_unwritable_state_folder_is_a_notice(setup: Setup, broken: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """Opening a console used to end the app with `WorkerFailed: IsADirectoryError`."""
    state = Path(os.environ["SWITCHER_STATE_DIR"])
    if broken == "state.json is a folder":
        (state / "state.json").mkdir(parents=True)
        error = "IsADirectoryError"
    else:
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text("")
        error = "FileExistsError"  # mkdir of a path that is a file
    app = SwitcherApp(_workspace(setup), RecordingShell())
    caplog.set_level(logging.INFO, logger="switcher.tui.app")
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"payments-dev read", "enter")
        await until(pilot, lambda: _error_notices(app, "Saving recent use"))
        assert setup.emulator.state.console_visits  # the console opened all the same
        notice = _error_notices(app, "Saving recent use")[0]
        assert error in notice, notice
        await _still_running(app, pilot)
        await pilot.press("f3")  # a favourite is kept for the session, and the notice says so
        await until(pilot, lambda: _error_notices(app, "Saving favourites"))
        await _still_running(app, pilot)
    assert any("Saving recent use failed" in r.getMessage() for r in caplog.records)


def _raise(*_arguments: object, **_keywords: object) -> Any:
    raise RuntimeError("boom")


class _FailingSignIn:
    def __init__(self, real: Any) -> None:
        self._real = real

    def expiry(self, *_arguments: object) -> Any:
        raise RuntimeError("boom")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _break(workspace: Workspace, what: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if what == "Reading the sign-in state":
        workspace.__dict__["signin"] = _FailingSignIn(workspace.signin)
    elif what == "Saving favourites":
        monkeypatch.setattr(workspace.user_state, "save", _raise)
    elif what == "Search index":
        monkeypatch.setattr(TargetTable, "_index_latest", _raise)
    else:
        method = {"Discovery": "refresh", "Sign in": "login", "Console": "open_console",
                  "Copy URL": "console_link", "Copy credentials": "credentials",
                  "Shell": "shell_environment"}[what]
        monkeypatch.setattr(workspace, method, _raise)


WORKERS: dict[str, tuple[str, ...]] = {
    "Discovery": ("ctrl+r",),
    "Reading the sign-in state": (),
    "Sign in": ("f6",),
    "Console": ("enter",),
    "Copy URL": ("ctrl+l",),
    "Copy credentials": ("ctrl+y",),
    "Shell": ("ctrl+s",),
    "Saving favourites": ("f3",),
    "Search index": (),
}


@pytest.mark.parametrize("what", list(WORKERS))
async def test_a_failing_worker_leaves_the_app_running_with_a_notice(
        setup: Setup, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    workspace = _workspace(setup)
    shell = RecordingShell()
    app = SwitcherApp(workspace, shell)
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"payments-dev read")
        await pilot.pause()
        _break(workspace, what, monkeypatch)
        await pilot.press(*WORKERS[what])
        if what == "Reading the sign-in state":
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.call_later(screen._read_sign_in)  # as its timer does
        if what == "Search index":
            await pilot.press("ctrl+r")  # a new list: a new index
        await until(pilot, lambda: _error_notices(app, what))
        assert _error_notices(app, what) == [f"{what}: RuntimeError: boom"]
        await _still_running(app, pilot)
        assert not shell.calls


class _CountingSignIn:
    """The workspace's SignIn, counting the reads of the token cache."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.reads = 0

    def expiry(self, instance: Any) -> Any:
        self.reads += 1
        return self._real.expiry(instance)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


async def test_typing_reads_no_token_cache(setup: Setup) -> None:
    workspace = _workspace(setup)
    counting = _CountingSignIn(workspace.signin)
    workspace.__dict__["signin"] = counting
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await until(pilot, lambda: "signed in" in str(app.screen.query_one("#status").render()))
        assert counting.reads  # read once at start, in a worker
        before = counting.reads
        await pilot.press(*"payments dev read", "backspace", "escape", *"storefront")
        await pilot.pause()
        assert counting.reads == before
        assert "signed in" in str(app.screen.query_one("#status").render())


async def test_a_favourite_is_saved_by_a_worker(setup: Setup,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    workspace = _workspace(setup)
    saved_on: list[threading.Thread] = []
    save = type(workspace.user_state).save

    def recording_save(state: Any) -> None:
        saved_on.append(threading.current_thread())
        save(state)

    monkeypatch.setattr(type(workspace.user_state), "save", recording_save)
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"payments-dev read", "f3")
        await until(pilot, lambda: saved_on)
        assert saved_on and saved_on[0] is not threading.main_thread()
        await app.workers.wait_for_complete()
    saved = (Path(os.environ["SWITCHER_STATE_DIR"]) / "state.json").read_text()
    assert setup.account_id("payments-dev") in saved


async def test_the_console_is_opened_only_when_a_browser_takes_the_link(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser command that never follows the one-use link is a failure, not "opened"."""
    from switcher.tui import workers

    monkeypatch.setattr(workers, "HAND_OFF_WAIT", 0.5)
    os.environ["SWITCHER_BROWSER"] = "true {url}"
    workspace = setup.sign_in(setup.workspace())
    app = SwitcherApp(workspace, RecordingShell())
    async with app.run_test(size=(120, 32)) as pilot:
        await _wait_for_rows(app, pilot)
        await pilot.press(*"storefront-dev read", "enter")
        await until(pilot, lambda: any("no browser picked up" in n.message
                                       for n in app._notifications))
        assert not any("Console opened" in n.message for n in app._notifications)
