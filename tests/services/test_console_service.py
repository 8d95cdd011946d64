"""The console service: logout-first only where it makes sense, and the Issuer of a login."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from switcher.actions.console import ConsoleEndpoints, ConsoleMethod
from switcher.auth.credentials import CredentialResolver
from switcher.errors import ConsoleError
from switcher.model import Account, SourceKind, Target, Way
from switcher.services.console import ConsoleService
from switcher.store.settings import Settings
from switcher.workspace import Workspace
from tests.conftest import Setup

ENTRY = Target(Account("123456789012", "shop"), "Admin",
               (Way(SourceKind.SWITCH_ROLE, display_name="Shop", source_profile="base"),))
ASSIGNMENT = Target(Account("123456789012", "shop"), "ReadOnly",
                    (Way(SourceKind.SSO, sso_session="org",
                         start_url="https://d-1234567890.awsapps.com/start",
                         sso_region="eu-west-1"),))


def _no_resolver() -> CredentialResolver:
    raise AssertionError("the switchrole and portal ways need no credentials")


def _service(logout_first: bool) -> ConsoleService:
    settings = Settings(Path("config.toml"), console_logout_first=logout_first)
    no_browser: Callable[[], str] = lambda: ""  # noqa: E731
    return ConsoleService(lambda: settings, _no_resolver, ConsoleEndpoints(), no_browser)


@pytest.mark.parametrize(("target", "method"), [(ENTRY, "switchrole"), (ASSIGNMENT, "portal")])
def test_logout_first_asked_for_is_refused_with_a_reason(target: Target, method: str) -> None:
    with pytest.raises(ConsoleError) as refused:
        _service(False).url(target, "eu-west-1", method=method, logout_first=True)
    reason = str(refused.value)
    assert "\n" not in reason and "federation" in reason and method in reason


@pytest.mark.parametrize(("target", "method", "landing"), [
    (ENTRY, ConsoleMethod.SWITCHROLE, "https://signin.aws.amazon.com/switchrole?"),
    (ASSIGNMENT, ConsoleMethod.PORTAL, "https://d-1234567890.awsapps.com/start/#/console?")])
def test_logout_first_from_config_is_ignored_with_a_warning(
        target: Target, method: ConsoleMethod, landing: str) -> None:
    service = _service(True)
    link = service.link(target, "eu-west-1", method=method.value)
    assert link.url.startswith(landing) and "oauth" not in link.url
    assert link.method is method
    assert len(link.warnings) == 1
    assert "logout_first" in link.warnings[0] and method.value in link.warnings[0]
    assert service.url(target, "eu-west-1", method=method.value) == link.url
    assert service.url(target, "eu-west-1", method=method.value, logout_first=False) == link.url


def test_logout_first_wraps_only_the_federation_login(signed_in: Workspace,
                                                      setup: Setup) -> None:
    target, _ = signed_in.resolve("storefront-dev/ReadOnlyAccess")
    link = signed_in.console.link(target, "eu-west-1", logout_first=True)
    assert urlsplit(link.url).path == "/oauth" and not link.warnings
    login = parse_qs(urlsplit(link.url).query)["redirect_uri"][0]
    assert parse_qs(urlsplit(login).query)["Action"] == ["login"]


def test_the_issuer_is_the_start_url_of_the_portal_the_credentials_came_from(
        signed_in: Workspace, setup: Setup) -> None:
    target, _ = signed_in.resolve("storefront-dev/ReadOnlyAccess")
    assert target.way.kind is SourceKind.SSO
    url = signed_in.console_url(target, "eu-west-1")
    assert parse_qs(urlsplit(url).query)["Issuer"] == [target.way.start_url]
    assert target.way.start_url == setup.emulator.state.organization.start_url


def test_without_a_portal_the_issuer_is_the_consoles_start_page(signed_in: Workspace,
                                                                setup: Setup) -> None:
    chained, way = signed_in.resolve("shared-deployer")
    assert (way or chained.way).kind is not SourceKind.SSO
    url = signed_in.console_url(chained, "eu-west-1", way=way)
    assert parse_qs(urlsplit(url).query)["Issuer"] == [f"{setup.emulator.url}/"]
    real = replace(ConsoleEndpoints(), federation="")
    assert real.default_issuer("us-gov-west-1") == "https://console.amazonaws-us-gov.com/"
    assert real.default_issuer("cn-north-1") == "https://console.amazonaws.cn/"
