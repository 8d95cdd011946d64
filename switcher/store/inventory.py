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
FORMAT_VERSION = 2


@dataclass(frozen=True)
class CachedInventory:
    targets: list[Target]
    saved_at: float


_WAY_FIELDS = ("sso_session", "start_url", "sso_region", "profile", "source_profile", "origin",
               "display_name", "color", "external_id")


def target_to_dict(target: Target) -> dict[str, Any]:
    account = target.account
    data: dict[str, Any] = {
        "account_id": account.account_id, "account_name": account.name,
        "role_name": target.role_name,
        "ways": [{"kind": w.kind.value,
                  **{name: getattr(w, name) for name in _WAY_FIELDS if getattr(w, name)}}
                 for w in target.ways],
        "environment": target.environment.value, "color": target.color,
    }
    optional = {"email": account.email, "ou_path": account.ou_path,
                "tags": [list(tag) for tag in account.tags],
                "console_color": account.console_color, "region": target.region,
                "profiles": list(target.profile_names),
                "explicit_environment": target.explicit_environment,
                "explicit_color": target.explicit_color, "problem": target.problem}
    data.update({key: value for key, value in optional.items() if value})
    return data


def target_from_dict(data: dict[str, Any]) -> Target:
    ways = tuple(Way(SourceKind(w["kind"]), **{name: str(w.get(name, "")) for name in _WAY_FIELDS})
                 for w in data["ways"])
    account = Account(str(data["account_id"]), str(data.get("account_name", "")),
                      str(data.get("email", "")), str(data.get("ou_path", "")),
                      tuple((str(k), str(v)) for k, v in data.get("tags", ())),
                      str(data.get("console_color", "")))
    return Target(account, str(data["role_name"]), ways, str(data.get("region", "")),
                  tuple(data.get("profiles", ())),
                  Environment(data.get("environment", "unknown")), str(data.get("color", "")),
                  str(data.get("explicit_environment", "")), str(data.get("explicit_color", "")),
                  str(data.get("problem", "")))


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
