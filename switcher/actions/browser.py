"""Handing a sign-in URL to a browser without putting it on any command line.

The URL grants console access, and a process's argv is readable by every user of the machine.
So the browser is given a one-use address on 127.0.0.1 instead; its first request is redirected
to the sign-in URL and the address stops working. That address is on the browser's argv in
turn, so the server answers only our own uid where it can tell (switcher.localserver): another
user's request is refused unanswered and does not use up the one use.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from urllib.parse import quote, urlencode

from switcher.errors import ConsoleError
from switcher.localserver import LocalServer, QuietHandler
from switcher.model import Target

DEADLINE_SECONDS = 120.0


class OneTimeRedirect:
    """Serves one redirect to `target` at a random path within `timeout` seconds (wall clock);
    later requests for it get 410 Gone, other paths 404, and the server stops at the deadline."""

    def __init__(self, target: str, timeout: float = DEADLINE_SECONDS, *,
                 same_user_only: bool = True) -> None:
        self.target = target
        self.path = "/" + secrets.token_urlsafe(24)
        self.served = threading.Event()
        self.landed = threading.Event()
        self.landing_page = ""
        self._deadline = time.monotonic() + timeout
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._used = False
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                if self.path != outer.path:
                    self.send_empty(404)
                elif not outer._take():
                    self.send_empty(410, {"Cache-Control": "no-store"})
                else:
                    self.send_empty(302, {"Location": outer.target,
                                          "Cache-Control": "no-store",
                                          "Referrer-Policy": "no-referrer"})
                    self.wfile.flush()
                    # Only now: whoever waits may exit the process, and this thread with it.
                    outer.served.set()
                    outer._finished.set()

        self._server = LocalServer(Handler, same_user_only=same_user_only,
                                   name="one-time-redirect")
        self._server.start()
        self._timer = threading.Timer(timeout, self.close)
        self._timer.daemon = True
        self._timer.start()

    def _take(self) -> bool:
        with self._lock:
            if self._used or time.monotonic() >= self._deadline:
                return False
            self._used = True
            return True

    @property
    def url(self) -> str:
        return self._server.url(self.path)

    @property
    def refused(self) -> int:
        """Connections refused because they came from another uid."""
        return self._server.refused

    def wait(self, timeout: float | None = None) -> bool:
        """Whether our browser took the redirect: waits until it did, until the deadline, or
        for `timeout` seconds, whichever comes first."""
        self._finished.wait(timeout)
        return self.served.is_set()

    def close(self) -> None:
        """Stops serving (at the deadline by itself)."""
        self._timer.cancel()
        self._finished.set()
        self._server.close()


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


# What both Firefox container add-ons accept, read in their parsers: "Open external links in a
# container" (honsiorovskyi/open-url-in-container src/js/opener/parser.js: a colour or icon
# outside these lists is an error) and Granted Containers (common-fate/granted-containers
# src/opener/parser.ts: one outside them is dropped). Firefox itself also knows "toolbar" and
# "fence", which both refuse.
CONTAINER_COLORS = ("blue", "turquoise", "green", "yellow", "orange", "red", "pink", "purple")
CONTAINER_ICONS = ("fingerprint", "briefcase", "dollar", "cart", "circle", "gift", "vacation",
                   "food", "fruit", "pet", "tree", "chill")
# Our environments in those terms: production keeps the console's red; unknown gets the one
# colour no environment uses, so it never passes for production.
ENVIRONMENT_CONTAINERS = {
    "production": ("red", "briefcase"), "staging": ("orange", "circle"),
    "test": ("yellow", "fruit"), "development": ("green", "tree"),
    "sandbox": ("turquoise", "chill"), "management": ("purple", "dollar"),
    "shared": ("blue", "gift"), "unknown": ("pink", "fingerprint"),
}
CONTAINER_SCHEMES = {"container_url": "ext+container:",
                     "granted_container_url": "ext+granted-containers:"}


def container_url(url: str, fields: dict[str, str], scheme: str = "ext+container:") -> str:
    """A link that opens `url` in a Firefox container named and coloured after the target:
    `ext+container:` for "Open external links in a container", `ext+granted-containers:` for
    Granted Containers. Every value is form-encoded, so a name cannot add parameters."""
    name = f"{fields.get('account_name', '')} {fields.get('role', '')}".strip() or "AWS"
    color, icon = ENVIRONMENT_CONTAINERS.get(fields.get("environment", ""),
                                             ENVIRONMENT_CONTAINERS["unknown"])
    return scheme + urlencode({"name": name, "color": color, "icon": icon, "url": url})


_URL_START = re.compile(r"^(?:-[^=]*=)?[A-Za-z][A-Za-z0-9+.-]*:")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def command_argv(command: str, url: str, fields: dict[str, str]) -> list[str]:
    """The browser command, split like a shell would but never run by one: a placeholder
    becomes part of one argument, so names with spaces or quotes stay harmless. A placeholder
    inside a URL (`ext+container:name={account_name}&url={url}`) is percent-encoded there;
    one that is a whole argument (or an option's value) goes in as it is."""
    values = {**fields, "url": url}
    values.update({name: container_url(url, fields, scheme)
                   for name, scheme in CONTAINER_SCHEMES.items()})
    parts = shlex.split(command)
    takes_url = any("{" + name + "}" in part for part in parts
                    for name in ("url", *CONTAINER_SCHEMES))
    argv = []
    for part in parts:
        part = os.path.expanduser(part)  # before the values go in: they are not paths of ours
        in_url = bool(_URL_START.match(part.split("{", 1)[0]))

        def value(match: re.Match[str], in_url: bool = in_url) -> str:
            found = values.get(match[1])
            if found is None:
                return match[0]
            return quote(found, safe="") if in_url else found

        argv.append(_PLACEHOLDER.sub(value, part))  # one pass: a value is never re-read
    return argv if takes_url else [*argv, url]


def open_in_browser(url: str, command: str = "", fields: dict[str, str] | None = None,
                    deadline: float = DEADLINE_SECONDS) -> OneTimeRedirect:
    """Open `url` through a one-time local redirect that works for `deadline` seconds;
    `command` is a template (see `command_argv`, e.g. 'firefox --new-window {url}'),
    `internal` for the stand-in, else the system's default browser is used."""
    redirect = OneTimeRedirect(url, deadline)
    if command == INTERNAL:
        threading.Thread(target=_follow, args=(redirect,), daemon=True).start()
    elif command:
        argv = command_argv(command, redirect.url, fields or {})
        try:
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            redirect.close()
            raise ConsoleError(f"Could not start the browser {argv[0]!r}: {error}") from None
    elif not webbrowser.open(redirect.url, new=2):
        redirect.close()
        raise ConsoleError("No browser found; set SWITCHER_BROWSER or use --print-url")
    return redirect
