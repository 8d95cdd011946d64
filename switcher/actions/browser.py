"""Handing a sign-in URL to a browser without putting it on any command line.

The URL grants console access, and a process's argv is readable by every user of the machine.
So the browser is given a one-use address on 127.0.0.1 instead; its first request is redirected
to the sign-in URL and the address stops working.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import threading
import urllib.error
import urllib.request
import webbrowser
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlencode

from switcher.errors import ConsoleError
from switcher.model import Target

POLL_SECONDS = 0.5


class OneTimeRedirect:
    """Serves one redirect to `target` at a random path, then shuts itself down."""

    def __init__(self, target: str, timeout: float = 120.0) -> None:
        self.target = target
        self.path = "/" + secrets.token_urlsafe(24)
        self.served = threading.Event()
        self.landed = threading.Event()
        self.landing_page = ""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != outer.path or outer.served.is_set():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer.served.set()
                self.send_response(302)
                self.send_header("Location", outer.target)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._server.timeout = POLL_SECONDS
        self._deadline: float = timeout
        self._thread = threading.Thread(target=self._serve, name="one-time-redirect", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}{self.path}"

    def _serve(self) -> None:
        waited = 0.0
        while not self.served.is_set() and waited < self._deadline:
            self._server.handle_request()
            waited += POLL_SECONDS
        self._server.server_close()

    def wait(self, timeout: float | None = None) -> bool:
        return self.served.wait(timeout)


INTERNAL = "internal"
"""A browser stand-in for machines without one (the demo on a headless box): it follows the
redirects with a cookie jar, as a browser would, and keeps the page it lands on."""


def _follow(redirect: OneTimeRedirect) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    try:
        with opener.open(redirect.url, timeout=30) as answer:
            redirect.landing_page = answer.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        redirect.landing_page = f"error: {error}"
    redirect.landed.set()


def browser_fields(target: Target) -> dict[str, str]:
    """What a browser command template may use besides {url}."""
    return {"environment": target.environment.value, "account_id": target.account_id,
            "account_name": target.account_name or target.account_id,
            "role": target.role_name, "color": target.color.lstrip("#")}


FIREFOX_CONTAINER_COLORS = {"production": "red", "staging": "orange", "test": "yellow",
                            "development": "green", "sandbox": "turquoise",
                            "management": "purple", "shared": "blue", "unknown": "toolbar"}


def container_url(url: str, fields: dict[str, str]) -> str:
    """A link for Firefox's "Open external links in a container" add-on: a container named
    and coloured after the target."""
    name = f"{fields.get('account_name', '')} {fields.get('role', '')}".strip() or "AWS"
    color = FIREFOX_CONTAINER_COLORS.get(fields.get("environment", ""), "toolbar")
    return "ext+container:" + urlencode({"name": name, "color": color, "url": url})


def command_argv(command: str, url: str, fields: dict[str, str]) -> list[str]:
    """The browser command, split like a shell would but never run by one: a placeholder
    becomes part of one argument, so names with spaces or quotes stay harmless."""
    values = {**fields, "url": url, "container_url": container_url(url, fields)}
    parts = shlex.split(command)
    takes_url = any("{url}" in part or "{container_url}" in part for part in parts)
    argv = []
    for part in parts:
        part = os.path.expanduser(part)  # before the values go in: they are not paths of ours
        for name, value in values.items():
            part = part.replace("{" + name + "}", value)
        argv.append(part)
    return argv if takes_url else [*argv, url]


def open_in_browser(url: str, command: str = "",
                    fields: dict[str, str] | None = None) -> OneTimeRedirect:
    """Open `url` through a one-time local redirect; `command` is a template (see
    `command_argv`, e.g. 'firefox --new-window {url}'), `internal` for the stand-in, else the
    system's default browser is used."""
    redirect = OneTimeRedirect(url)
    if command == INTERNAL:
        threading.Thread(target=_follow, args=(redirect,), daemon=True).start()
    elif command:
        argv = command_argv(command, redirect.url, fields or {})
        try:
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            raise ConsoleError(f"Could not start the browser {argv[0]!r}: {error}") from None
    elif not webbrowser.open(redirect.url, new=2):
        raise ConsoleError("No browser found; set SWITCHER_BROWSER or use --print-url")
    return redirect
