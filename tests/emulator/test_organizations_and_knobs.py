"""Organizations through boto3, the large-organisation generator, and the fault knobs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization, seeded_organization
from switcher.emulator.server import Emulator
from switcher.workspace import Workspace
from tests.conftest import Setup, approve


def _session_for(workspace: Workspace, name: str) -> boto3.Session:
    target, way = workspace.resolve(name)
    credentials = workspace.credentials(target, way)
    return boto3.Session(aws_access_key_id=credentials.access_key_id,
                         aws_secret_access_key=credentials.secret_access_key,
                         aws_session_token=credentials.session_token, region_name="us-east-1")


def test_management_account_lists_accounts_with_ou_and_tags(signed_in: Workspace,
                                                            setup: Setup) -> None:
    organizations = _session_for(signed_in, "acme-management/AdministratorAccess").client(
        "organizations")
    accounts = [a for page in organizations.get_paginator("list_accounts").paginate()
                for a in page["Accounts"]]
    assert len(accounts) == len(setup.emulator.state.organization.accounts)
    prod = next(a for a in accounts if a["Name"] == "storefront-prod")
    parent = organizations.list_parents(ChildId=prod["Id"])["Parents"][0]
    unit = organizations.describe_organizational_unit(OrganizationalUnitId=parent["Id"])
    assert unit["OrganizationalUnit"]["Name"] == "Prod"
    tags = organizations.list_tags_for_resource(ResourceId=prod["Id"])["Tags"]
    assert {"Key": "environment", "Value": "production"} in tags


def test_member_account_is_refused(signed_in: Workspace) -> None:
    organizations = _session_for(signed_in, "storefront-dev/ReadOnlyAccess").client(
        "organizations")
    with pytest.raises(ClientError) as refused:
        organizations.list_accounts()
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"


def test_generator_makes_a_10000_account_organisation() -> None:
    organization = generated_organization(10_000)
    assert len(organization.accounts) == 10_000
    assert len({a.name for a in organization.account_list()}) == 10_000
    assert generated_organization(10_000).accounts.keys() == organization.accounts.keys()
    seeded = seeded_organization()
    assert {"acme-management", "storefront-prod", "payments-sandbox"} <= {
        a.name for a in seeded.account_list()}


def test_10000_accounts_are_listed_through_the_portal(isolated_home: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from switcher.emulator.profiles import write_profile_dir
    from switcher.emulator.state import Knobs

    organization = generated_organization(10_000)
    with Emulator(organization, Knobs(throttle=False)) as emulator:
        for name, value in write_profile_dir(isolated_home / "aws", emulator).items():
            monkeypatch.setenv(name, value)
        workspace = Workspace(dict(os.environ))
        instance = workspace.instances()[0]
        workspace.login(instance, lambda _c, url: approve(url), approve)
        sso = workspace.clients.client("sso", instance.region, unsigned=True)
        pages = list(sso.get_paginator("list_accounts").paginate(
            accessToken=workspace.signin.token(instance).access_token,
            PaginationConfig={"PageSize": 100}))
        listed = {a["accountId"] for page in pages for a in page["accountList"]}
        assert len(pages) == 100
        assert listed == set(organization.accounts)


def test_error_rate_is_absorbed_by_retries(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    setup.emulator.knobs.error_rate = 0.3
    for _ in range(5):  # a refresh is ~15 calls: at 0.3 one may pass untouched (0.5%)
        refresh = workspace.refresh()
        assert refresh.complete
        state = json.load(urllib.request.urlopen(f"{setup.emulator.url}/_emulator/state"))
        if state["injected_errors"]:
            break
    assert state["injected_errors"] > 0


def test_latency_knob_slows_every_call(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    instance = workspace.instances()[0]
    token = workspace.signin.token(instance)
    sso = ClientFactory().client("sso", instance.region, unsigned=True)
    started = time.perf_counter()
    sso.list_accounts(accessToken=token.access_token)
    fast = time.perf_counter() - started
    setup.emulator.knobs.latency_ms = 200
    started = time.perf_counter()
    sso.list_accounts(accessToken=token.access_token)
    assert time.perf_counter() - started >= 0.2 > fast


def test_write_profile_dir_from_the_command_line(isolated_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "emu"
    process = subprocess.Popen([sys.executable, "-m", "switcher", "emulator",
                                "--write-profile-dir", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    exports: dict[str, str] = {}
    try:
        assert process.stdout is not None
        while "SWITCHER_STATE_DIR" not in exports:  # exports come sorted; this one is last
            line = process.stdout.readline()
            assert line, "the emulator stopped before printing its exports"
            name, _, value = line.strip().removeprefix("export ").partition("=")
            exports[name] = value
    finally:
        process.terminate()
        process.wait(10)
    assert exports["AWS_CONFIG_FILE"] == str(folder / "config")
    assert exports["AWS_ENDPOINT_URL_SSO"].startswith("http://127.0.0.1:")
    config = (folder / "config").read_text()
    assert "[sso-session emulator]" in config and "role_arn = " in config
    assert (folder / "credentials").stat().st_mode & 0o077 == 0
    assert (folder / "env.sh").read_text().count("export ") == len(exports)
    assert not (isolated_home / ".aws").exists()  # nothing of the real ~/.aws is touched
