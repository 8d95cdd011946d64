"""The localhost-server helper: a thread per connection, our uid only, nothing on stderr."""

from __future__ import annotations

import os
import socket
import urllib.request
from pathlib import Path

import pytest

from switcher import localserver
from switcher.localserver import LocalServer, QuietHandler, peer_uid, uid_check_available
from tests.other_user import fetch_as_other_user, refused


class Hello(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/boom":
            raise RuntimeError("a bug in a handler")
        self.send_body(200, b"hello", "text/plain")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=2) as answer:
        return bytes(answer.read())


def test_a_silent_connection_does_not_stall_the_server() -> None:
    with LocalServer(Hello) as server, socket.create_connection(("127.0.0.1", server.port)):
        assert _get(server.url()) == b"hello"


def test_only_127_0_0_1_on_a_free_port() -> None:
    with LocalServer(Hello) as first, LocalServer(Hello) as second:
        assert first.url().startswith("http://127.0.0.1:") and first.port != second.port


@pytest.mark.skipif(not uid_check_available(), reason="the uid check needs /proc/net/tcp")
def test_the_peer_of_our_own_connection_is_our_uid() -> None:
    with LocalServer(Hello) as server, socket.create_connection(
            ("127.0.0.1", server.port)) as client:
        host, port = client.getsockname()[:2]
        assert peer_uid(("127.0.0.1", server.port), (host, port)) == os.getuid()
        assert peer_uid(("127.0.0.1", server.port), (host, port + 1)) is None
        assert server.checks_peer_uid


def test_another_uid_is_refused_and_ours_still_answered() -> None:
    with LocalServer(Hello) as server:
        assert refused(fetch_as_other_user(server.url()))
        assert server.refused == 1
        assert _get(server.url()) == b"hello"


def test_where_uids_cannot_be_told_everyone_is_answered(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setattr(localserver, "SOCKET_TABLES", (tmp_path / "tcp", tmp_path / "tcp6"))
    with LocalServer(Hello) as server:
        assert not server.checks_peer_uid
        assert _get(server.url()) == b"hello"


def test_a_failing_handler_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with LocalServer(Hello) as server:
        with pytest.raises(OSError):
            _get(server.url("/boom"))
        assert _get(server.url()) == b"hello"
    assert capfd.readouterr().err == ""


def test_close_stops_answering_and_can_be_repeated() -> None:
    server = LocalServer(Hello)
    server.start()
    url = server.url()
    server.close()
    server.close()
    with pytest.raises(OSError):
        _get(url)
    LocalServer(Hello).close()  # never started
