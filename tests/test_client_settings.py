"""An AWS SDK setting the SDK refuses (a broken endpoint URL, an unknown STS endpoints mode) is
one line naming the service and what is wrong, not an unexpected error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from switcher.clients import ClientFactory
from switcher.errors import ConfigError
from switcher.workspace import Workspace


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("AWS_ENDPOINT_URL_SSO", "http://[::1", "Invalid IPv6 URL"),
    ("AWS_STS_REGIONAL_ENDPOINTS", "bogus", "bogus"),
])
def test_a_setting_the_sdk_refuses_is_a_config_error(monkeypatch: pytest.MonkeyPatch,
                                                     variable: str, value: str,
                                                     said: str) -> None:
    monkeypatch.setenv(variable, value)
    service = "sso" if variable.endswith("SSO") else "sts"
    with pytest.raises(ConfigError, match=said) as raised:
        ClientFactory().client(service, "us-east-1", unsigned=service == "sso")
    assert f"settings for {service} cannot be used" in str(raised.value)


def test_the_command_line_says_it_in_one_line(signed_in: Workspace) -> None:
    environment = {**os.environ, "AWS_ENDPOINT_URL_SSO": "http://[::1",
                   "AWS_SECRET_ACCESS_KEY": "SECRETVALUE123"}
    finished = subprocess.run([sys.executable, "-m", "switcher", "list", "--refresh"],
                              env=environment, capture_output=True, text=True, timeout=120,
                              check=False)
    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        "switcher: error: The AWS SDK's settings for sso cannot be used (ValueError: Invalid "
        "IPv6 URL); check the AWS_* variables and the [default] profile"]
    assert "SECRETVALUE123" not in finished.stderr + finished.stdout
