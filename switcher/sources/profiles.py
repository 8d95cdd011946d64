"""Profiles in ~/.aws/config as a source: every profile that names an account and a role
(sso profiles and role_arn profiles) becomes a way into that target."""

from __future__ import annotations

import re

from switcher.model import Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig

ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")


def profile_targets(config: AwsConfig) -> list[Target]:
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
            account = Account(match.group(1), "")
            targets.append(Target(account, match.group(2), (way,), region, (name,)))
    return targets
