"""Profiles in ~/.aws/config as a source: every profile that names an account and a role
(sso profiles, role_arn chains of any depth), and profiles with keys or a credential_process
whose account is known (`aws_account_id`). Broken chains (source_profile loops, missing
sources) are kept, marked with the problem, so the user sees them instead of a crash."""

from __future__ import annotations

import re

from switcher.model import ACCOUNT_ID_PATTERN, Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig

ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")
CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")


def chain_problem(config: AwsConfig, credentials: AwsConfig, name: str) -> str:
    """Why the role chain that starts at profile `name` cannot work, or ''."""
    seen: list[str] = []
    current = name
    while True:
        if current in seen:
            return "source_profile loop: " + " -> ".join([*seen, current])
        seen.append(current)
        values = config.profiles.get(current)
        if values is None:
            if current in credentials.profiles:
                return ""
            return f"source profile {current!r} does not exist"
        if not values.get("role_arn"):
            return ""
        if values.get("source_profile") and values.get("credential_source"):
            return f"profile {current!r} has both source_profile and credential_source"
        if values.get("credential_source"):
            source = values["credential_source"]
            return "" if source in CREDENTIAL_SOURCES else (
                f"profile {current!r}: unknown credential_source {source!r}")
        if not values.get("source_profile"):
            return f"profile {current!r} has role_arn but no source_profile"
        current = values["source_profile"]


def profile_targets(config: AwsConfig, credentials: AwsConfig | None = None) -> list[Target]:
    keys = credentials or AwsConfig(config.path)
    targets: list[Target] = []
    for name, values in config.profiles.items():
        region = values.get("region", "")
        way = Way(SourceKind.PROFILE, profile=name)
        if values.get("sso_account_id") and values.get("sso_role_name"):
            account = Account(values["sso_account_id"], "")
            targets.append(Target(account, values["sso_role_name"], (way,), region, (name,)))
            continue
        match = ROLE_ARN.match(values.get("role_arn", ""))
        if match:
            targets.append(Target(Account(match.group(1), ""), match.group(2), (way,), region,
                                  (name,), problem=chain_problem(config, keys, name)))
            continue
        account_id = values.get("aws_account_id") or keys.profiles.get(name, {}).get(
            "aws_account_id", "")
        has_keys = bool(values.get("credential_process") or values.get("aws_access_key_id")
                        or keys.profiles.get(name, {}).get("aws_access_key_id"))
        if has_keys and ACCOUNT_ID_PATTERN.match(account_id):
            role = "credential_process" if values.get("credential_process") else "IAM user"
            targets.append(Target(Account(account_id, ""), role, (way,), region, (name,)))
    return targets
