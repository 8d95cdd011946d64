"""The inventory cache: the last complete list of targets, so switcher opens at once."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.store.atomic import write_private

log = logging.getLogger(__name__)
FORMAT_VERSION = 3


@dataclass(frozen=True)
class CachedInventory:
    targets: list[Target]
    saved_at: float


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
    return Account(str(data["id"]), str(data.get("name", "")), str(data.get("email", "")),
                   str(data.get("ou_path", "")),
                   tuple((str(k), str(v)) for k, v in data["tags"]) if "tags" in data else (),
                   str(data.get("console_color", "")))


def encode(targets: list[Target]) -> dict[str, Any]:
    """Accounts and ways are stored once each and referred to by index: an organisation's
    thousands of targets share a handful of ways and one account per three roles."""
    accounts: dict[Account, int] = {}
    ways: dict[Way, int] = {}
    rows = []
    for target in targets:
        row: dict[str, Any] = {
            "a": accounts.setdefault(target.account, len(accounts)),
            "r": target.role_name,
            "w": [ways.setdefault(way, len(ways)) for way in target.ways],
            "e": target.environment.value, "c": target.color,
        }
        optional = {"region": target.region, "profiles": list(target.profile_names),
                    "explicit_environment": target.explicit_environment,
                    "explicit_color": target.explicit_color, "problem": target.problem}
        row.update({key: value for key, value in optional.items() if value})
        rows.append(row)
    return {"accounts": [_account_to_dict(a) for a in accounts],
            "ways": [_way_to_dict(w) for w in ways], "targets": rows}


def decode(data: dict[str, Any]) -> list[Target]:
    accounts = [_account_from_dict(item) for item in data["accounts"]]
    ways = [_way_from_dict(item) for item in data["ways"]]
    environments = {e.value: e for e in Environment}
    return [Target(accounts[row["a"]], str(row["r"]), tuple(ways[i] for i in row["w"]),
                   str(row.get("region", "")), tuple(row.get("profiles", ())),
                   environments[row.get("e", "unknown")], str(row.get("c", "")),
                   str(row.get("explicit_environment", "")),
                   str(row.get("explicit_color", "")), str(row.get("problem", "")))
            for row in data["targets"]]


class InventoryCache:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> CachedInventory | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION:
                return None
            return CachedInventory(decode(data), float(data.get("saved_at", 0)))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError) as error:
            log.warning("ignoring the unreadable inventory cache %s: %s", self.path, error)
            return None

    def save(self, targets: list[Target]) -> None:
        payload = {"version": FORMAT_VERSION, "saved_at": time.time(), **encode(targets)}
        write_private(self.path, json.dumps(payload, separators=(",", ":")))
