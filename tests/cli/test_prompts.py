"""The production guardrail's questions on a terminal (the process tests have none)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import pytest

from switcher.cli import prompts
from switcher.errors import SwitcherError
from switcher.model import Account, Environment, SourceKind, Target, Way

if TYPE_CHECKING:
    from switcher.workspace import Workspace

PROD = Target(Account("123456789012", "shop-prod"), "Admin", (Way(SourceKind.SSO),),
              environment=Environment.PRODUCTION)


@dataclass
class _Guarded:
    mode: str

    def guardrail(self, target: Target) -> str:
        return self.mode


def _workspace(mode: str) -> Workspace:
    return cast("Workspace", _Guarded(mode))


@dataclass
class Terminal:
    answers: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def input(self, question: str) -> str:
        self.asked.append(question)
        return self.answers.pop(0)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    typed = Terminal()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(prompts, "_question", typed.input)
    return typed


def test_the_question_goes_to_stderr_and_the_answer_comes_from_stdin(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert prompts._question("Sure? ") == "yes"
    captured = capsys.readouterr()
    assert captured.err == "Sure? " and captured.out == ""


def test_confirm_takes_yes_and_refuses_anything_else(terminal: Terminal) -> None:
    terminal.answers.extend(["Y", "", "nope"])
    prompts.confirm(_workspace("confirm"), PROD, False, "open its console")
    for _ in range(2):
        with pytest.raises(SwitcherError, match="Not confirmed; nothing was done"):
            prompts.confirm(_workspace("confirm"), PROD, False, "open its console")
    assert terminal.asked[0] == "PRODUCTION shop-prod/Admin: open its console? [y/N] "


def test_type_name_wants_the_account_name(terminal: Terminal) -> None:
    terminal.answers.extend([" shop-prod ", "shop-dev"])
    prompts.confirm(_workspace("type-name"), PROD, False, "start a shell")
    with pytest.raises(SwitcherError, match="did not match"):
        prompts.confirm(_workspace("type-name"), PROD, False, "start a shell")
    assert terminal.asked[0] == ("PRODUCTION shop-prod/Admin: type the account name "
                                 "(shop-prod) to start a shell: ")


def test_yes_or_off_asks_nothing(terminal: Terminal) -> None:
    prompts.confirm(_workspace("type-name"), PROD, True, "run a command")
    prompts.confirm(_workspace("off"), PROD, False, "run a command")
    assert terminal.asked == []
