"""Every way of naming a production target resolves to a production target, so the guard
that follows cannot depend on how the user spelt it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from switcher.model import Environment
from switcher.workspace import Workspace
from tests.conftest import Setup

NEUTRAL_PROFILES = """
[profile pay-ro]
sso_session = emulator
sso_account_id = {prod}
sso_role_name = ReadOnlyAccess
region = eu-west-1

[profile hop-deploy]
role_arn = arn:aws:iam::{prod}:role/Deployer
source_profile = jane-iam
external_id = payments-ci

[profile hop-deploy-again]
role_arn = arn:aws:iam::{prod}:role/Deployer
source_profile = hop-deploy
"""


@pytest.fixture
def known(signed_in: Workspace, setup: Setup) -> Workspace:
    """A refreshed inventory, then profiles written by hand that it has never seen."""
    signed_in.refresh()
    prod = setup.account_id("payments-prod")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + NEUTRAL_PROFILES.format(prod=prod))
    fresh = setup.workspace()
    return fresh


@pytest.mark.parametrize("name", [
    "payments-prod/ReadOnlyAccess", "{prod}/ReadOnlyAccess", "PAYMENTS-PROD/readonlyaccess",
    "pay-ro", "hop-deploy", "hop-deploy-again", "payments-prod/AdministratorAccess",
])
def test_every_name_of_a_production_target_is_production(known: Workspace, setup: Setup,
                                                          name: str) -> None:
    target, _ = known.resolve(name.format(prod=setup.account_id("payments-prod")))
    assert target.environment is Environment.PRODUCTION
    assert known.guardrail(target) == "confirm"


def test_via_keeps_the_environment(known: Workspace) -> None:
    target, way = known.resolve("payments-prod/ReadOnlyAccess", via="sso:emulator")
    assert way is not None and target.environment is Environment.PRODUCTION


def test_an_unknown_profile_into_a_production_account_is_production_without_a_cache(
        setup: Setup) -> None:
    prod = setup.account_id("payments-prod")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + NEUTRAL_PROFILES.format(prod=prod).replace(
        "pay-ro", "payments-prod.ReadOnlyAccess"))
    workspace = setup.workspace()
    target, _ = workspace.names.resolve("payments-prod.ReadOnlyAccess", [])
    assert target.environment is Environment.PRODUCTION
