"""One target per account and role, whatever the number of sources that reach it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from switcher.arn import DEFAULT_PARTITION, DEFAULT_PATH
from switcher.model import Account, Target


def merge_accounts(first: Account, second: Account) -> Account:
    """What both sources know of one account; the first source wins where both know."""
    return Account(first.account_id, first.name or second.name, first.email or second.email,
                   first.ou_path or second.ou_path, first.tags or second.tags,
                   first.console_color or second.console_color)


def merge_targets(*groups: Iterable[Target]) -> list[Target]:
    merged: dict[str, Target] = {}
    accounts: dict[str, Account] = {}
    for group in groups:
        for target in group:
            known = accounts.get(target.account_id)
            accounts[target.account_id] = (target.account if known is None
                                           else merge_accounts(known, target.account))
            existing = merged.get(target.key)
            if existing is None:
                merged[target.key] = target
                continue
            ways = existing.ways + tuple(w for w in target.ways if w not in existing.ways)
            profiles = existing.profile_names + tuple(
                p for p in target.profile_names if p not in existing.profile_names)
            merged[target.key] = replace(
                existing, ways=ways, region=existing.region or target.region,
                profile_names=profiles,
                explicit_environment=existing.explicit_environment or target.explicit_environment,
                explicit_color=existing.explicit_color or target.explicit_color,
                problem=existing.problem if existing.problem and target.problem else "",
                # A source that names the role without its path or partition (SSO, a bare
                # role name) knows less than one that has its ARN.
                role_path=(existing.role_path if existing.role_path != DEFAULT_PATH
                           else target.role_path),
                partition=(existing.partition if existing.partition != DEFAULT_PARTITION
                           else target.partition))
    result = [replace(t, account=accounts[t.account_id]) for t in merged.values()]
    return sorted(result, key=lambda t: (t.account.name.lower() or "~", t.account.account_id,
                                         t.role_name.lower()))
