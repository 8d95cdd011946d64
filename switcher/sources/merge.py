"""One target per account and role, whatever the number of sources that reach it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from switcher.model import Account, Target


def merge_targets(*groups: Iterable[Target]) -> list[Target]:
    merged: dict[str, Target] = {}
    for group in groups:
        for target in group:
            existing = merged.get(target.key)
            if existing is None:
                merged[target.key] = target
                continue
            account = existing.account
            if not account.name and target.account.name:
                account = Account(account.account_id, target.account.name,
                                  account.email or target.account.email)
            ways = existing.ways + tuple(w for w in target.ways if w not in existing.ways)
            profiles = existing.profile_names + tuple(
                p for p in target.profile_names if p not in existing.profile_names)
            merged[target.key] = Target(account, existing.role_name, ways,
                                        existing.region or target.region, profiles)
    names = {t.account_id: t.account for t in merged.values() if t.account.name}
    for key, target in merged.items():
        if not target.account.name and target.account_id in names:
            merged[key] = replace(target, account=names[target.account_id])
    return sorted(merged.values(), key=lambda t: (t.account.name.lower() or "~",
                                                  t.account.account_id, t.role_name.lower()))
