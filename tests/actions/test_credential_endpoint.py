"""The credential endpoint for shells: our token, our uid, and no traceback on the terminal."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

from switcher.actions.credential_endpoint import CredentialEndpoint
from switcher.model import Credentials
from tests.other_user import fetch_as_other_user, refused

CREDENTIALS = Credentials("ASIAEXAMPLEEXAMPLE00", "secret" * 6, "session" * 8,
                          datetime.now(timezone.utc) + timedelta(hours=1))


def _document(endpoint: CredentialEndpoint) -> dict[str, str]:
    request = urllib.request.Request(endpoint.url, headers={"Authorization": endpoint.token})
    with urllib.request.urlopen(request, timeout=2) as answer:
        document: dict[str, str] = json.load(answer)
    return document


def _port(endpoint: CredentialEndpoint) -> int:
    port = urlsplit(endpoint.url).port
    assert port is not None
    return port


def test_a_non_ascii_authorization_header_gets_a_clean_403(
        capfd: pytest.CaptureFixture[str]) -> None:
    with CredentialEndpoint(lambda: CREDENTIALS) as endpoint, socket.create_connection(
            ("127.0.0.1", _port(endpoint)), timeout=2) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Authorization: \xc3\xa9t\xc3\xa9\xff\r\n\r\n")
        status_line = client.makefile("rb").readline()
        assert status_line.split()[1] == b"403"
        assert _document(endpoint)["AccessKeyId"] == CREDENTIALS.access_key_id
    assert "Traceback" not in capfd.readouterr().err


def test_a_silent_connection_does_not_stall_the_endpoint() -> None:
    with CredentialEndpoint(lambda: CREDENTIALS) as endpoint, socket.create_connection(
            ("127.0.0.1", _port(endpoint))):
        assert _document(endpoint)["Token"] == CREDENTIALS.session_token


def test_another_user_is_refused_even_with_the_token() -> None:
    with CredentialEndpoint(lambda: CREDENTIALS, "111122223333") as endpoint:
        assert refused(fetch_as_other_user(endpoint.url, {"Authorization": endpoint.token}))
        assert endpoint.refused == 1 and endpoint.served == 0
        assert _document(endpoint)["AccountId"] == "111122223333"
        assert endpoint.served == 1
        with pytest.raises(urllib.error.HTTPError) as wrong:
            urllib.request.urlopen(urllib.request.Request(
                endpoint.url, headers={"Authorization": "guess"}), timeout=2)
        assert wrong.value.code == 403
