"""Token cache files with extreme or odd times: never an overflow, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.auth.token_cache import SsoInstance, TokenCache
from switcher.paths import sso_cache_dir
from switcher.workspace import Workspace
from tests.conftest import Setup

EXTREMES = ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59-05:00", "-62135596800", "1969-12-31T23:59:59Z", "", "soon"]


def _write_token(cache: Path, instance: SsoInstance, expires_at: str) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{instance.cache_key}.json").write_text(json.dumps(
        {"startUrl": instance.start_url, "region": instance.region,
         "accessToken": "token", "expiresAt": expires_at}))


@pytest.mark.parametrize("expires_at", EXTREMES)
def test_extreme_expiry_times_are_read_or_ignored(tmp_path: Path, expires_at: str) -> None:
    instance = SsoInstance("https://example.awsapps.com/start", "us-east-1", "s")
    _write_token(tmp_path, instance, expires_at)
    token = TokenCache(tmp_path).load(instance)
    if token is not None:
        assert token.usable() is expires_at.startswith("9999")


@pytest.mark.parametrize("expires_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00"])
def test_the_cli_lives_with_extreme_expiry_times(signed_in: Workspace, setup: Setup,
                                                 expires_at: str) -> None:
    instance = signed_in.instances()[0]
    _write_token(sso_cache_dir(), instance, expires_at)
    for command in (["list", "--refresh"], ["exec", "storefront-dev/ReadOnlyAccess", "--",
                                            "true"]):
        finished = subprocess.run([sys.executable, "-m", "switcher", *command],
                                  capture_output=True, text=True, timeout=120, check=False)
        assert "Traceback" not in finished.stderr
        assert "unexpected error" not in finished.stderr, finished.stderr
