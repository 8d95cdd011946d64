"""The loopback listener of the PKCE sign-in: the portal redirects the browser to it."""

from __future__ import annotations

import threading
from urllib.parse import parse_qsl, urlsplit


class LoopbackListener:
    """Waits on 127.0.0.1 (a free port) for the browser's redirect to /oauth/callback."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, HTTPServer

        self._answer: dict[str, str] | None = None
        self._done = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                split = urlsplit(self.path)
                if split.path != "/oauth/callback" or outer._done.is_set():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer._answer = dict(parse_qsl(split.query))
                body = (b"<!doctype html><title>switcher</title><h1>Signed in</h1>"
                        b"<p>You can close this window and return to switcher.</p>")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                outer._done.set()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> LoopbackListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str] | None:
        return self._answer if self._done.wait(timeout) else None
