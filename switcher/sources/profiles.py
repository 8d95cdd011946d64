"""Profiles in ~/.aws/config as a source: every profile that names an account and a role
(sso profiles, role_arn chains of any depth), and profiles with keys or a credential_process
whose account is known (`aws_account_id`). Broken chains (source_profile loops, missing
sources) are kept, marked with the problem, so the user sees them instead of a crash."""

from __future__ import annotations

from switcher.arn import ArnError, RoleArn, parse_role_arn
from switcher.model import ACCOUNT_ID_PATTERN, Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig

CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")


def _step(config: AwsConfig, credentials: AwsConfig, name: str) -> tuple[str, str | None]:
    """One hop of a role chain: (the problem at `name`, or '' when the chain ends well there;
    the next profile to follow, or None)."""
    values = config.profiles.get(name)
    if values is None:
        if name in credentials.profiles:
            return "", None
        return f"source profile {name!r} does not exist", None
    if not values.get("role_arn"):
        return "", None
    if values.get("source_profile") and values.get("credential_source"):
        return f"profile {name!r} has both source_profile and credential_source", None
    if values.get("credential_source"):
        source = values["credential_source"]
        return ("" if source in CREDENTIAL_SOURCES else
                f"profile {name!r}: unknown credential_source {source!r}"), None
    if not values.get("source_profile"):
        return f"profile {name!r} has role_arn but no source_profile", None
    return "", values["source_profile"]


def _loop_text(path: list[str], index: int, loop_start: int) -> str:
    """The chain from `path[index]` until a profile repeats (at most eight names: its start
    and its end), built without copying the whole chain, which can be thousands long."""
    back = path[max(loop_start, index - 2):index + 1] if index >= loop_start else [
        path[loop_start]]
    length = len(path) - index + (index - loop_start + 1 if index >= loop_start else 1)
    if length > 8:
        names = [*path[index:index + 4], "…", *(path[max(index, len(path) - 3):] + back)[-3:]]
    else:
        names = [*path[index:], *(path[loop_start:index + 1] if index >= loop_start
                                  else [path[loop_start]])]
    return "source_profile loop: " + " -> ".join(names)


class ChainProblems:
    """Why the role chain that starts at a profile cannot work ('' when it can). Each profile
    is walked once across all calls, so a config of thousands of chained profiles is checked
    in linear time (a loop through a few thousand profiles took minutes)."""

    def __init__(self, config: AwsConfig, credentials: AwsConfig) -> None:
        self._config = config
        self._credentials = credentials
        self._known: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        path: list[str] = []
        position: dict[str, int] = {}
        current: str | None = name
        while current is not None and current not in self._known:
            if current in position:  # a loop: every profile walked is in it or leads to it
                for index, member in enumerate(path):
                    self._known[member] = _loop_text(path, index, position[current])
                return self._known[name]
            position[current] = len(path)
            path.append(current)
            problem, following = _step(self._config, self._credentials, current)
            if problem or following is None:
                self._known.update(dict.fromkeys(path, problem))
                return problem
            current = following
        result = self._known[current] if current is not None else ""
        self._known.update(dict.fromkeys(path, result))
        return result


def chain_problem(config: AwsConfig, credentials: AwsConfig, name: str) -> str:
    """Why the role chain that starts at profile `name` cannot work, or ''."""
    return ChainProblems(config, credentials)(name)


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
    problems = ChainProblems(config, keys)
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
                                  (name,), problem=problems(name),
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


def profiles_reaching(config: AwsConfig, credentials: AwsConfig) -> dict[str, str]:
    """The first working profile of `config` that reaches each target key."""
    reached: dict[str, str] = {}
    for target in profile_targets(config, credentials):
        if not target.problem:
            reached.setdefault(target.key, target.profile_names[0])
    return reached
