"""Environment and colour classification: the rule order and the name patterns."""

from __future__ import annotations

import re

import pytest

from switcher.environments import (
    ENVIRONMENT_COLORS,
    Rules,
    classify,
    classify_all,
    normalize_color,
    readable_foreground,
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
    prod_name = _target("shop-prod", tags=(("env", "dev"),), ou_path="Root/Sandbox")
    assert classify(prod_name) == (Environment.DEVELOPMENT, "tag env")
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
    aesr = Target(Account("123456789012", "x-dev"), "Admin",
                  (Way(SourceKind.SWITCH_ROLE, color="ffaa00"),))
    assert classify_all([aesr])[0].color == "#ffaa00"
    assert classify_all([_target("shop-prod")])[0].color == ENVIRONMENT_COLORS[
        Environment.PRODUCTION]
    assert normalize_color("F0a") == "#ff00aa" and normalize_color("red") == ""
    assert readable_foreground("#f2b0a9") == "#000000"
    assert readable_foreground("#1a1a60") == "#ffffff"
    assert words("NonProdPayments_prd01") == ["nonprod", "payments", "prd"]
