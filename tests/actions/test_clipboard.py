"""Which way a copy goes, and that the message never claims more than is known."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from switcher.actions import clipboard
from switcher.actions.clipboard import TMUX_OPTIONS, copy, osc52

TEXT = "https://signin.aws.amazon.com/federation?Action=login&SigninToken=x"


class FakeSystem:
    """Stands in for subprocess.run: clipboard tools and `tmux show-options` answers."""

    def __init__(self, tmux: dict[str, str | None] | None = None,
                 tools: dict[str, int] | None = None) -> None:
        self.tmux = tmux or {}
        self.tools = tools or {}
        self.calls: list[list[str]] = []
        self.written: list[str] = []

    def run(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        self.calls.append(argv)
        if argv[0] == "tmux":
            value = self.tmux.get(argv[-1])
            if value is None:
                return subprocess.CompletedProcess(argv, 1, b"", b"invalid option")
            return subprocess.CompletedProcess(argv, 0, value.encode() + b"\n", b"")
        assert kwargs["stdout"] is subprocess.DEVNULL  # a forking tool must not hold a pipe
        assert kwargs["input"] == TEXT.encode()
        return subprocess.CompletedProcess(argv, self.tools[argv[0]], None, None)

    def which(self, name: str) -> str | None:
        return f"/usr/bin/{name}" if name in self.tools else None

    def copy(self, environ: dict[str, str], platform: str = "linux") -> clipboard.CopyOutcome:
        return copy(TEXT, environ, write=self.written.append, run=self.run, which=self.which,
                    platform=platform)


@pytest.fixture(autouse=True)
def fresh_hint() -> Iterator[None]:
    clipboard._hinted.clear()
    yield
    clipboard._hinted.clear()


def test_a_clipboard_tool_is_used_when_present() -> None:
    system = FakeSystem(tools={"wl-copy": 0, "xclip": 0})
    outcome = system.copy({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})
    assert (outcome.way, outcome.copied, outcome.sent) == ("wl-copy", True, False)
    assert outcome.message == "Copied to the clipboard (wl-copy)" and not system.written
    system = FakeSystem(tools={"xclip": 1, "xsel": 0})  # xclip fails: the next one
    assert system.copy({"DISPLAY": ":0"}).way == "xsel"
    system = FakeSystem(tools={"pbcopy": 0})
    assert system.copy({}, platform="darwin").way == "pbcopy"
    assert system.copy({"SSH_CONNECTION": "1 2 3 4"}, platform="darwin").way == "osc52"


def test_without_a_tool_osc52_is_sent_and_not_called_a_copy() -> None:
    system = FakeSystem(tools={"xclip": 0})  # no DISPLAY: xclip cannot reach a clipboard
    outcome = system.copy({})
    assert (outcome.way, outcome.copied, outcome.sent) == ("osc52", False, True)
    assert system.written == [osc52(TEXT)]
    assert outcome.message.startswith("Sent to the terminal (OSC 52)")
    assert "copied" not in outcome.message.lower()
    payload = system.written[0].removeprefix("\x1b]52;c;").removesuffix("\x07")
    assert base64.b64decode(payload).decode() == TEXT


def test_tmux_defaults_send_nothing_and_name_the_option_once() -> None:
    system = FakeSystem(tmux={"set-clipboard": "external", "allow-passthrough": "off"})
    tmux = {"TMUX": "/tmp/tmux-1000/default,1,0", "TMUX_PANE": "%3"}
    first = system.copy(tmux)
    assert (first.copied, first.sent, system.written) == (False, False, [])
    assert first.message.startswith("Not copied") and TMUX_OPTIONS in first.message
    assert ["tmux", "show-options", "-Apv", "-t", "%3", "allow-passthrough"] in system.calls
    second = system.copy(tmux)
    assert second.message.startswith("Not copied") and TMUX_OPTIONS not in second.message


def test_tmux_with_set_clipboard_on_gets_a_plain_osc52() -> None:
    system = FakeSystem(tmux={"set-clipboard": "on", "allow-passthrough": "off"})
    outcome = system.copy({"TMUX": "/tmp/tmux-1000/default,1,0"})
    assert system.written == [osc52(TEXT)]  # not wrapped: tmux drops a wrapped one here
    assert (outcome.way, outcome.copied, outcome.sent) == ("osc52 via tmux", False, True)
    assert "through tmux" in outcome.message and "copied" not in outcome.message.lower()


def test_tmux_with_passthrough_gets_a_wrapped_osc52() -> None:
    for passthrough in ("on", None):  # None: tmux before 3.3, which always passes DCS on
        system = FakeSystem(tmux={"set-clipboard": "external",
                                  "allow-passthrough": passthrough})
        outcome = system.copy({"TMUX": "/tmp/tmux-1000/default,1,0"})
        assert system.written == ["\x1bPtmux;" + osc52(TEXT).replace("\x1b", "\x1b\x1b")
                                  + "\x1b\\"]
        assert outcome.way == "osc52 via tmux passthrough" and outcome.sent


def test_an_unreachable_tmux_gets_a_plain_osc52_and_the_option_named() -> None:
    system = FakeSystem()  # `tmux show-options` fails
    outcome = system.copy({"TMUX": "/tmp/tmux-1000/default,1,0"})
    assert system.written == [osc52(TEXT)] and outcome.sent
    assert TMUX_OPTIONS in outcome.message


def test_no_terminal_is_not_a_copy() -> None:
    def no_tty(_: str) -> None:
        raise OSError("no tty")

    outcome = copy(TEXT, {}, write=no_tty, which=lambda _: None)
    assert (outcome.copied, outcome.sent) == (False, False)
    assert outcome.message.startswith("Not copied")
