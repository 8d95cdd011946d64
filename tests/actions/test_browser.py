"""The sign-in URL reaches the browser through a one-time local redirect, never argv."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from switcher.actions.browser import INTERNAL, OneTimeRedirect, open_in_browser
from switcher.workspace import Workspace
from tests.other_user import fetch_as_other_user, refused


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_redirect_serves_once() -> None:
    redirect = OneTimeRedirect("https://example.invalid/secret?SigninToken=abc", timeout=10)
    assert "SigninToken" not in redirect.url
    opener = urllib.request.build_opener(_NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as first:
        opener.open(redirect.url, timeout=5)
    assert first.value.code == 302
    assert first.value.headers["Location"] == "https://example.invalid/secret?SigninToken=abc"
    assert redirect.wait(1)
    with pytest.raises((urllib.error.HTTPError, urllib.error.URLError, ConnectionError)):
        opener.open(redirect.url, timeout=2)


def test_wrong_path_is_refused() -> None:
    redirect = OneTimeRedirect("https://example.invalid/", timeout=5)
    base = redirect.url.rsplit("/", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "/guess", timeout=5)
    assert refused.value.code == 404
    assert not redirect.served.is_set()


def _taken(redirect: OneTimeRedirect) -> bool:
    """Whether a GET of the redirect's address gets the redirect (else 404/410 or no server)."""
    try:
        urllib.request.build_opener(_NoRedirect()).open(redirect.url, timeout=2)
    except urllib.error.HTTPError as answer:
        return answer.code == 302
    except (urllib.error.URLError, ConnectionError):
        return False
    return False


def test_a_silent_connection_does_not_stall_the_redirect() -> None:
    redirect = OneTimeRedirect("https://example.invalid/", timeout=10)
    port = urlsplit(redirect.url).port
    assert port is not None
    with socket.create_connection(("127.0.0.1", port)):  # connects and says nothing
        assert _taken(redirect)
    assert redirect.wait(1)
    redirect.close()


def test_the_deadline_is_seconds_not_requests() -> None:
    patient = OneTimeRedirect("https://example.invalid/", timeout=5)
    base = patient.url.rsplit("/", 1)[0]
    for _ in range(10):  # requests for other paths do not use up the time
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "/guess", timeout=2)
    assert _taken(patient) and patient.wait(1)
    assert not _taken(patient)  # once only: 410 Gone until the deadline
    patient.close()
    hasty = OneTimeRedirect("https://example.invalid/", timeout=0.3)
    started = time.monotonic()
    assert not hasty.wait()  # returns at the deadline, nobody having taken it
    assert 0.25 <= time.monotonic() - started < 1
    assert not _taken(hasty)


def test_another_user_cannot_take_the_redirect() -> None:
    redirect = OneTimeRedirect("https://example.invalid/?SigninToken=secret", timeout=30)
    assert refused(fetch_as_other_user(redirect.url))
    assert redirect.refused == 1
    assert not redirect.wait(0)  # the refused attempt did not use up the one use
    assert _taken(redirect) and redirect.wait(1)
    redirect.close()


def test_browser_command_gets_only_the_local_address(tmp_path: Path) -> None:
    record = tmp_path / "argv"
    redirect = open_in_browser("https://example.invalid/?SigninToken=secret",
                               f"sh -c 'echo \"$0\" > {record}' {{url}}")
    for _ in range(50):
        if record.exists() and record.read_text().strip():
            break
        time.sleep(0.05)
    argv = record.read_text()
    assert redirect.url in argv and "secret" not in argv


def test_internal_browser_follows_to_the_page(signed_in: Workspace) -> None:
    target, _ = signed_in.resolve("payments-staging/PowerUserAccess")
    redirect = open_in_browser(signed_in.console_url(target, "ap-south-1"), INTERNAL)
    assert redirect.landed.wait(10)
    assert "payments-staging" in redirect.landing_page
    assert "ap-south-1" in redirect.landing_page
