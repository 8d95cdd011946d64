"""The sign-in URL reaches the browser through a one-time local redirect, never argv."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from switcher.actions.browser import INTERNAL, OneTimeRedirect, open_in_browser
from switcher.workspace import Workspace


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
