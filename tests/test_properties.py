"""Property-based tests: every parser survives any input (hypothesis)."""

from __future__ import annotations

import string
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from switcher.actions.console import ConsoleEndpoints
from switcher.actions.shell import exports
from switcher.auth.token_cache import SsoInstance, TokenCache
from switcher.environments import classify, normalize_color, readable_foreground, words
from switcher.errors import ConfigError, ConsoleError
from switcher.model import Account, Target
from switcher.sources.profiles import profile_targets
from switcher.sources.switchroles import parse_aesr
from switcher.store.awsconfig import load_aws_config
from switcher.store.inventory import InventoryCache
from switcher.store.settings import load_settings
from switcher.tui.text import visible

INI_ALPHABET = st.sampled_from([*string.printable, "[", "]", "=", "\x1b", "é", "\x00"])
ini_text = st.lists(st.one_of(
    st.just("[profile a]\n"), st.just("[sso-session s]\n"), st.just("[default]\n"),
    st.just("role_arn = arn:aws:iam::123456789012:role/R\n"), st.just("source_profile = a\n"),
    st.just("sso_account_id = 123456789012\n"), st.just("sso_role_name = R\n"),
    st.just("aws_account_id = 123456789012\n"), st.just("role_name = R\n"),
    st.text(INI_ALPHABET, max_size=40)), max_size=30).map("".join)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(text: str | bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "replace"))
    return path


@FAST
@given(ini_text)
def test_aesr_never_raises(text: str) -> None:
    entries = parse_aesr(text, "x.ini", frozenset({"a"}))
    assert all(w.startswith("x.ini:") for w in entries.warnings)


@FAST
@given(ini_text)
def test_aws_config_raises_only_config_errors(text: str) -> None:
    path = _write(text, "config")
    try:
        config = load_aws_config(path)
    except ConfigError as error:
        assert str(path) in str(error)
        return
    profile_targets(config)


@FAST
@given(st.text(max_size=200))
def test_settings_raise_only_config_errors(text: str) -> None:
    path = _write(text, "config.toml")
    try:
        load_settings(path)
    except ConfigError as error:
        assert str(path) in str(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["version", "accounts", "ways", "targets", "a", "r", "w", "e", "id",
                         "kind", "accessToken", "expiresAt", "startUrl"]), children,
        max_size=6), max_leaves=20)


@FAST
@given(json_values)
def test_inventory_cache_never_raises(value: object) -> None:
    import json

    path = _write(json.dumps(value), "inventory.json")
    loaded = InventoryCache(path).load()
    assert loaded is None or isinstance(loaded.targets, list)


@FAST
@given(json_values)
def test_token_cache_never_raises(value: object) -> None:
    import json

    instance = SsoInstance("https://x/start", "us-east-1", "s")
    path = _write(json.dumps(value), f"{instance.cache_key}.json")
    TokenCache(path.parent).load(instance)


@FAST
@given(st.text(max_size=60), st.text(max_size=30), st.text(max_size=30))
def test_classification_of_any_name(name: str, ou: str, color: str) -> None:
    target = Target(Account("123456789012", name, ou_path=ou, console_color=color), "R", ())
    environment, reason = classify(target)
    assert reason and environment
    assert all(word == word.lower() for word in words(name))
    assert readable_foreground(normalize_color(color) or "#000000") in ("#000000", "#ffffff")


@FAST
@given(st.text(max_size=80))
def test_visible_leaves_no_control_characters(text: str) -> None:
    shown = visible(text)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown)


@FAST
@given(st.text(max_size=60))
def test_any_destination_is_a_url_or_a_clear_error(path: str) -> None:
    try:
        url = ConsoleEndpoints().destination("eu-west-1", path)
    except ConsoleError:
        return
    assert url.startswith("https://")


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
               max_size=40))
def test_sh_exports_round_trip_through_a_real_shell(value: str) -> None:
    script = exports({"SWITCHER_TEST_VALUE": value}, (), "sh") + (
        'printf %s "$SWITCHER_TEST_VALUE"')
    shown = subprocess.run(["sh", "-c", script], capture_output=True, check=True).stdout
    assert shown.decode("utf-8", "surrogateescape") == value
