"""One exception hierarchy whose messages a user can act on."""

from __future__ import annotations


class SwitcherError(Exception):
    """Base of every error switcher reports to a user (CLI line, TUI notice)."""


class ConfigError(SwitcherError):
    """A configuration file or setting is wrong."""


class TargetNotFoundError(SwitcherError):
    """The named target is not in the inventory."""


class UnknownTargetError(TargetNotFoundError):
    """No target has this name at all (rather than several, or none by that way in)."""

    def __init__(self, message: str, name: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions


class NotSignedInError(SwitcherError):
    """There is no valid IAM Identity Center token; the user must sign in."""


class UnknownRegionError(ConfigError):
    """A region no partition has."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class SignInError(SwitcherError):
    """Signing in to IAM Identity Center failed."""


class NoBrowserError(SignInError):
    """No browser could be opened for a sign-in page (over SSH, in a container)."""


class CredentialsError(SwitcherError):
    """Credentials for a target could not be obtained."""


class ConsoleError(SwitcherError):
    """The console sign-in URL could not be made or opened."""


class ShellError(SwitcherError):
    """A shell or command could not be started."""
