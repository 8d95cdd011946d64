"""Profiles in ~/.aws/config as a source: every profile that names an account and a role
(sso profiles, role_arn chains of any depth), and profiles with keys or a credential_process
whose account is known (`aws_account_id`). Broken chains (source_profile loops, missing
sources) are kept, marked with the problem, so the user sees them instead of a crash."""

from __future__ import annotations

from switcher.arn import ArnError, RoleArn, parse_role_arn
from switcher.model import ACCOUNT_ID_PATTERN, Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig

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


def _role(role_arn: str) -> RoleArn | None:
    """The role a profile's role_arn names, or None: a role_arn that is not a role's ARN names
    no account to list the profile under (STS says what is wrong if the profile is used)."""
    if not role_arn:
        return None
    try:
        return parse_role_arn(role_arn)
    except ArnError:
        return None


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
        role = _role(values.get("role_arn", ""))
        if role is not None:
            targets.append(Target(Account(role.account_id, ""), role.name, (way,), region,
                                  (name,), problem=chain_problem(config, keys, name),
                                  role_path=role.path, partition=role.partition))
            continue
        account_id = values.get("aws_account_id") or keys.profiles.get(name, {}).get(
            "aws_account_id", "")
        has_keys = bool(values.get("credential_process") or values.get("aws_access_key_id")
                        or keys.profiles.get(name, {}).get("aws_access_key_id"))
        if has_keys and ACCOUNT_ID_PATTERN.match(account_id):
            kind = "credential_process" if values.get("credential_process") else "IAM user"
            targets.append(Target(Account(account_id, ""), kind, (way,), region, (name,)))
    return targets
