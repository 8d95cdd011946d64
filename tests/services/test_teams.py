"""What accepted team files add to the user's settings: the user's own wins, guards only
get stricter, and the team's rules classify like any other rule."""

from __future__ import annotations

import re
from pathlib import Path

from switcher.environments import Rules, classify_all
from switcher.model import Account, Environment, SourceKind, Target, Way
from switcher.services.teams import stricter, with_teams
from switcher.sources.team import parse_team_file
from switcher.store.settings import Settings, TargetOverride

TEAM = parse_team_file(b"""
[organizations]
role_name = "TeamAccess"

[environments.patterns]
production = ["^cust-"]
staging = ["-pre$"]

[environments.colors]
staging = "#123456"
sandbox = "#abcdef"

[targets."111111111111/Dev"]
color = "#0000ff"
console = "portal"
destinations = ["ec2"]

[targets."444444444444/Dev"]
color = "#00aa00"

[guardrails]
mode = "confirm"
environments = ["staging"]
read_only_roles = { production = "TeamRead", staging = "TeamStagingRead" }
""", "team.toml")


def own(**values: object) -> Settings:
    return Settings(Path("config.toml"), **values)  # type: ignore[arg-type]


def test_the_users_own_settings_win_and_the_team_fills_in() -> None:
    mine = own(organizations_profile="management", guardrail="type-name",
               read_only_roles={Environment.PRODUCTION: "MyRead"},
               rules=Rules({Environment.STAGING: (re.compile("^stage-"),)},
                           {Environment.SANDBOX: "#fedcba"}),
               overrides={"111111111111/Dev": TargetOverride(console_method="federation")})
    merged = with_teams(mine, [("platform", TEAM)])
    assert merged.organizations_role == "TeamAccess"
    assert merged.guardrail == "type-name"  # the user's is stricter
    assert merged.guarded == (Environment.PRODUCTION, Environment.STAGING)
    assert merged.read_only_roles == {Environment.PRODUCTION: "MyRead",
                                      Environment.STAGING: "TeamStagingRead"}
    assert [p.pattern for p in merged.rules.patterns[Environment.STAGING]] == ["^stage-",
                                                                               "-pre$"]
    assert merged.rules.colors == {Environment.SANDBOX: "#fedcba",
                                   Environment.STAGING: "#123456"}
    override = merged.overrides["111111111111/Dev"]
    assert (override.console_method, override.destinations) == ("federation", ("ec2",))
    # A role name the user set is theirs.
    assert with_teams(own(organizations_role="Mine"), [("t", TEAM)]).organizations_role == (
        "Mine")


def test_guardrail_modes_only_get_stricter() -> None:
    assert stricter("off", "confirm") == "confirm"
    assert stricter("type-name", "off") == "type-name"
    assert stricter("confirm", "") == "confirm"
    assert with_teams(own(guardrail="off"), [("t", TEAM)]).guardrail == "confirm"


def test_team_patterns_and_colours_classify_without_touching_production() -> None:
    merged = with_teams(own(), [("platform", TEAM)])
    way = (Way(SourceKind.SWITCH_ROLE, origin="x"),)
    customer = Target(Account("222222222222", "cust-shop"), "Dev", way)
    pre = Target(Account("444444444444", "shop-pre"), "Dev", way)
    production = Target(Account("111111111111", "shop-prod"), "Dev", way)
    (customer, pre, production) = classify_all([customer, pre, production],
                                               merged.rules)
    assert customer.environment is Environment.PRODUCTION
    assert pre.environment is Environment.STAGING
    assert pre.color == "#00aa00"  # the team's colour for that target
    assert production.environment is Environment.PRODUCTION
    # The team's colour for it is not shown: production keeps production's.
    assert production.color == customer.color != "#0000ff"
