"""Which way into the console a target takes, and the URL (or the browser) it ends in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from switcher.actions import console
from switcher.actions.console import ConsoleEndpoints, ConsoleMethod
from switcher.auth.credentials import CredentialResolver
from switcher.errors import ConsoleError
from switcher.model import Credentials, SourceKind, Target, Way
from switcher.store.settings import Settings

if TYPE_CHECKING:
    from switcher.actions.browser import OneTimeRedirect

log = logging.getLogger(__name__)

# Why signing out first does not fit the other ways in (one line each: it is shown as is).
LOGOUT_FIRST_UNFIT = {
    ConsoleMethod.SWITCHROLE: "the switchrole link needs the console session it switches from",
    ConsoleMethod.PORTAL: "the access portal makes its own console session (and keeps your "
                          "other ones in multi-session mode)",
}


def choose_method(target: Target, settings: Settings,
                  requested: str | None = None) -> ConsoleMethod:
    """How to open the console: asked for, set for the target, or the configured default
    (federation when that way does not fit the target)."""
    override = settings.override_for(target.key, target.display_name)
    wanted = requested or override.console_method or settings.console_method
    try:
        method = ConsoleMethod(wanted)
    except ValueError:
        raise ConsoleError(f"Unknown console method {wanted!r}; use federation, "
                           "switchrole or portal") from None
    if method is ConsoleMethod.PORTAL and not any(w.kind is SourceKind.SSO
                                                  for w in target.ways):
        if requested:
            raise ConsoleError(f"{target.display_name} is not an IAM Identity Center "
                               "assignment: no portal link")
        return ConsoleMethod.FEDERATION
    only_sso = all(w.kind is SourceKind.SSO for w in target.ways)
    if method is ConsoleMethod.SWITCHROLE and only_sso:
        if requested:
            raise ConsoleError(f"{target.display_name} is an Identity Center permission "
                               "set: it cannot be switched to with the switchrole link")
        return ConsoleMethod.FEDERATION
    return method


@dataclass(frozen=True)
class ConsoleLink:
    url: str
    """With federation this signs in: a secret for 15 minutes."""
    method: ConsoleMethod
    warnings: tuple[str, ...] = ()


class ConsoleService:
    def __init__(self, settings: Callable[[], Settings],
                 resolver: Callable[[], CredentialResolver],
                 endpoints: ConsoleEndpoints, browser_command: Callable[[], str]) -> None:
        self._settings = settings
        self._resolver = resolver
        self.endpoints = endpoints
        self._browser_command = browser_command

    def method(self, target: Target, requested: str | None = None) -> ConsoleMethod:
        return choose_method(target, self._settings(), requested)

    def link(self, target: Target, region: str, path: str = "", way: Way | None = None,
             method: str | None = None, logout_first: bool | None = None) -> ConsoleLink:
        """The URL that opens the console, and what the caller should tell the user about it.

        Logout-first applies to federation only: asked for (`logout_first=True`) with another
        way in, it is refused; set in config.toml, it is ignored there with a warning."""
        settings = self._settings()
        chosen = choose_method(target, settings, method)
        wanted = settings.console_logout_first if logout_first is None else logout_first
        warnings: list[str] = []
        if wanted and chosen is not ConsoleMethod.FEDERATION:
            reason = LOGOUT_FIRST_UNFIT[chosen]
            if logout_first:
                raise ConsoleError(f"--logout-first works only with federation sign-in, not "
                                   f"with {chosen.value}: {reason}")
            warnings.append(f"{settings.path}: [console] logout_first is ignored for "
                            f"{chosen.value}: {reason}")
            wanted = False
        if chosen is ConsoleMethod.PORTAL:
            sso_way = way if way and way.kind is SourceKind.SSO else next(
                w for w in target.ways if w.kind is SourceKind.SSO)
            url = console.portal_url(sso_way.start_url, target, region, self.endpoints, path)
        elif chosen is ConsoleMethod.SWITCHROLE:
            url = console.switchrole_url(target, way or target.way, region, self.endpoints,
                                         path)
        else:
            used = way or target.way
            resolver = self._resolver()
            credentials: Credentials = resolver.console_credentials(
                resolver.for_target(target, way), target.role_name)
            issuer = used.start_url if used.kind is SourceKind.SSO else ""
            url = console.signin_url(credentials, region, self.endpoints, path,
                                     settings.console_session_duration, issuer=issuer)
        if wanted:
            url = self.endpoints.logout_first(url, region)
        return ConsoleLink(url, chosen, tuple(warnings))

    def url(self, target: Target, region: str, path: str = "", way: Way | None = None,
            method: str | None = None, logout_first: bool | None = None) -> str:
        """The URL that opens the console. With federation it signs in (and is a secret).
        Warnings go to the log; `link` returns them."""
        link = self.link(target, region, path, way, method, logout_first)
        for warning in link.warnings:
            log.warning("%s", warning)
        return link.url

    def open(self, target: Target, region: str, path: str = "", way: Way | None = None,
             method: str | None = None, logout_first: bool | None = None,
             on_warning: Callable[[str], None] | None = None) -> OneTimeRedirect:
        from switcher.actions.browser import browser_fields, open_in_browser

        link = self.link(target, region, path, way, method, logout_first)
        for warning in link.warnings:
            (on_warning or log.warning)(warning)
        return open_in_browser(link.url, self._browser_command(), browser_fields(target))
