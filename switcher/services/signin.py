"""Choosing how to sign in to IAM Identity Center: PKCE in a browser, or a device code."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from switcher.auth.oidc import PromptCallback, SignIn, SsoInstance, SsoToken
from switcher.errors import SignInError


def remote_without_display(environ: Mapping[str, str]) -> bool:
    over_ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
    has_display = bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
    return over_ssh and not has_display


def login(signin: SignIn, instance: SsoInstance, prompt: PromptCallback,
          open_url: Callable[[str], None] | None, device_code: bool | None,
          environ: Mapping[str, str]) -> SsoToken:
    """PKCE in a local browser by default for [sso-session] instances (as the AWS CLI does),
    the device code for legacy profiles, over SSH without a display, or when asked;
    `open_url` shows the authorize page (default: the system browser)."""
    if device_code is None:
        device_code = not instance.session_name or remote_without_display(environ)
    if device_code:
        return signin.login_with_device_code(instance, prompt)
    return signin.login_with_browser(instance, open_url or open_system_browser)


def open_system_browser(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url, new=2):
        raise SignInError("No browser found to sign in; use `switcher login --no-browser` for a "
                          "device code")
