"""Small HTTP servers on 127.0.0.1 that answer only this machine's user.

switcher hands such addresses to a browser (the console sign-in redirect), to the sign-in
portal (the PKCE callback) and to SDKs (the credential endpoint). Any local user can connect to
127.0.0.1, and the addresses are not secret (a browser's argv is readable by all). So on Linux a
connection is answered only when the socket at its other end belongs to our own uid: the kernel
lists both ends of a loopback connection in /proc/net/tcp (or tcp6, for a client's IPv6 socket
with an IPv4-mapped address), each with the uid that created it. Elsewhere, or when those tables
cannot be read, every connection is answered as before and the servers' other guards remain.

Each connection gets its own daemon thread, so a client that connects and sends nothing holds up
nobody else (and is dropped after IDLE_SECONDS).
"""

from __future__ import annotations

import logging
import os
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
IDLE_SECONDS = 30.0
POLL_SECONDS = 0.1  # how soon close() takes effect
SOCKET_TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))
_IPV4_MAPPED = bytes(10) + b"\xff\xff"


def _kernel_hex(address: bytes) -> str:
    """An address as /proc/net/tcp* print it: each 32-bit word in hex, read in host byte order."""
    return "".join(f"{int.from_bytes(address[i:i + 4], sys.byteorder):08X}"
                   for i in range(0, len(address), 4))


def _table_names(host: str, port: int) -> tuple[str, str]:
    """An IPv4 socket address as tcp lists it, and as tcp6 lists it IPv4-mapped."""
    packed = socket.inet_aton(host)
    return (f"{_kernel_hex(packed)}:{port:04X}",
            f"{_kernel_hex(_IPV4_MAPPED + packed)}:{port:04X}")


def peer_uid(local: tuple[str, int], peer: tuple[str, int]) -> int | None:
    """The uid owning the `peer` end of a loopback connection to our `local` address, or None
    when no live socket of any process is listed there (gone, or a time-wait remnant)."""
    peer_names, local_names = _table_names(*peer), _table_names(*local)
    for table in SOCKET_TABLES:
        try:
            lines = table.read_text(encoding="ascii").splitlines()[1:]
        except (OSError, ValueError):
            continue
        for line in lines:
            # sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            fields = line.split()
            if len(fields) < 10 or fields[1] not in peer_names or fields[2] not in local_names:
                continue
            if fields[9] != "0":  # inode 0: no process holds it (time-wait lists uid 0)
                return int(fields[7])
    return None


def uid_check_available() -> bool:
    return sys.platform.startswith("linux") and os.access(SOCKET_TABLES[0], os.R_OK)


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing (stderr is the user's terminal) and drops idle clients."""

    timeout = IDLE_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        return

    def send_empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_body(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], same_user_only: bool) -> None:
        self.checks_peer_uid = same_user_only and uid_check_available()
        self.refused = 0
        self._refused_lock = threading.Lock()
        super().__init__((HOST, 0), handler)

    def server_bind(self) -> None:
        # HTTPServer's own looks up the host's name (socket.getfqdn): no use on 127.0.0.1.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = int(self.server_address[1])

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Runs in the connection's own thread; a refused connection is closed unanswered."""
        if self.checks_peer_uid:
            uid = peer_uid((HOST, self.server_port), (str(client_address[0]),
                                                      int(client_address[1])))
            if uid != os.getuid():
                with self._refused_lock:
                    self.refused += 1
                log.info("127.0.0.1:%d refused a connection from uid %s", self.server_port,
                         "unknown" if uid is None else uid)
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("127.0.0.1:%d: answering %s failed", self.server_port, client_address,
                  exc_info=True)


class LocalServer:
    """An HTTP server on a free port of 127.0.0.1, a thread per connection; with
    `same_user_only` (the default) it answers only our own uid where that can be checked.
    Use it as a context manager, or start() and close()."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, same_user_only: bool = True,
                 name: str = "local-server") -> None:
        self._server = _Server(handler, same_user_only)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        args=(POLL_SECONDS,), name=name, daemon=True)
        self._lock = threading.Lock()
        self._started = self._closed = False

    @property
    def port(self) -> int:
        return self._server.server_port

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    @property
    def checks_peer_uid(self) -> bool:
        """Whether connections from other uids are refused (False where that cannot be told)."""
        return self._server.checks_peer_uid

    @property
    def refused(self) -> int:
        """Connections refused because they came from another uid (or one not found)."""
        return self._server.refused

    def start(self) -> None:
        with self._lock:
            if not self._started and not self._closed:
                self._started = True
                self._thread.start()

    def close(self) -> None:
        """Stops answering; connections being answered finish in their own threads."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._started:
                self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
