"""The first run's checks, shared by the app's welcome and `switcher setup`: start URLs, and
AESR files that must hold a switch role."""

from __future__ import annotations

from pathlib import Path

import pytest

from switcher.errors import ConfigError
from switcher.services import setup


@pytest.mark.parametrize("url", ["https://d-1234567890.awsapps.com/start",
                                 "https://acme.awsapps.com/start/",
                                 "http://127.0.0.1:8123/start", "http://localhost:8123/start"])
def test_start_urls_taken(url: str) -> None:
    assert setup.check_start_url(f"  {url} ") == url


@pytest.mark.parametrize(("url", "said"), [
    ("acme.awsapps.com", "is not a start URL"),
    ("https://nowhere", "its host has no domain"),
    ("http://acme.awsapps.com/start", "a start URL is https://"),
    ("https://acme.awsapps.com/st art", "no spaces or control characters"),
    ("https://acme.awsapps.com/\x1b[31m", "no spaces or control characters"),
])
def test_start_urls_refused(url: str, said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        setup.check_start_url(url)
    assert said in str(refused.value) and "\x1b" not in str(refused.value)


def test_an_aesr_file_must_hold_a_switch_role(tmp_path: Path) -> None:
    aesr = tmp_path / "aesr.ini"
    aesr.write_text("[dev]\naws_account_id = 123456789012\nrole_name = Admin\n")
    assert setup.check_aesr_file(aesr) == 1
    for text in ("[default]\nregion = eu-west-1\n", "", "\x00\xff binary"):
        aesr.write_text(text)
        with pytest.raises(ConfigError, match="is not an AWS Extend Switch Roles file"):
            setup.check_aesr_file(aesr)
    with pytest.raises(ConfigError, match="no such file"):
        setup.check_aesr_file(tmp_path / "missing.ini")
    with pytest.raises(ConfigError, match="no such file"):
        setup.check_aesr_file(tmp_path)  # a folder is not a file
