"""What workers report back to the screens: past-tense messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
class ConsoleOpening(Message):
    target: Target
    region: str


@dataclass
class ConsoleOpened(Message):
    target: Target
    region: str


@dataclass
class ConsoleLanded(Message):
    """Where the browser stand-in of the demo landed (account, role, region)."""

    target: Target
    where: str


@dataclass
class ShellPrepared(Message):
    target: Target
    region: str
    environment: dict[str, str]


@dataclass
class Copied(Message):
    """Something went to the clipboard (or the terminal): what to tell the user."""

    notice: str
    copied: bool
    """A clipboard tool confirmed it; otherwise it was only sent, or not at all."""


@dataclass
class SignInRead(Message):
    """Each Identity Center instance's label and when its sign-in ends (None: signed out)."""

    expiries: dict[str, datetime | None]
    renewable: frozenset[str] = frozenset()
    """The labels whose refresh token is valid: at expiry the sign-in is renewed, not asked."""


@dataclass
class SignInCodeShown(Message):
    user_code: str
    url: str


@dataclass
class SignedIn(Message):
    pass


@dataclass
class WorkFailed(Message):
    """A worker failed (the app has told the user); the screen tidies up after it."""

    name: str
