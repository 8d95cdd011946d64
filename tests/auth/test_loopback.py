"""The PKCE loopback listener on its own: our state only, once, concurrently, our uid only."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from switcher.auth.loopback import LoopbackListener
from tests.other_user import fetch_as_other_user, refused


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_only_our_state_is_taken_and_only_once() -> None:
    with LoopbackListener("our-state") as listener:
        base = f"http://127.0.0.1:{listener.port}"
        assert _status(f"{base}/oauth/callback?code=x&state=other") == 400
        assert _status(f"{base}/oauth/callback?code=x") == 400
        assert _status(f"{base}/oauth/callback?code=x&state=%C3%A9") == 400
        assert _status(f"{base}/elsewhere?state=our-state") == 404
        assert listener.wait(0) is None
        assert _status(f"{base}/oauth/callback?code=right&state=our-state") == 200
        assert _status(f"{base}/oauth/callback?code=later&state=our-state") == 404
        assert listener.wait(1) == {"code": "right", "state": "our-state"}


def test_a_silent_connection_does_not_stall_the_listener() -> None:
    with LoopbackListener("s") as listener, socket.create_connection(
            ("127.0.0.1", listener.port)):
        url = f"http://127.0.0.1:{listener.port}/oauth/callback?code=c&state=s"
        assert _status(url) == 200
        assert listener.wait(1) == {"code": "c", "state": "s"}


def test_another_user_is_refused_even_with_our_state() -> None:
    with LoopbackListener("s") as listener:
        url = f"http://127.0.0.1:{listener.port}/oauth/callback?code=stolen&state=s"
        assert refused(fetch_as_other_user(url))
        assert listener.refused == 1 and listener.wait(0) is None
        assert _status(url.replace("stolen", "ours")) == 200
        assert listener.wait(1) == {"code": "ours", "state": "s"}
