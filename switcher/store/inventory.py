"""The inventory cache: the last complete list of targets, so switcher opens at once."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from switcher.model import Account, SourceKind, Target, Way
from switcher.store.atomic import write_private

log = logging.getLogger(__name__)
FORMAT_VERSION = 1


@dataclass(frozen=True)
class CachedInventory:
    targets: list[Target]
    saved_at: float


def target_to_dict(target: Target) -> dict[str, Any]:
    return {
        "account_id": target.account_id, "account_name": target.account_name,
        "email": target.account.email, "role_name": target.role_name, "region": target.region,
        "profiles": list(target.profile_names),
        "ways": [{"kind": w.kind.value, "sso_session": w.sso_session, "start_url": w.start_url,
                  "sso_region": w.sso_region, "profile": w.profile} for w in target.ways],
    }


def target_from_dict(data: dict[str, Any]) -> Target:
    ways = tuple(Way(SourceKind(w["kind"]), w.get("sso_session", ""), w.get("start_url", ""),
                     w.get("sso_region", ""), w.get("profile", "")) for w in data["ways"])
    return Target(Account(str(data["account_id"]), str(data.get("account_name", "")),
                          str(data.get("email", ""))),
                  str(data["role_name"]), ways, str(data.get("region", "")),
                  tuple(data.get("profiles", ())))


class InventoryCache:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> CachedInventory | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION:
                return None
            targets = [target_from_dict(item) for item in data["targets"]]
            return CachedInventory(targets, float(data.get("saved_at", 0)))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("ignoring the unreadable inventory cache %s: %s", self.path, error)
            return None

    def save(self, targets: list[Target]) -> None:
        payload = {"version": FORMAT_VERSION, "saved_at": time.time(),
                   "targets": [target_to_dict(t) for t in targets]}
        write_private(self.path, json.dumps(payload, separators=(",", ":")))
