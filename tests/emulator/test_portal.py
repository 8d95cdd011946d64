"""The emulator's Identity Center portal and OIDC, spoken to by boto3 over HTTP."""

from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from switcher.emulator.server import Emulator
from tests.conftest import Setup, approve

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


NO_RETRIES = {"mode": "standard", "total_max_attempts": 1}


def _unsigned(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED, retries=NO_RETRIES))


def _token(emulator: Emulator) -> str:
    oidc = _unsigned("sso-oidc")
    client = oidc.register_client(clientName="test", clientType="public")
    device = oidc.start_device_authorization(
        clientId=client["clientId"], clientSecret=client["clientSecret"],
        startUrl=emulator.state.organization.start_url)
    with pytest.raises(ClientError) as pending:
        oidc.create_token(clientId=client["clientId"],
                          clientSecret=client["clientSecret"], grantType=DEVICE_GRANT,
                          deviceCode=device["deviceCode"])
    assert pending.value.response["Error"]["Code"] == "AuthorizationPendingException"
    approve(device["verificationUriComplete"])
    token = oidc.create_token(clientId=client["clientId"],
                              clientSecret=client["clientSecret"], grantType=DEVICE_GRANT,
                              deviceCode=device["deviceCode"])
    assert token["tokenType"] == "Bearer" and token["refreshToken"]
    return str(token["accessToken"])


def test_list_accounts_paginates_every_assigned_account(setup: Setup) -> None:
    token = _token(setup.emulator)
    sso = _unsigned("sso")
    pages = list(sso.get_paginator("list_accounts").paginate(
        accessToken=token, PaginationConfig={"PageSize": 5}))
    names = [a["accountName"] for page in pages for a in page["accountList"]]
    expected = [a.name for a in setup.emulator.state.organization.account_list()
                if a.permission_sets]
    assert len(pages) == -(-len(expected) // 5)
    assert names == expected


def test_roles_and_credentials_follow_assignments(setup: Setup) -> None:
    token = _token(setup.emulator)
    sso = _unsigned("sso")
    prod = setup.account_id("storefront-prod")
    roles = sso.list_account_roles(accessToken=token, accountId=prod)
    assert sorted(r["roleName"] for r in roles["roleList"]) == ["AdministratorAccess",
                                                                "ReadOnlyAccess"]
    with pytest.raises(ClientError) as refused:
        sso.get_role_credentials(accessToken=token, accountId=prod,
                                 roleName="PowerUserAccess")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    credentials = sso.get_role_credentials(
        accessToken=token, accountId=prod, roleName="ReadOnlyAccess")["roleCredentials"]
    assert credentials["accessKeyId"].startswith("ASIA")
    assert credentials["expiration"] > 10**12  # epoch milliseconds, as AWS sends it


def test_unknown_expired_and_logged_out_tokens_are_unauthorized(setup: Setup) -> None:
    sso = _unsigned("sso")
    with pytest.raises(ClientError) as unknown:
        sso.list_accounts(accessToken="not-a-token")
    assert unknown.value.response["Error"]["Code"] == "UnauthorizedException"
    token = _token(setup.emulator)
    sso.logout(accessToken=token)
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=token)
    setup.emulator.knobs.token_ttl = 0
    expired = _token(setup.emulator)
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=expired)


def test_throttle_answers_too_many_requests_beyond_twenty_a_second(setup: Setup) -> None:
    token = _token(setup.emulator)
    sso = boto3.client("sso", region_name="us-east-1",
                       config=Config(signature_version=UNSIGNED, retries=NO_RETRIES,
                                     max_pool_connections=16))

    def call(_: int) -> int:
        try:
            sso.list_accounts(accessToken=token)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "TooManyRequestsException"
            return int(error.response["ResponseMetadata"]["HTTPStatusCode"])
        return 200

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(call, range(120)))
    assert 429 in codes and codes.count(200) >= 20
    state = json.load(urllib.request.urlopen(f"{setup.emulator.url}/_emulator/state"))
    assert state["throttled"] == codes.count(429)


def test_refresh_token_grant_gives_a_new_access_token(setup: Setup) -> None:
    oidc = _unsigned("sso-oidc")
    client = oidc.register_client(clientName="t", clientType="public")
    device = oidc.start_device_authorization(
        clientId=client["clientId"], clientSecret=client["clientSecret"],
        startUrl=setup.emulator.state.organization.start_url)
    approve(device["verificationUriComplete"])
    first = oidc.create_token(clientId=client["clientId"],
                              clientSecret=client["clientSecret"], grantType=DEVICE_GRANT,
                              deviceCode=device["deviceCode"])
    again = oidc.create_token(clientId=client["clientId"],
                              clientSecret=client["clientSecret"], grantType="refresh_token",
                              refreshToken=first["refreshToken"])
    assert again["accessToken"] != first["accessToken"]
    _unsigned("sso").list_accounts(accessToken=again["accessToken"])
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(clientId=client["clientId"],
                          clientSecret=client["clientSecret"], grantType="refresh_token",
                          refreshToken="bogus")
