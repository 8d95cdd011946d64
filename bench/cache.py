"""Loading the cached inventory: how long the app waits before it can show a list."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from switcher.emulator.organization import generated_organization
from switcher.environments import classify_all
from switcher.model import Account, SourceKind, Target, Way
from switcher.store.inventory import InventoryCache

BENCH_START_URL = "https://bench.invalid/start"
"""The Identity Center instance of the synthetic targets (a cached discovery counts only for
an instance the AWS config still names: bench/tui.py's config names this one)."""


def synthetic_targets(accounts: int) -> list[Target]:
    organization = generated_organization(accounts)
    way = Way(SourceKind.SSO, sso_session="bench", start_url=BENCH_START_URL,
              sso_region="us-east-1")
    targets = [Target(Account(a.account_id, a.name, a.email, organization.ou_path(a),
                              tuple(a.tags.items())), role, (way,))
               for a in organization.account_list() for role in a.permission_sets]
    return classify_all(targets)


def main() -> None:
    print(f"{'cached inventory':<34} {'targets':>8} {'median':>8} {'min':>8} {'max':>8} "
          f"{'size':>8}")
    for accounts in (1_000, 10_000):
        targets = synthetic_targets(accounts)
        with tempfile.TemporaryDirectory() as folder:
            cache = InventoryCache(Path(folder) / "inventory.json")
            cache.save(targets)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                loaded = cache.load()
                times.append(time.perf_counter() - started)
                assert loaded is not None and len(loaded.targets) == len(targets)
                del loaded  # freeing the last load is not part of the next one
            size = cache.path.stat().st_size / 1e6
        print(f"{f'{accounts:,} accounts':<34} {len(targets):>8,} "
              f"{statistics.median(times) * 1000:>6.0f}ms {min(times) * 1000:>6.0f}ms "
              f"{max(times) * 1000:>6.0f}ms {size:>6.1f}MB")


if __name__ == "__main__":
    main()
