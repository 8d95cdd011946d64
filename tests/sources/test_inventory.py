"""Every source merged into one inventory: SSO (several instances), profiles, AESR and
config.toml switch roles, AWS Organizations; environments and colours; problems reported."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.profiles import write_profile_dir
from switcher.emulator.server import Emulator
from switcher.environments import ACCESSIBLE_PALETTE
from switcher.model import Credentials, Environment, SourceKind
from switcher.paths import sso_cache_dir
from switcher.sources.organizations import organization_targets
from switcher.workspace import Workspace
from tests.conftest import Setup, approve


def _settings(text: str) -> None:
    folder = Path(os.environ["SWITCHER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def _json_list() -> list[dict[str, Any]]:
    finished = subprocess.run([sys.executable, "-m", "switcher", "list", "--json", "--refresh"],
                              capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr
    return list(json.loads(finished.stdout))


def test_all_sources_in_one_list(setup: Setup, tmp_path: Path) -> None:
    setup.sign_in(setup.workspace())
    prod = setup.account_id("storefront-prod")
    dev = setup.account_id("storefront-dev")
    aesr = tmp_path / "aesr.ini"
    management = setup.emulator.state.organization.management_account_id
    aesr.write_text(f"[jane-iam]\naws_account_id = {management}\n"
                    "target_role_name = OrganizationAccountAccessRole\n"
                    f"[shop-prod]\naws_account_id = {prod}\nsource_profile = jane-iam\n"
                    "color = ffaa00\n[bad]\naws_account_id = 1\n")
    _settings(f'[aesr]\nsources = ["{aesr}"]\n\n'
              f'[[switch_roles]]\naccount = "{dev}"\nrole = "OrganizationAccountAccessRole"\n'
              'display_name = "Shop dev (org role)"\nsource_profile = "jane-iam"\n'
              'region = "eu-west-3"\n\n'
              '[organizations]\nprofile = "management-org-reader"\n')
    listed = _json_list()
    by_key = {(t["account_id"], t["role"]): t for t in listed}
    shop_prod = by_key[(prod, "OrganizationAccountAccessRole")]
    kinds = sorted(w["kind"] for w in shop_prod["ways"])
    assert kinds == ["organizations", "switch-role"]  # one target, two ways in
    assert shop_prod["account_name"] == "storefront-prod"
    assert shop_prod["ou_path"] == "Root/Workloads/Prod"
    assert shop_prod["tags"] == {"environment": "production", "product": "storefront"}
    # Production is shown in the production colour, whatever colour the AESR entry gives.
    assert shop_prod["environment"] == "production" and shop_prod["color"] == ACCESSIBLE_PALETTE[
        Environment.PRODUCTION]
    assert {w.get("color") for w in shop_prod["ways"]} >= {"ffaa00"}
    shop_dev = by_key[(dev, "OrganizationAccountAccessRole")]
    assert shop_dev["region"] == "eu-west-3" and shop_dev["environment"] == "development"
    sso_admin = by_key[(prod, "AdministratorAccess")]
    assert sso_admin["sources"] == ["sso:emulator"] and sso_admin["environment"] == "production"
    assert sso_admin["ou_path"] == "Root/Workloads/Prod"  # account facts shared across roles
    for target in listed:
        assert {"account_id", "account_name", "role", "sources", "environment", "color",
                "ou_path", "tags"} <= set(target)
    # the switch-role way gives real credentials, through the chosen way
    check = subprocess.run(
        [sys.executable, "-m", "switcher", "exec", f"{dev}/OrganizationAccountAccessRole",
         "--via", "switch-role:Shop dev (org role)", "--", sys.executable, "-c",
         "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"],
        capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stderr
    assert f"arn:aws:sts::{dev}:assumed-role/OrganizationAccountAccessRole/" in check.stdout


def test_problems_are_reported_not_crashed_on(setup: Setup) -> None:
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + (
        "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = loop-b\n"
        "[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = loop-a\n"
        "[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/C\nsource_profile = gone\n"))
    _settings('[organizations]\nprofile = "no-such-profile"\n[aesr]\nsources = ["/nope.ini"]\n')
    workspace = setup.sign_in(setup.workspace())
    refresh = workspace.refresh()
    problems = {t.role_name: t.problem for t in refresh.targets if t.problem}
    assert problems["A"].startswith("source_profile loop: loop-a -> loop-b -> loop-a")
    assert problems["C"] == "source profile 'gone' does not exist"
    assert not refresh.complete and len(refresh.failed_sources) == 2
    assert any("/nope.ini" in w for w in refresh.warnings)
    assert len(refresh.targets) > 30  # the rest of the inventory still loads


def test_several_identity_center_instances(isolated_home: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    second = generated_organization(40, seed=99)
    second.start_url = "https://d-second0001.awsapps.com/start"
    with Emulator(more_instances=(second,)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        workspace = Workspace(dict(os.environ))
        instances = workspace.instances()
        assert [i.session_name for i in instances] == ["emulator", "emulator-2"]
        for instance in instances:
            workspace.login(instance, lambda _c, url: approve(url), approve)
        refresh = workspace.refresh()
        assert refresh.complete
        sessions = {w.sso_session for t in refresh.targets for w in t.ways
                    if w.kind is SourceKind.SSO}
        assert sessions == {"emulator", "emulator-2"}
        assert {t.account_id for t in refresh.targets} >= set(second.accounts)


def test_account_colours_from_the_console(signed_in: Workspace, setup: Setup) -> None:
    targets = signed_in.refresh().targets
    found = signed_in.fetch_account_colors(targets)
    assert found[setup.account_id("payments-staging")] == "orange"
    assert setup.account_id("jane-playground") not in found  # colour 'none'
    refreshed = {t.account_id: t for t in signed_in.refresh().targets}
    staging = refreshed[setup.account_id("payments-staging")]
    assert staging.account.console_color == "orange"
    assert staging.environment is Environment.STAGING


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def moto_organizations(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", f"http://{host}:{port}")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_organizations_source_against_moto(moto_organizations: str) -> None:
    client = boto3.client("organizations", region_name="us-east-1",
                          aws_access_key_id="AKIAMOTO", aws_secret_access_key="x")
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]
    workloads = client.create_organizational_unit(ParentId=root, Name="Workloads")
    prod_ou = client.create_organizational_unit(
        ParentId=workloads["OrganizationalUnit"]["Id"], Name="Prod")["OrganizationalUnit"]["Id"]
    created = client.create_account(AccountName="shop-prod", Email="p@example.com",
                                    Tags=[{"Key": "env", "Value": "prod"}])
    account_id = client.describe_create_account_status(
        CreateAccountRequestId=created["CreateAccountStatus"]["Id"])["CreateAccountStatus"][
        "AccountId"]
    client.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=prod_ou)
    targets = organization_targets(Credentials("AKIAMOTO", "x", ""), ClientFactory(),
                                   "management", "OrganizationAccountAccessRole")
    shop = next(t for t in targets if t.account_id == account_id)
    assert shop.account.name == "shop-prod"
    assert shop.account.ou_path == "Root/Workloads/Prod"
    assert ("env", "prod") in shop.account.tags
    assert shop.role_name == "OrganizationAccountAccessRole"


def test_cache_round_trip_keeps_everything(signed_in: Workspace) -> None:
    fresh = signed_in.refresh().targets
    assert Workspace().cached_inventory().targets == fresh  # type: ignore[union-attr]



def test_refresh_reports_what_is_new_or_gone(signed_in: Workspace, setup: Setup) -> None:
    first = signed_in.refresh()
    assert first.complete and not first.added and not first.removed
    organization = setup.emulator.state.organization
    gone = organization.accounts[setup.account_id("payments-sandbox")]
    gone.permission_sets = ()  # assignments removed: the account disappears from the portal
    organization.accounts[setup.account_id("payments-prod")].permission_sets += (
        "PowerUserAccess",)
    second = signed_in.refresh()
    assert [t.display_name for t in second.added] == ["payments-prod/PowerUserAccess"]
    assert sorted(t.display_name for t in second.removed) == [
        "payments-sandbox/AdministratorAccess", "payments-sandbox/PowerUserAccess",
        "payments-sandbox/ReadOnlyAccess"]
    assert Workspace().cached_inventory().targets == second.targets  # type: ignore[union-attr]


def test_signed_out_profiles_keep_the_account_names_the_cache_knows(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    before = {t.key: t for t in workspace.inventory.refresh().targets}
    named = {key: t.account_name for key, t in before.items()}
    for token in sso_cache_dir().glob("*.json"):
        token.unlink()  # signed out
    refresh = setup.workspace().inventory.refresh()
    assert refresh.not_signed_in and not refresh.complete
    profiles = [t for t in refresh.targets
                if any(w.kind is SourceKind.PROFILE for w in t.ways) and t.key in named]
    assert profiles
    for target in profiles:
        assert target.account_name == named[target.key]
        # classified again with what is known of the account, production included
        assert target.environment is before[target.key].environment
    assert Environment.PRODUCTION in {t.environment for t in profiles}
