"""Console sign-in URLs: their shape per partition, and what the emulator makes of them."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from switcher.actions.console import ConsoleEndpoints, signin_url
from switcher.errors import ConsoleError
from switcher.model import Credentials
from switcher.workspace import Workspace
from tests.conftest import Setup


@pytest.mark.parametrize(("region", "federation", "destination"), [
    ("us-east-1", "https://signin.aws.amazon.com/federation",
     "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1"),
    ("eu-west-1", "https://eu-west-1.signin.aws.amazon.com/federation",
     "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"),
    ("us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation",
     "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"),
    ("cn-north-1", "https://signin.amazonaws.cn/federation",
     "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1"),
])
def test_partition_hosts(region: str, federation: str, destination: str) -> None:
    endpoints = ConsoleEndpoints()
    assert endpoints.federation_url(region) == federation
    assert endpoints.destination(region) == destination
    assert endpoints.destination(region, "s3/home").startswith(
        destination.replace("console/home", "s3/home"))


def _follow(url: str) -> str:
    """Follow a login URL as a browser would (cookies kept across redirects)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(url, timeout=10) as answer:
        return str(answer.read().decode())


def test_signin_url_lands_on_the_right_account_role_and_region(signed_in: Workspace,
                                                               setup: Setup) -> None:
    target, _ = signed_in.resolve("storefront-prod/AdministratorAccess")
    url = signed_in.console_url(target, "eu-central-1", "ec2/home")
    query = parse_qs(urlsplit(url).query)
    assert query["Action"] == ["login"] and query["SigninToken"][0]
    assert query["Destination"] == [f"{setup.emulator.url}/ec2/home?region=eu-central-1"]
    page = _follow(url)
    assert target.account_id in page and "storefront-prod" in page
    visit = setup.emulator.state.console_visits[-1]
    assert visit["account_id"] == target.account_id
    assert visit["role"].startswith("AWSReservedSSO_AdministratorAccess_")
    assert (visit["region"], visit["service"]) == ("eu-central-1", "ec2")
    with pytest.raises(urllib.error.HTTPError):  # a sign-in token works once
        _follow(url)


def test_session_duration_is_never_sent_with_chained_credentials(signed_in: Workspace,
                                                                 setup: Setup) -> None:
    chained = signed_in.credentials(*signed_in.resolve("shared-deployer"))
    assert chained.chained
    url = signin_url(chained, "us-east-1", signed_in.endpoints, session_duration=7200)
    assert "federation" in url  # the emulator refuses SessionDuration for chained sessions
    calls = setup.emulator.state.calls.get("federation.getSigninToken", 0)
    assert calls == 1  # no SessionDuration sent, so no refusal and no retry
    forced = Credentials(chained.access_key_id, chained.secret_access_key,
                         chained.session_token)  # pretend not chained: the endpoint says no
    url = signin_url(forced, "us-east-1", signed_in.endpoints, session_duration=7200)
    assert setup.emulator.state.calls["federation.getSigninToken"] == 3  # refused, retried
    assert "SigninToken=" in url
    with pytest.raises(ConsoleError, match="900 to 43200"):
        signin_url(forced, "us-east-1", signed_in.endpoints, session_duration=60)


def test_refused_credentials_give_a_clear_error(signed_in: Workspace) -> None:
    bogus = Credentials("ASIANOTREAL", "secret", "token")
    with pytest.raises(ConsoleError, match="refused the credentials"):
        signin_url(bogus, "us-east-1", signed_in.endpoints)
    nowhere = ConsoleEndpoints("http://127.0.0.1:9/federation", "http://127.0.0.1:9")
    with pytest.raises(ConsoleError, match="Could not reach"):
        signin_url(bogus, "us-east-1", nowhere, timeout=2)
