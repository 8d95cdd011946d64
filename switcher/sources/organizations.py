"""AWS Organizations as a source: with a profile in the management account, every account of
the organisation (name, OU path, tags), offered with a role-name template such as
OrganizationAccountAccessRole, as the console's Switch Role does for new accounts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from switcher.arn import DEFAULT_PARTITION, ArnError, parse_arn, split_role_name
from switcher.clients import ClientFactory
from switcher.errors import ConfigError
from switcher.model import Account, Credentials, SourceKind, Target, Way
from switcher.text import clean_name

ORGANIZATIONS_REGION = "us-east-1"
TAG_WORKERS = 8


def _walk(client: Any, parent_id: str, path: str, found: dict[str, str]) -> None:
    """Fill `found` (account id -> OU path) below `parent_id`: two calls per OU."""
    for page in client.get_paginator("list_accounts_for_parent").paginate(ParentId=parent_id):
        for account in page["Accounts"]:
            found[account["Id"]] = path
    for page in client.get_paginator("list_organizational_units_for_parent").paginate(
            ParentId=parent_id):
        for unit in page["OrganizationalUnits"]:
            _walk(client, unit["Id"], f"{path}/{clean_name(unit['Name'])}", found)


def organization_targets(credentials: Credentials, clients: ClientFactory, source_profile: str,
                         role_name: str) -> list[Target]:
    """Every active account with the role `role_name` (which may carry a path,
    `team/Admin`, as in the console's Switch Role form)."""
    try:
        role_path, name = split_role_name(role_name, f"[organizations] role_name {role_name!r}")
    except ArnError as error:
        raise ConfigError(str(error)) from None
    client = clients.client("organizations", ORGANIZATIONS_REGION, credentials=credentials)
    accounts = [a for page in client.get_paginator("list_accounts").paginate()
                for a in page["Accounts"] if a.get("Status", "ACTIVE") == "ACTIVE"]
    paths: dict[str, str] = {}
    for root in client.list_roots()["Roots"]:
        _walk(client, root["Id"], "Root", paths)

    def tags_of(account_id: str) -> tuple[tuple[str, str], ...]:
        pages = client.get_paginator("list_tags_for_resource").paginate(ResourceId=account_id)
        return tuple((clean_name(t["Key"]), clean_name(t["Value"]))
                     for page in pages for t in page["Tags"])

    with ThreadPoolExecutor(max_workers=TAG_WORKERS, thread_name_prefix="org-tags") as pool:
        tags = list(pool.map(tags_of, [a["Id"] for a in accounts]))
    way = Way(SourceKind.ORGANIZATIONS, source_profile=source_profile)
    return [Target(Account(a["Id"], clean_name(a.get("Name", "")), clean_name(a.get("Email", "")),
                           paths.get(a["Id"], ""), account_tags), name, (way,),
                   role_path=role_path, partition=_partition_of(a))
            for a, account_tags in zip(accounts, tags, strict=True)]


def _partition_of(account: dict[str, Any]) -> str:
    """The partition in the account's ARN, where the role to assume lives too."""
    try:
        return parse_arn(str(account.get("Arn", ""))).partition
    except ArnError:
        return DEFAULT_PARTITION
