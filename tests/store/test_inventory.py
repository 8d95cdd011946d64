"""The inventory cache gives back the targets it was given, field for field."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.store.inventory import InventoryCache

text = st.text(max_size=12)
accounts = st.builds(Account, st.from_regex(r"\A\d{12}\Z"), text, text, text,
                     st.lists(st.tuples(text, text), max_size=2).map(tuple), text)
ways = st.builds(Way, st.sampled_from(SourceKind), text, text, text, text, text, text, text,
                 text, text)
targets = st.builds(Target, accounts, text, st.lists(ways, min_size=1, max_size=3).map(tuple),
                    text, st.lists(text, max_size=2).map(tuple), st.sampled_from(Environment),
                    text, text, text, text, text, text)


def test_every_field_survives_the_round_trip(tmp_path: Path) -> None:
    way = Way(SourceKind.SWITCH_ROLE, "s", "https://x/start", "eu-west-1", "p", "base",
              "aesr.ini", "Prod admin", "#ff0000", "ext-1")
    target = Target(Account("123456789012", "prod", "ops@example.com", "Root/Prod",
                            (("env", "prod"),), "red"), "Admin", (way,), "eu-west-2",
                    ("prod-admin",), Environment.PRODUCTION, "#d13212", "production",
                    "#ff0000", "a loop", "/team/", "aws-us-gov")
    cache = InventoryCache(tmp_path / "inventory.json")
    cache.save([target])
    loaded = cache.load()
    assert loaded is not None
    [back] = loaded.targets
    assert back == target and hash(back) == hash(target)
    for field in dataclasses.fields(Target):
        assert getattr(back, field.name) == getattr(target, field.name), field.name
    assert back.key == "123456789012/Admin"
    assert dataclasses.replace(back, role_name="Read").role_name == "Read"


@settings(max_examples=60, deadline=None)
@given(st.lists(targets, max_size=5))
def test_any_targets_survive_the_round_trip(values: list[Target]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        cache = InventoryCache(Path(folder) / "inventory.json")
        cache.save(values)
        loaded = cache.load()
        assert loaded is not None
        assert loaded.targets == values


@pytest.mark.parametrize("planted_by", ["another user", "anyone (mode 0666)"])
def test_a_cache_another_user_could_plant_is_not_read(tmp_path: Path, planted_by: str) -> None:
    """A planted inventory could rename a production account and call it a sandbox, and so
    take its guard away on the paths that classify from the cache."""
    if planted_by == "another user" and os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    target = Target(Account("123456789012", "prod"), "Admin", (
        Way(SourceKind.SSO, "sso:org", "https://x/start", "eu-west-1"),),
        environment=Environment.SANDBOX)
    cache = InventoryCache(tmp_path / "inventory.json")
    cache.save([target])
    assert cache.load() is not None
    if planted_by == "another user":
        os.chown(cache.path, 65534, 65534)
    else:
        cache.path.chmod(0o666)
    assert cache.load() is None
