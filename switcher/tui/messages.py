"""What workers report back to the screens: past-tense messages."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from switcher.model import Account, Target
from switcher.workspace import Refresh


@dataclass
class InventoryRefreshed(Message):
    refresh: Refresh


@dataclass
class AccountsListed(Message):
    label: str
    accounts: list[Account]


@dataclass
class TargetsFound(Message):
    """Targets found while discovery still runs (roles stream in after the accounts)."""

    targets: list[Target]


@dataclass
class ConsoleOpened(Message):
    target: Target
    region: str


@dataclass
class ShellPrepared(Message):
    target: Target
    region: str
    environment: dict[str, str]


@dataclass
class ActionFailed(Message):
    what: str
    reason: str
