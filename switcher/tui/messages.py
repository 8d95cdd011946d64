"""What workers report back to the screens: past-tense messages."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from switcher.model import Target
from switcher.workspace import Refresh


@dataclass
class InventoryRefreshed(Message):
    refresh: Refresh


@dataclass
class DiscoveryProgressed(Message):
    label: str
    account_count: int


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
