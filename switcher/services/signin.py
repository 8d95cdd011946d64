"""Choosing how to sign in to IAM Identity Center: PKCE in a browser, or a device code."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from switcher.auth.oidc import PromptCallback, SignIn, SsoInstance, SsoToken
from switcher.errors import NoBrowserError

log = logging.getLogger(__name__)


def remote_without_display(environ: Mapping[str, str]) -> bool:
    over_ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
    has_display = bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
    return over_ssh and not has_display


def login(signin: SignIn, instance: SsoInstance, prompt: PromptCallback,
          open_url: Callable[[str], None] | None, device_code: bool | None,
          environ: Mapping[str, str]) -> SsoToken:
    """PKCE in a local browser by default for [sso-session] instances (as the AWS CLI does),
    the device code for legacy profiles, over SSH without a display, or when asked;
    `open_url` shows the authorize page (default: the system browser). When no browser can
    be opened (NoBrowserError), the device code follows by itself: `prompt` shows its code
    and address, to open anywhere."""
    if device_code is None:
        device_code = not instance.session_name or remote_without_display(environ)
    if not device_code:
        try:
            return signin.login_with_browser(instance, open_url or open_system_browser)
        except NoBrowserError as error:
            log.info("no browser for %s (%s): signing in with a device code", instance.label,
                     error)
    return signin.login_with_device_code(instance, prompt)


def open_system_browser(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url, new=2):
        raise NoBrowserError("No browser found to sign in")
