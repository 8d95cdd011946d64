"""`switcher export aesr`: what it writes reads back, by switcher's own AESR reader, as the
same targets (hostile names cannot open a section of their own), and only targets the
console's Switch Role form can reach are in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switcher import paths
from switcher.cli import main
from switcher.model import Account, SourceKind, Target, Way
from switcher.sources.switchroles import aesr_name, format_aesr, parse_aesr

HOSTILE = ["shop prod", "evil]\n[injected]\nrole_arn = arn:aws:iam::999999999999:role/Owned",
           "semi;colon # hash", "profile sneaky", "[bracketed]", "quote\"s 'and' \\slash",
           "\u202eevil\u2028line", "ünïcödé 名前", "", "x" * 200, "dup", "dup"]


def target(number: int, name: str, color: str = "#a52900", region: str = "eu-west-1",
           path: str = "/") -> Target:
    way = Way(SourceKind.SWITCH_ROLE, origin="config.toml", display_name=name)
    return Target(Account(f"{number:012d}", ""), f"Role{number}", (way,), region,
                  color=color, role_path=path)


def test_hostile_names_round_trip_without_injecting_a_section() -> None:
    targets = [target(n + 1, name, path="/team/" if n % 2 else "/")
               for n, name in enumerate(HOSTILE)]
    text, skipped = format_aesr(targets, {})
    assert skipped == []
    read = parse_aesr(text, "exported")
    assert read.warnings == []
    assert len(read.targets) == len(targets)
    assert "999999999999" not in {t.account_id for t in read.targets}
    for before, after in zip(targets, read.targets, strict=True):
        assert (after.account_id, after.role_name, after.role_path, after.region) == (
            before.account_id, before.role_name, before.role_path, before.region)
        assert "#" + after.way.color == before.color
        assert after.way.display_name.startswith(aesr_name(before.way.display_name)[:40])
        assert "\n" not in after.way.display_name and "]" not in after.way.display_name
    assert len({t.way.display_name.lower() for t in read.targets}) == len(targets)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=8))
def test_any_names_read_back_as_the_same_number_of_targets(names: list[str]) -> None:
    targets = [target(n + 1, name) for n, name in enumerate(names)]
    text, skipped = format_aesr(targets, {})
    read = parse_aesr(text, "exported")
    assert read.warnings == [] and skipped == []
    assert [t.key for t in read.targets] == [t.key for t in targets]


def test_a_role_name_the_extension_would_cut_short_is_left_out_and_said() -> None:
    equals = Target(Account("111111111111", "a"), "deploy=blue",
                    (Way(SourceKind.SWITCH_ROLE, origin="x"),))
    text, skipped = format_aesr([equals, target(2, "fine")], {})
    assert skipped == ["a/deploy=blue: cannot be written as AESR (role_arn)"]
    assert [t.key for t in parse_aesr(text, "exported").targets] == ["000000000002/Role2"]


def test_identity_center_roles_are_left_out_and_profiles_with_role_arn_kept() -> None:
    sso = Target(Account("111111111111", "a"), "Admin", (Way(SourceKind.SSO, "org"),))
    assumed = Target(Account("222222222222", "b"), "Ops",
                     (Way(SourceKind.PROFILE, profile="b-ops"),), color="#03a389")
    sso_profile = Target(Account("333333333333", "c"), "Dev",
                         (Way(SourceKind.PROFILE, profile="c-dev"),))
    text, _ = format_aesr([sso, assumed, sso_profile],
                          {"b-ops": {"role_arn": "arn:aws:iam::222222222222:role/Ops"},
                           "c-dev": {"sso_account_id": "333333333333"}})
    read = parse_aesr(text, "exported").targets
    assert [(t.key, t.way.display_name, t.way.color) for t in read] == [
        ("222222222222/Ops", "b/Ops", "03a389")]


@pytest.mark.usefixtures("isolated_home")
def test_switcher_export_aesr_writes_the_switch_roles_with_their_colours(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = paths.config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[[switch_roles]]\naccount = "111122223333"\nrole = "team/Admin"\n'
                      'display_name = "shop live]\\n[x]"\nregion = "eu-west-1"\n'
                      '[[switch_roles]]\naccount = "444455556666"\nrole = "Dev"\n'
                      'display_name = "sandbox-1"\n'
                      '[targets."444455556666/Dev"]\ncolor = "#123456"\n')
    assert main(["export", "aesr"]) == 0
    exported = capsys.readouterr().out
    read = parse_aesr(exported, "exported")
    assert read.warnings == []
    assert [(t.role_arn, t.way.color, t.region) for t in read.targets] == [
        ("arn:aws:iam::111122223333:role/team/Admin", "a52900", "eu-west-1"),
        ("arn:aws:iam::444455556666:role/Dev", "123456", "")]
    assert exported.count("\n[") == 2 and "\n[x]" not in exported
    assert read.targets[0].way.display_name.startswith("shop live")
