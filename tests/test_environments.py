"""Environment and colour classification: the rule order and the name patterns."""

from __future__ import annotations

import re

import pytest

from switcher.environments import (
    ACCESSIBLE_PALETTE,
    CONSOLE_PALETTE,
    ENVIRONMENT_COLORS,
    Rules,
    classify,
    classify_all,
    normalize_color,
    production_label,
    readable_foreground,
    recolored,
    words,
)
from switcher.model import Account, Environment, SourceKind, Target, Way

SSO = Way(SourceKind.SSO, sso_session="s")


def _target(name: str, **account: object) -> Target:
    return Target(Account("123456789012", name, **account), "Admin", (SSO,))  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "expected"), [
    ("payments-prod", Environment.PRODUCTION), ("acme-prd-01", Environment.PRODUCTION),
    ("LiveSite", Environment.PRODUCTION), ("orders-stg", Environment.STAGING),
    ("crm-uat", Environment.STAGING), ("billing-preprod", Environment.STAGING),
    ("team-dev", Environment.DEVELOPMENT), ("qa-env", Environment.TEST),
    ("jane-playground", Environment.SANDBOX), ("acme-management", Environment.MANAGEMENT),
    ("log-archive", Environment.SHARED), ("NonProd-tools", Environment.SHARED),
    ("nonprod", Environment.DEVELOPMENT), ("products", Environment.UNKNOWN),
    ("reproduce", Environment.UNKNOWN), ("develop2", Environment.DEVELOPMENT),
])
def test_name_patterns(name: str, expected: Environment) -> None:
    assert classify(_target(name))[0] is expected


def test_rule_order_explicit_color_tags_ou_name() -> None:
    dev_tag = _target("shop-x", tags=(("env", "dev"),), ou_path="Root/Sandbox")
    assert classify(dev_tag) == (Environment.DEVELOPMENT, "tag env")
    by_ou = _target("shop-x", ou_path="Root/Workloads/Prod")
    assert classify(by_ou) == (Environment.PRODUCTION, "OU")
    nonprod_ou = _target("shop-dev", ou_path="Root/Workloads/NonProd")
    assert classify(nonprod_ou) == (Environment.DEVELOPMENT, "name")
    colored = _target("shop-dev", tags=(("env", "dev"),), console_color="red")
    assert classify(colored) == (Environment.PRODUCTION, "account colour")
    explicit = Target(colored.account, "Admin", (SSO,), explicit_environment="sandbox")
    assert classify(explicit) == (Environment.SANDBOX, "explicit")


def test_user_rules_extend_the_patterns() -> None:
    rules = Rules({Environment.PRODUCTION: (re.compile(r"^customer-"),)},
                  {Environment.PRODUCTION: "#ff0000"})
    target = classify_all([_target("customer-acme")], rules)[0]
    assert (target.environment, target.color) == (Environment.PRODUCTION, "#ff0000")
    assert classify(_target("customer-acme"))[0] is Environment.UNKNOWN


def test_colours() -> None:
    console = Rules(palette="console")
    aesr = Target(Account("123456789012", "x-dev"), "Admin",
                  (Way(SourceKind.SWITCH_ROLE, color="ffaa00"),))
    assert classify_all([aesr], console)[0].color == "#ffaa00"
    assert classify_all([_target("shop-prod")], console)[0].color == ENVIRONMENT_COLORS[
        Environment.PRODUCTION]
    assert normalize_color("F0a") == "#ff00aa" and normalize_color("red") == ""
    assert readable_foreground("#f2b0a9") == "#000000"
    assert readable_foreground("#1a1a60") == "#ffffff"
    assert words("NonProdPayments_prd01") == ["nonprod", "payments", "prd"]


def test_production_by_any_rule_is_production_whatever_rule_comes_first() -> None:
    named_prod = _target("shop-prod", tags=(("env", "dev"),), ou_path="Root/Sandbox")
    assert classify(named_prod) == (Environment.PRODUCTION, "name")
    tagged_prod = _target("shop-dev", tags=(("env", "production"),), console_color="green")
    assert classify(tagged_prod) == (Environment.PRODUCTION, "tag env")
    in_prod_ou = _target("shop-sandbox", ou_path="Root/Workloads/Prod")
    assert classify(in_prod_ou) == (Environment.PRODUCTION, "OU")


def test_one_account_one_verdict_on_production() -> None:
    account = Account("123456789012", "shop")
    by_profile = Target(account, "ReadOnly", (Way(SourceKind.PROFILE, profile="shop-ro"),),
                        profile_names=("shop-ro",))
    by_aesr = Target(account, "Admin", (Way(SourceKind.SWITCH_ROLE, display_name="shop-prod",
                                            color="b7ca9d"),))
    classified = classify_all([by_profile, by_aesr])
    assert [t.environment for t in classified] == [Environment.PRODUCTION] * 2
    # What the cached inventory knows of the account counts too (a profile named freely).
    alone = classify_all([by_profile], production_accounts=["123456789012"])[0]
    assert alone.environment is Environment.PRODUCTION
    # A setting the user wrote for that exact target still wins.
    chosen = Target(account, "Sandbox", (SSO,), explicit_environment="sandbox")
    assert classify_all([by_aesr, chosen])[1].environment is Environment.SANDBOX


def test_production_is_shown_in_the_production_colour_unless_set_for_that_target() -> None:
    green_entry = Target(Account("123456789012", "payments-prod"), "Admin",
                         (Way(SourceKind.SWITCH_ROLE, color="b7ca9d"),))
    console = Rules(palette="console")
    shown = classify_all([green_entry], console)[0]
    assert shown.color == ENVIRONMENT_COLORS[Environment.PRODUCTION]
    green_console = classify_all([_target("payments-prod", console_color="green")], console)[0]
    assert green_console.color == ENVIRONMENT_COLORS[Environment.PRODUCTION]
    chosen = Target(green_entry.account, "Admin", green_entry.ways, explicit_color="#00ff00")
    assert classify_all([chosen])[0].color == "#00ff00"


def test_the_accessible_palette_is_the_default_and_colours_by_environment_alone() -> None:
    aesr = Target(Account("111111111111", "x-dev"), "Admin",
                  (Way(SourceKind.SWITCH_ROLE, color="ffaa00"),))
    orange_console = Target(Account("222222222222", "x-stg", console_color="orange"), "Admin",
                            (SSO,))
    accessible = classify_all([aesr, orange_console, _target("shop-prod")])
    assert [t.color for t in accessible] == [
        ACCESSIBLE_PALETTE[Environment.DEVELOPMENT], ACCESSIBLE_PALETTE[Environment.STAGING],
        ACCESSIBLE_PALETTE[Environment.PRODUCTION]]
    console = classify_all([aesr, orange_console], Rules(palette="console"))
    assert [t.color for t in console] == ["#ffaa00", CONSOLE_PALETTE[Environment.STAGING]]
    # A colour the user set for an environment or a target still wins.
    mine = Rules(colors={Environment.DEVELOPMENT: "#123456"})
    assert classify_all([aesr], mine)[0].color == "#123456"
    # A list classified with one palette shows the other's colours once it is chosen.
    assert [t.color for t in recolored(accessible, Rules(palette="console"))] == [
        "#ffaa00", CONSOLE_PALETTE[Environment.STAGING],
        CONSOLE_PALETTE[Environment.PRODUCTION]]


def test_production_has_words_and_a_glyph_not_only_a_colour() -> None:
    production, development = classify_all([
        _target("shop-prod"), Target(Account("111111111111", "shop-dev"), "Admin", (SSO,))])
    assert production_label(production) == "▲ PROD "
    assert production_label(development) == ""
