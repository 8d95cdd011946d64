"""The hostile-input corpus (tests/corpus, 200+ files): every parser either reads a file, skips
what it cannot use with a warning, or refuses it with a clear error naming the file (and line
where there is one). Never a traceback, never a crash of the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from switcher.auth.token_cache import SsoInstance, TokenCache
from switcher.errors import ConfigError
from switcher.sources.profiles import chain_problem, profile_targets
from switcher.sources.switchroles import parse_aesr
from switcher.store.awsconfig import AwsConfig, load_aws_config, load_credentials_file
from switcher.store.inventory import InventoryCache
from switcher.store.settings import load_settings
from tests.conftest import Setup

CORPUS = Path(__file__).parent / "corpus"


def _files(kind: str) -> list[Path]:
    return sorted((CORPUS / kind).iterdir())


def test_the_corpus_has_200_bad_inputs() -> None:
    assert len(list(CORPUS.rglob("*.*"))) >= 200


@pytest.mark.parametrize("path", _files("awsconfig"), ids=lambda p: p.name)
def test_aws_config(path: Path) -> None:
    try:
        config = load_aws_config(path)
    except ConfigError as error:
        assert str(error).startswith(str(path))
        return
    credentials = AwsConfig(path)
    for target in profile_targets(config, credentials):
        assert isinstance(target.problem, str)
    for name in config.profiles:
        chain_problem(config, credentials, name)


@pytest.mark.parametrize("path", _files("credentials"), ids=lambda p: p.name)
def test_credentials_file(path: Path) -> None:
    try:
        load_credentials_file(path)
    except ConfigError as error:
        assert str(error).startswith(str(path))


@pytest.mark.parametrize("path", _files("aesr"), ids=lambda p: p.name)
def test_aesr(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    entries = parse_aesr(text, path.name, frozenset({"base"}))
    for warning in entries.warnings:
        assert warning.startswith(f"{path.name}:")
    for target in entries.targets:
        assert len(target.account_id) == 12 and target.account_id.isdigit()


@pytest.mark.parametrize("path", _files("config_toml"), ids=lambda p: p.name)
def test_config_toml(path: Path) -> None:
    try:
        settings = load_settings(path)
    except ConfigError as error:
        assert str(error).startswith(str(path))
        return
    for warning in settings.warnings:
        assert warning.startswith(str(path))


@pytest.mark.parametrize("path", _files("inventory_cache"), ids=lambda p: p.name)
def test_inventory_cache(path: Path) -> None:
    loaded = InventoryCache(path).load()
    assert loaded is None or all(t.account_id for t in loaded.targets)


@pytest.mark.parametrize("path", _files("token_cache"), ids=lambda p: p.name)
def test_token_cache(path: Path, tmp_path: Path) -> None:
    instance = SsoInstance("https://x/start", "us-east-1", "s")
    shutil.copy(path, tmp_path / f"{instance.cache_key}.json")
    token = TokenCache(tmp_path).load(instance)
    assert token is None or token.start_url in ("", "https://x/start")


def test_the_rest_still_loads_with_broken_files(setup: Setup) -> None:
    """Broken AESR file, broken cache, broken token: `switcher list` still lists."""
    setup.sign_in(setup.workspace())
    cache = Path(os.environ["SWITCHER_CACHE_DIR"]) / "inventory.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / "inventory_cache" / "truncated.json", cache)
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[aesr]\nsources = ["{CORPUS / "aesr" / "duplicate-section.ini"}", '
        f'"{CORPUS / "aesr" / "binary.ini"}"]\n')
    finished = subprocess.run([sys.executable, "-m", "switcher", "list"], capture_output=True,
                              text=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert "duplicate-section.ini:4: profile [a] is defined twice" in finished.stderr
    assert "storefront-prod" in finished.stdout
