"""The loopback listener of the PKCE sign-in: the portal redirects the browser to it.

Every local user can reach the port, and the `state` is no secret from them (it is in the
authorize address on the browser's command line). So the listener answers only our own uid where
that can be checked (switcher.localserver), and a callback without our `state` is answered 400
and ignored: a forged answer must not end the user's sign-in.
"""

from __future__ import annotations

import secrets
import threading
from urllib.parse import parse_qsl, urlsplit

from switcher.localserver import LocalServer, QuietHandler

CALLBACK_PATH = "/oauth/callback"
SIGNED_IN_PAGE = (b"<!doctype html><title>switcher</title><h1>Signed in</h1>"
                  b"<p>You can close this window and return to switcher.</p>")
REFUSED_PAGE = (b"<!doctype html><title>switcher</title><h1>Sign-in not completed</h1>"
                b"<p>Return to switcher to see why.</p>")
WRONG_STATE_PAGE = (b"<!doctype html><title>switcher</title><h1>Not the sign-in switcher is "
                    b"waiting for</h1><p>This answer belongs to another sign-in; it was "
                    b"ignored.</p>")
HTML = "text/html; charset=utf-8"


class LoopbackListener:
    """Waits on 127.0.0.1 (a free port) for the browser's redirect to /oauth/callback with our
    `state`, and takes the first such answer."""

    def __init__(self, state: str, *, same_user_only: bool = True) -> None:
        self._state = state.encode()
        self._answer: dict[str, str] | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                split = urlsplit(self.path)
                if split.path != CALLBACK_PATH:
                    self.send_empty(404)
                    return
                answer = dict(parse_qsl(split.query))
                if not secrets.compare_digest(answer.get("state", "").encode(), outer._state):
                    self.send_body(400, WRONG_STATE_PAGE, HTML)
                    return
                if not outer._take(answer):
                    self.send_empty(404)
                    return
                self.send_body(200, REFUSED_PAGE if answer.get("error") else SIGNED_IN_PAGE,
                               HTML)
                outer._done.set()

        self._server = LocalServer(Handler, same_user_only=same_user_only,
                                   name="sign-in-loopback")

    def _take(self, answer: dict[str, str]) -> bool:
        with self._lock:
            if self._answer is not None:
                return False
            self._answer = answer
            return True

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def refused(self) -> int:
        """Connections refused because they came from another uid."""
        return self._server.refused

    def __enter__(self) -> LoopbackListener:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.close()

    def wait(self, timeout: float) -> dict[str, str] | None:
        return self._answer if self._done.wait(timeout) else None
