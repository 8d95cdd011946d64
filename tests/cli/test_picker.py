"""The inline picker of console, shell, exec and env without a target: its state and lines,
and the real thing in a pseudo-terminal (keys in, the picker on the terminal, the command's
own output on stdout)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher import paths
from switcher.cli.picker import Picker, split_keys
from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.search import Searcher
from switcher.store.inventory import InventoryCache
from switcher.workspace import Workspace
from tests.conftest import Setup

WAY = (Way(SourceKind.PROFILE, profile="p"),)
TARGETS = [Target(Account(f"1111111111{n:02d}", name), role, WAY, environment=environment)
           for n, (name, role, environment) in enumerate((
               ("payments-dev", "ReadOnlyAccess", Environment.DEVELOPMENT),
               ("payments-prod", "AdministratorAccess", Environment.PRODUCTION),
               ("payments-prod", "ReadOnlyAccess", Environment.PRODUCTION),
               ("storefront-dev", "ReadOnlyAccess", Environment.DEVELOPMENT)))]


def test_typing_filters_and_arrows_move() -> None:
    picker = Picker(TARGETS, height=2)
    assert picker.chosen is TARGETS[0]
    for key in "prod":
        assert picker.key(key) is None
    assert [TARGETS[i].display_name for i in picker.matches] == [
        "payments-prod/AdministratorAccess", "payments-prod/ReadOnlyAccess"]
    picker.key("\x1b[B")
    assert picker.chosen is TARGETS[2]
    picker.key("\x1b[B")  # stays on the last one
    assert picker.chosen is TARGETS[2]
    picker.key("\x1b[A")
    assert picker.chosen is TARGETS[1]
    assert picker.key("\r") is True
    for _ in "prod":
        picker.key("\x7f")
    assert picker.query == "" and len(picker.matches) == 4
    picker.key("\x1b[6~")  # a page down scrolls the two visible lines
    assert picker.selected == 2 and picker.top == 1
    picker.filter("payments prod")
    picker.key("\x17")  # Ctrl+W deletes the last word
    assert picker.query == "payments "
    picker.filter("nothing like it")
    assert picker.chosen is None and picker.key("\r") is None  # Enter on nothing: stays
    assert "no target matches" in picker.lines(80)[-1]
    for cancel in ("\x1b", "\x03"):
        assert picker.key(cancel) is False


def test_the_lines_show_names_escaped_and_fit_the_width() -> None:
    hostile = Target(Account("222222222222", "ev\x1b[2Jil\u202eprod"), "Admin", WAY)
    picker = Picker([hostile, *TARGETS])
    lines = picker.lines(40)
    assert "ev\\x1b[2Jil\\u202eprod/Admin" in lines[1]
    assert "\u202e" not in "".join(lines)
    assert lines[1].startswith("\x1b[7m> ")  # the chosen line is reversed
    picker.filter("\x1b[31m")
    assert "\\x1b[31m" in picker.lines(40)[0]
    for line in picker.lines(40):
        shown = line.replace("\x1b[7m", "").replace("\x1b[2m", "").replace("\x1b[0m", "")
        assert len(shown) <= 39


def test_escape_sequences_are_one_key_each() -> None:
    assert list(split_keys("a\x1b[A\x1bOB\x1b[5~b\x1b")) == [
        "a", "\x1b[A", "\x1bOB", "\x1b[5~", "b", "\x1b"]


class Terminal:
    """A command on a pseudo-terminal: stdin and stderr are the terminal, stdout a pipe."""

    def __init__(self, arguments: list[str], environment: dict[str, str]) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.modes = termios.tcgetattr(self.slave)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "switcher", *arguments], stdin=self.slave,
            stderr=self.slave, stdout=subprocess.PIPE, env=environment)
        self.shown = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.shown += data

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.shown:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never shown; the terminal got {self.shown!r}")
            time.sleep(0.02)

    def keys(self, *keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(0.1)  # each read is a key, as when a person types

    def finish(self) -> tuple[int, str]:
        assert self.process.stdout is not None
        output = self.process.stdout.read().decode()
        status = self.process.wait(timeout=60)
        return status, output

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.slave)
        os.close(self.master)


@pytest.fixture
def terminal() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for one in started:
        one.close()


def _start(started: list[Terminal], *arguments: str) -> Terminal:
    one = Terminal(list(arguments), dict(os.environ, TERM="xterm-256color"))
    started.append(one)
    return one


def test_env_without_a_target_picks_one_and_prints_only_exports(
        signed_in: Workspace, terminal: list[Terminal]) -> None:
    # No inventory cached yet: the picker discovers first.
    term = _start(terminal, "env", "--format", "sh")
    term.wait_for("Target> ")
    assert b"No inventory yet" in term.shown
    term.keys("storefront dev read")
    term.wait_for("1/")
    term.keys("\r")
    status, output = term.finish()
    assert status == 0
    assert "export SWITCHER_TARGET='storefront-dev/ReadOnlyAccess'" in output
    assert "AWS_SESSION_TOKEN=" in output and "Target>" not in output
    assert termios.tcgetattr(term.slave) == term.modes  # the terminal is as it was
    # the picker is cleared away; the choice stays on its line (the terminal adds a \r)
    assert term.shown.replace(b"\r\r\n", b"\r\n").endswith(
        b"\r\x1b[JTarget> storefront-dev/ReadOnlyAccess\r\n")


def test_exec_without_a_target_takes_the_line_moved_to(signed_in: Workspace,
                                                       terminal: list[Terminal]) -> None:
    targets = signed_in.targets()
    second = targets[Searcher(targets).search("storefront")[1]].display_name
    term = _start(terminal, "exec", "--", sys.executable, "-c",
                  "import os; print(os.environ['SWITCHER_TARGET'])")
    term.wait_for("Target> ")
    term.keys("storefront", "\x1b[B", "\r")
    status, output = term.finish()
    assert status == 0
    assert output.strip() == second


@pytest.mark.parametrize("cancel", ["\x1b", "\x03"])
def test_escape_or_ctrl_c_cancels(signed_in: Workspace, terminal: list[Terminal],
                                  cancel: str) -> None:
    signed_in.targets()
    term = _start(terminal, "console", "--print-url")
    term.wait_for("Target> ")
    term.keys("pay", cancel)
    status, output = term.finish()
    assert status == 130 and output == ""
    assert termios.tcgetattr(term.slave) == term.modes


def test_names_in_the_picker_are_escaped(isolated_home: Path,
                                         terminal: list[Terminal]) -> None:
    # The cache keeps remote discovery only, for the instances still configured.
    (isolated_home / ".aws").mkdir()
    (isolated_home / ".aws" / "config").write_text(
        "[sso-session acme]\nsso_start_url = https://acme.invalid/start\n"
        "sso_region = us-east-1\n")
    way = Way(SourceKind.SSO, sso_session="acme", start_url="https://acme.invalid/start",
              sso_region="us-east-1")
    hostile = Target(Account("123456789012", "ev\x1b[2Jil"), "Admin", (way,))
    InventoryCache(paths.cache_dir() / "inventory.json").save([hostile])
    term = _start(terminal, "shell")
    term.wait_for("ev\\x1b[2Jil/Admin")
    assert b"ev\x1b[2J" not in term.shown
    term.keys("\x1b")
    assert term.finish()[0] == 130


def test_without_a_terminal_a_target_is_required(setup: Setup) -> None:
    for command in ("console", "shell", "exec", "env"):
        finished = subprocess.run([sys.executable, "-m", "switcher", command],
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=60, check=False)
        assert finished.returncode == 2
        assert "required: TARGET (or run it in a terminal to pick one)" in finished.stderr
