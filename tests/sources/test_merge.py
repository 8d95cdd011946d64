"""One target per account and role, whichever sources reach it and however they name it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from switcher.actions.console import ConsoleEndpoints, switchrole_url
from switcher.model import SourceKind, Target
from switcher.sources.merge import merge_targets
from switcher.sources.profiles import profile_targets
from switcher.sources.switchroles import config_entries, parse_aesr
from switcher.store.awsconfig import load_aws_config

PATH_ROLE = "arn:aws:iam::111122223333:role/team/Admin"


def _profile_targets(tmp_path: Path, role_arn: str) -> list[Target]:
    path = tmp_path / "config"
    path.write_text("[profile base]\naws_access_key_id = AKIAEXAMPLE\n"
                    "aws_secret_access_key = secret\n"
                    f"[profile team-admin]\nrole_arn = {role_arn}\nsource_profile = base\n")
    return [t for t in profile_targets(load_aws_config(path)) if t.profile_names == (
        "team-admin",)]


def _aesr_targets(role_arn: str) -> list[Target]:
    entries = parse_aesr(f"[base]\naws_account_id = 999999999999\n"
                         f"[team-admin]\nrole_arn = {role_arn}\nsource_profile = base\n",
                         "aesr.ini", frozenset({"base"}))
    assert not entries.warnings
    return entries.targets


def test_a_path_role_from_a_profile_and_an_aesr_entry_is_one_target(tmp_path: Path) -> None:
    merged = merge_targets(_profile_targets(tmp_path, PATH_ROLE), _aesr_targets(PATH_ROLE))
    assert len(merged) == 1, [t.key for t in merged]
    [target] = merged
    assert target.key == "111122223333/Admin"
    assert target.role_name == "Admin"  # the name the console and the AWS CLI show
    assert [w.kind for w in target.ways] == [SourceKind.PROFILE, SourceKind.SWITCH_ROLE]
    assert target.role_arn == PATH_ROLE  # AssumeRole gets the path back


def test_the_path_survives_whichever_source_comes_first(tmp_path: Path) -> None:
    typed = config_entries([{"account": "111122223333", "role": "Admin"}], "config.toml")
    for groups in ([typed.targets, _aesr_targets(PATH_ROLE)],
                   [_aesr_targets(PATH_ROLE), typed.targets]):
        [target] = merge_targets(*groups)
        assert target.role_arn == PATH_ROLE


def test_a_role_typed_with_its_path_is_the_same_role(tmp_path: Path) -> None:
    typed = config_entries([{"account": "111122223333", "role": "team/Admin"}], "config.toml")
    aesr = parse_aesr("[x]\naws_account_id = 111122223333\nrole_name = team/Admin\n", "aesr.ini")
    [target] = merge_targets(_profile_targets(tmp_path, PATH_ROLE), typed.targets, aesr.targets)
    assert target.key == "111122223333/Admin" and len(target.ways) == 3
    assert target.role_arn == PATH_ROLE


def test_other_partitions_keep_theirs(tmp_path: Path) -> None:
    arn = "arn:aws-cn:iam::111122223333:role/ops/Deployer"
    [target] = merge_targets(_profile_targets(tmp_path, arn), _aesr_targets(arn))
    assert (target.partition, target.role_path, target.role_name) == ("aws-cn", "/ops/",
                                                                       "Deployer")
    assert target.role_arn == arn


def test_the_switchrole_link_names_the_role_with_its_path() -> None:
    [target] = _aesr_targets(PATH_ROLE)
    url = switchrole_url(target, target.way, "eu-west-1", ConsoleEndpoints())
    query = parse_qs(urlsplit(url).query)
    assert query["account"] == ["111122223333"] and query["roleName"] == ["team/Admin"]


def test_malformed_role_arns_are_warnings_not_crashes() -> None:
    entries = parse_aesr("[a]\nrole_arn = arn:aws:iam::1111:role/Admin\n"
                         "[b]\nrole_arn = arn:aws:iam::111122223333:user/bob\n"
                         "[c]\naws_account_id = 111122223333\nrole_name = team//Admin\n"
                         "[d]\nrole_arn = arn:aws-eusc:iam::111122223333:role/Admin\n",
                         "aesr.ini")
    assert [t.role_arn for t in entries.targets] == [
        "arn:aws-eusc:iam::111122223333:role/Admin"]
    assert entries.warnings == [
        "aesr.ini:1: [a] role_arn 'arn:aws:iam::1111:role/Admin': the account '1111' is not "
        "a 12-digit account id; skipped",
        "aesr.ini:3: [b] role_arn 'arn:aws:iam::111122223333:user/bob' is not an IAM role ARN "
        "(arn:aws:iam::ACCOUNT:role/NAME); skipped",
        "aesr.ini:5: [c] role_name 'team//Admin': 'team//' is not a role path; skipped"]
    typed = config_entries([{"account": "111122223333", "role": "Bad Name"}], "config.toml")
    assert not typed.targets
    assert typed.warnings == ["config.toml: switch_roles #1: role 'Bad Name': 'Bad Name' is "
                              "not a role name (1 to 64 letters, digits and _+=,.@-); skipped"]
