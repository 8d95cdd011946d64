"""Role chains from profiles, with ExternalId, MFA and duration rules: against the emulator, and
the same code path against moto's server, so the emulator cannot drift from AWS's shapes."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from switcher.auth.credentials import CredentialResolver
from switcher.auth.oidc import SignIn
from switcher.auth.token_cache import TokenCache
from switcher.clients import ClientFactory
from switcher.emulator.organization import (
    IAM_USER_ACCESS_KEY_ID,
    IAM_USER_MFA_SEED,
    IAM_USER_SECRET_ACCESS_KEY,
)
from switcher.emulator.totp import totp
from switcher.errors import ConfigError, CredentialsError
from switcher.model import Credentials
from switcher.store.awsconfig import load_aws_config, load_credentials_file
from tests.conftest import Setup


@dataclass
class StsBackend:
    name: str
    url: str
    access_key_id: str
    secret_access_key: str
    first_role: str
    second_role: str
    external_id: str
    mfa_serial: str = "arn:aws:iam::123456789012:mfa/jane.iam"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["emulator", "moto"])
def sts_backend(request: pytest.FixtureRequest, setup: Setup,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[StsBackend]:
    shared = setup.account_id("acme-shared-services")
    dev = setup.account_id("storefront-dev")
    if request.param == "emulator":
        yield StsBackend("emulator", setup.emulator.url, IAM_USER_ACCESS_KEY_ID,
                         IAM_USER_SECRET_ACCESS_KEY, f"arn:aws:iam::{shared}:role/Deployer",
                         f"arn:aws:iam::{dev}:role/OrganizationAccountAccessRole", "acme-ci",
                         setup.emulator.state.iam_user_mfa_serial)
        return
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url)
    try:
        yield StsBackend("moto", url, "AKIAMOTOEXAMPLE00001", "moto-secret",
                         f"arn:aws:iam::{shared}:role/Deployer",
                         f"arn:aws:iam::{dev}:role/OrganizationAccountAccessRole", "acme-ci")
    finally:
        server.stop()


def _resolver(tmp_path: Path, config: str, credentials: str, clients: ClientFactory,
              mfa_code: str | None = None) -> CredentialResolver:
    (tmp_path / "config").write_text(config)
    (tmp_path / "credentials").write_text(credentials)
    signin = SignIn(clients, TokenCache(tmp_path / "sso"))

    def ask(serial: str) -> str:
        if mfa_code is None:
            raise AssertionError(f"unexpected MFA prompt for {serial}")
        return mfa_code

    return CredentialResolver(load_aws_config(tmp_path / "config"),
                              load_credentials_file(tmp_path / "credentials"), signin, clients,
                              ask)


def _caller_arn(credentials: Credentials) -> str:
    sts = boto3.client("sts", region_name="us-east-1",
                       aws_access_key_id=credentials.access_key_id,
                       aws_secret_access_key=credentials.secret_access_key,
                       aws_session_token=credentials.session_token)
    return str(sts.get_caller_identity()["Arn"])


def test_two_hop_chain_with_external_id_and_mfa(sts_backend: StsBackend,
                                               tmp_path: Path) -> None:
    config = (f"[profile base]\nregion = us-east-1\n\n"
              f"[profile deployer]\nrole_arn = {sts_backend.first_role}\nsource_profile = base\n"
              f"external_id = {sts_backend.external_id}\nrole_session_name = first-hop\n"
              f"mfa_serial = {sts_backend.mfa_serial}\n\n"
              f"[profile dev-admin]\nrole_arn = {sts_backend.second_role}\n"
              f"source_profile = deployer\nrole_session_name = second-hop\n")
    keys = (f"[base]\naws_access_key_id = {sts_backend.access_key_id}\n"
            f"aws_secret_access_key = {sts_backend.secret_access_key}\n")
    resolver = _resolver(tmp_path, config, keys, ClientFactory(), totp(IAM_USER_MFA_SEED))
    first = resolver.for_profile("deployer")
    second = resolver.for_profile("dev-admin")
    assert not first.chained and second.chained
    assert _caller_arn(first).endswith(":assumed-role/Deployer/first-hop")
    assert _caller_arn(second).endswith(":assumed-role/OrganizationAccountAccessRole/second-hop")
    assert resolver.for_profile("dev-admin") is second  # cached, no second AssumeRole


def test_source_profile_loop_and_missing_source_are_reported(tmp_path: Path, setup: Setup) -> None:
    config = ("[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n"
              "[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n"
              "[profile c]\nrole_arn = arn:aws:iam::111111111111:role/C\nsource_profile = gone\n")
    resolver = _resolver(tmp_path, config, "", ClientFactory())
    with pytest.raises(ConfigError, match="loop: a -> b -> a"):
        resolver.for_profile("a")
    with pytest.raises(ConfigError, match="'gone' does not exist"):
        resolver.for_profile("c")


def _emulator_chain(setup: Setup, tmp_path: Path, extra: str, mfa_code: str | None = None
                    ) -> CredentialResolver:
    keys = (f"[base]\naws_access_key_id = {IAM_USER_ACCESS_KEY_ID}\n"
            f"aws_secret_access_key = {IAM_USER_SECRET_ACCESS_KEY}\n")
    return _resolver(tmp_path, "[profile base]\n" + extra, keys, ClientFactory(), mfa_code)


def test_role_chaining_is_capped_at_one_hour(setup: Setup, tmp_path: Path) -> None:
    shared, dev = setup.account_id("acme-shared-services"), setup.account_id("storefront-dev")
    resolver = _emulator_chain(setup, tmp_path, (
        f"[profile long]\nrole_arn = arn:aws:iam::{dev}:role/Deployer\nsource_profile = base\n"
        "external_id = storefront-ci\nduration_seconds = 7200\n"
        f"[profile hop]\nrole_arn = arn:aws:iam::{shared}:role/Deployer\nsource_profile = base\n"
        "external_id = acme-ci\n"
        f"[profile chained-long]\nrole_arn = arn:aws:iam::{dev}:role/Deployer\n"
        "source_profile = hop\nexternal_id = storefront-ci\nduration_seconds = 7200\n"))
    assert resolver.for_profile("long").expiration is not None  # 2 h allowed from an IAM user
    with pytest.raises(CredentialsError, match="1 hour session limit"):
        resolver.for_profile("chained-long")


def test_external_id_must_match(setup: Setup, tmp_path: Path) -> None:
    shared = setup.account_id("acme-shared-services")
    resolver = _emulator_chain(setup, tmp_path, (
        f"[profile wrong]\nrole_arn = arn:aws:iam::{shared}:role/Deployer\n"
        "source_profile = base\nexternal_id = guess\n"))
    with pytest.raises(CredentialsError, match="not authorized to perform: sts:AssumeRole"):
        resolver.for_profile("wrong")


@pytest.mark.parametrize(("code", "ok"), [(None, True), ("000000", False)])
def test_mfa_code_is_asked_once_and_checked(setup: Setup, tmp_path: Path, code: str | None,
                                            ok: bool) -> None:
    security = setup.account_id("acme-security")
    serial = setup.emulator.state.iam_user_mfa_serial
    real = totp(IAM_USER_MFA_SEED)
    if code == real:  # vanishingly unlikely, but then the test would mean nothing
        pytest.skip("the wrong code happens to be right")
    resolver = _emulator_chain(setup, tmp_path, (
        f"[profile glass]\nrole_arn = arn:aws:iam::{security}:role/BreakGlass\n"
        f"source_profile = base\nmfa_serial = {serial}\n"), code or real)
    if ok:
        credentials = resolver.for_profile("glass")
        assert ":assumed-role/BreakGlass/" in _caller_arn(credentials)
        resolver.mfa_prompt = lambda serial: pytest.fail("asked for MFA twice")
        assert resolver.for_profile("glass") is credentials
    else:
        with pytest.raises(CredentialsError, match="invalid MFA one time pass code"):
            resolver.for_profile("glass")


def test_mfa_is_required_by_the_role(setup: Setup, tmp_path: Path) -> None:
    security = setup.account_id("acme-security")
    resolver = _emulator_chain(setup, tmp_path, (
        f"[profile glass]\nrole_arn = arn:aws:iam::{security}:role/BreakGlass\n"
        "source_profile = base\n"))
    with pytest.raises(CredentialsError, match="MFA code is required"):
        resolver.for_profile("glass")


def test_long_lived_keys_become_federation_credentials_for_the_console(
        setup: Setup, tmp_path: Path) -> None:
    resolver = _emulator_chain(setup, tmp_path, "")
    keys = resolver.for_profile("base")
    assert not keys.session_token
    federated = resolver.console_credentials(keys, "jane.iam")
    assert federated.federated and federated.session_token
    assert ":federated-user/jane.iam" in _caller_arn(federated)
    with pytest.raises(CredentialsError, match="InvalidClientTokenId"):  # no session token
        resolver.console_credentials(
            Credentials(federated.access_key_id, federated.secret_access_key, ""), "again")


def test_credential_source_environment(setup: Setup, tmp_path: Path) -> None:
    shared = setup.account_id("acme-shared-services")
    (tmp_path / "config").write_text(
        f"[profile from-env]\nrole_arn = arn:aws:iam::{shared}:role/Deployer\n"
        "credential_source = Environment\nexternal_id = acme-ci\n"
        "[profile both]\nrole_arn = arn:aws:iam::111111111111:role/X\n"
        "credential_source = Environment\nsource_profile = from-env\n")
    (tmp_path / "credentials").write_text("")
    clients = ClientFactory()
    resolver = CredentialResolver(
        load_aws_config(tmp_path / "config"), load_credentials_file(tmp_path / "credentials"),
        SignIn(clients, TokenCache(tmp_path / "sso")), clients,
        environ={"AWS_ACCESS_KEY_ID": IAM_USER_ACCESS_KEY_ID,
                 "AWS_SECRET_ACCESS_KEY": IAM_USER_SECRET_ACCESS_KEY})
    assert ":assumed-role/Deployer/" in _caller_arn(resolver.for_profile("from-env"))
    with pytest.raises(ConfigError, match="both source_profile and credential_source"):
        resolver.for_profile("both")


def test_long_lived_keys_with_mfa_become_an_mfa_session(setup: Setup, tmp_path: Path) -> None:
    serial = setup.emulator.state.iam_user_mfa_serial
    resolver = _emulator_chain(setup, tmp_path, "", totp(IAM_USER_MFA_SEED))
    resolver.config.profiles["base"]["mfa_serial"] = serial
    session = resolver.for_profile("base")
    assert session.session_token and session.access_key_id != IAM_USER_ACCESS_KEY_ID
    assert _caller_arn(session).endswith(":user/jane.iam")
    resolver.mfa_prompt = lambda serial: pytest.fail("asked for MFA twice")
    assert resolver.for_profile("base") is session
    assert setup.emulator.state.calls["sts.GetSessionToken"] == 1


def test_a_duration_that_is_not_a_number_is_a_config_error_for_an_mfa_session(
        setup: Setup, tmp_path: Path) -> None:
    resolver = _emulator_chain(setup, tmp_path, "", totp(IAM_USER_MFA_SEED))
    resolver.config.profiles["base"]["mfa_serial"] = setup.emulator.state.iam_user_mfa_serial
    resolver.config.profiles["base"]["duration_seconds"] = "all day"
    with pytest.raises(ConfigError, match="duration_seconds must be a whole number"):
        resolver.for_profile("base")
