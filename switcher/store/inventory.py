"""The inventory cache: the last complete remote discovery (Identity Center, Organizations, AESR
URLs), so switcher opens at once; the offline sources are read afresh on every run."""

from __future__ import annotations

import gc
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from switcher.arn import DEFAULT_PARTITION, DEFAULT_PATH
from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.store.reading import CACHE_LIMIT, read_regular_text

log = logging.getLogger(__name__)
FORMAT_VERSION = 6
"""5: only remote discovery is cached (4 held the merged list, files included).
6: role names without their path (a path role was `team/Admin` from some sources)."""


@dataclass(frozen=True)
class CachedInventory:
    targets: list[Target]
    saved_at: float
    fingerprint: str = ""
    """What the list was made from, when that matters (see Inventory.cached)."""


_WAY_FIELDS = ("sso_session", "start_url", "sso_region", "profile", "source_profile", "origin",
               "display_name", "color", "external_id")


def _way_to_dict(way: Way) -> dict[str, str]:
    return {"kind": way.kind.value,
            **{name: getattr(way, name) for name in _WAY_FIELDS if getattr(way, name)}}


def _way_from_dict(data: dict[str, Any]) -> Way:
    return Way(SourceKind(data["kind"]), **{name: str(data.get(name, "")) for name in _WAY_FIELDS})


def _account_to_dict(account: Account) -> dict[str, Any]:
    data: dict[str, Any] = {"id": account.account_id, "name": account.name}
    optional = {"email": account.email, "ou_path": account.ou_path,
                "tags": [list(tag) for tag in account.tags],
                "console_color": account.console_color}
    data.update({key: value for key, value in optional.items() if value})
    return data


def _account_from_dict(data: dict[str, Any]) -> Account:
    account = object.__new__(Account)  # as decode makes targets (see _SLOT)
    _ACCOUNT_SLOT["account_id"](account, str(data["id"]))
    _ACCOUNT_SLOT["name"](account, str(data.get("name", "")))
    _ACCOUNT_SLOT["email"](account, str(data.get("email", "")))
    _ACCOUNT_SLOT["ou_path"](account, str(data.get("ou_path", "")))
    _ACCOUNT_SLOT["tags"](account, tuple((str(k), str(v)) for k, v in data["tags"])
                          if "tags" in data else ())
    _ACCOUNT_SLOT["console_color"](account, str(data.get("console_color", "")))
    return account


_ACCOUNT_SLOT = {name: getattr(Account, name).__set__ for name in Account.__slots__}


_EXTRA_FIELDS = {"region": "", "profile_names": (), "explicit_environment": "",
                 "explicit_color": "", "problem": "", "role_path": DEFAULT_PATH,
                 "partition": DEFAULT_PARTITION}
"""Rarer fields of a target and their defaults; a row stores only those that differ."""


def encode(targets: list[Target]) -> dict[str, Any]:
    """Accounts, ways and sets of ways are stored once each and referred to by index (an
    organisation's thousands of targets share a handful of ways and one account per three
    roles); a target is a short array, with a map only for its rarer fields."""
    accounts: dict[Account, int] = {}
    ways: dict[Way, int] = {}
    way_sets: dict[tuple[Way, ...], int] = {}
    rows: list[list[Any]] = []
    for target in targets:
        for way in target.ways:
            ways.setdefault(way, len(ways))
        row: list[Any] = [accounts.setdefault(target.account, len(accounts)), target.role_name,
                          way_sets.setdefault(target.ways, len(way_sets)),
                          target.environment.value, target.color]
        extra = {name: list(value) if isinstance(value, tuple) else value
                 for name, default in _EXTRA_FIELDS.items()
                 if (value := getattr(target, name)) != default}
        if extra:
            row.append(extra)
        rows.append(row)
    return {"accounts": [_account_to_dict(a) for a in accounts],
            "ways": [_way_to_dict(w) for w in ways],
            "way_sets": [[ways[way] for way in combination] for combination in way_sets],
            "targets": rows}


_SLOT = {name: getattr(Target, name).__set__ for name in Target.__slots__}
"""Each field's slot, set directly: a frozen dataclass's __init__ goes through
object.__setattr__ field by field, twice as slow, and the first frame waits for decode."""


def decode(data: dict[str, Any]) -> list[Target]:
    accounts = [_account_from_dict(item) for item in data["accounts"]]
    ways = [_way_from_dict(item) for item in data["ways"]]
    way_sets = [tuple(ways[i] for i in combination) for combination in data["way_sets"]]
    environments = {e.value: e for e in Environment}
    texts: dict[str, str] = {}
    """One copy of each role name and colour (JSON gives a new string for every row)."""
    new = object.__new__
    set_account, set_role, set_ways = _SLOT["account"], _SLOT["role_name"], _SLOT["ways"]
    set_region, set_profiles = _SLOT["region"], _SLOT["profile_names"]
    set_environment, set_color = _SLOT["environment"], _SLOT["color"]
    set_explicit_environment = _SLOT["explicit_environment"]
    set_explicit_color, set_problem = _SLOT["explicit_color"], _SLOT["problem"]
    set_path, set_partition = _SLOT["role_path"], _SLOT["partition"]
    targets = []
    for row in data["targets"]:
        target = new(Target)
        role, color = str(row[1]), str(row[4])
        set_account(target, accounts[row[0]])
        set_role(target, texts.setdefault(role, role))
        set_ways(target, way_sets[row[2]])
        set_environment(target, environments[row[3]])
        set_color(target, texts.setdefault(color, color))
        if len(row) > 5:
            extra = row[5]
            set_region(target, str(extra.get("region", "")))
            set_profiles(target, tuple(str(p) for p in extra.get("profile_names", ())))
            set_explicit_environment(target, str(extra.get("explicit_environment", "")))
            set_explicit_color(target, str(extra.get("explicit_color", "")))
            set_problem(target, str(extra.get("problem", "")))
            set_path(target, str(extra.get("role_path", DEFAULT_PATH)))
            set_partition(target, str(extra.get("partition", DEFAULT_PARTITION)))
        else:
            set_region(target, "")
            set_profiles(target, ())
            set_explicit_environment(target, "")
            set_explicit_color(target, "")
            set_problem(target, "")
            set_path(target, DEFAULT_PATH)
            set_partition(target, DEFAULT_PARTITION)
        targets.append(target)
    return targets


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoding makes tens of thousands of objects and no cycles; the cyclic collector would
    walk the whole heap several times meanwhile (a third of the load time in the app)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class InventoryCache:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> CachedInventory | None:
        try:
            with _collector_paused():
                data = json.loads(read_regular_text(self.path, CACHE_LIMIT, ours=True))
                if data.get("version") != FORMAT_VERSION:
                    return None
                return CachedInventory(decode(data), float(data.get("saved_at", 0)),
                                       str(data.get("fingerprint", "")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError) as error:
            log.warning("ignoring the unreadable inventory cache %s: %s", self.path, error)
            return None

    def fingerprint(self) -> str:
        """Which saved version is on disk ('' when none), without reading it."""
        try:
            info = self.path.stat()
        except OSError:
            return ""
        return f"{info.st_mtime_ns}:{info.st_size}:{info.st_ino}"

    def save(self, targets: list[Target], fingerprint: str = "",
             saved_at: float | None = None) -> None:
        from switcher.store.atomic import write_private  # tempfile: not for reading the cache

        payload = {"version": FORMAT_VERSION, "saved_at": time.time() if saved_at is None
                   else saved_at, "fingerprint": fingerprint, **encode(targets)}
        write_private(self.path, json.dumps(payload, separators=(",", ":")))
