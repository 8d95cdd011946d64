"""Every way into the console, for a region of every partition, against the hosts AWS documents.

Sources of the expected hosts (the same ones are written beside each entry of the table in
switcher/actions/console.py):
- aws: https://docs.aws.amazon.com/general/latest/gr/signin-service.html (us-east-1 is
  signin.aws.amazon.com, every other region <region>.signin.aws.amazon.com) and
  https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html (<region>.console.aws.amazon.com);
  the switchrole link: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-console.html
- aws-us-gov: https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html (the
  GovCloud console signs in at signin.amazonaws-us-gov.com) and configure-account.html
  (console.amazonaws-us-gov.com); aws-sso-util's console.py logs out of GovCloud there.
- aws-cn: https://docs.amazonaws.cn/en_us/IAM/latest/UserGuide/id_users_sign-in.html
  (console.amazonaws.cn); portal pattern start.home.awsapps.cn in
  https://docs.amazonaws.cn/en_us/aws/latest/userguide/iam-identity-center.html
- aws-eusc: console.amazonaws-eusc.eu and <region>.signin.amazonaws-eusc.eu as granted's
  pkg/console/partition.go builds them (AWS's own EUSC pages do not list the hosts yet).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from switcher.actions.console import (
    PARTITIONS,
    ConsoleEndpoints,
    partition_of,
    portal_url,
    switchrole_url,
)
from switcher.errors import ConsoleError
from switcher.model import Account, SourceKind, Target, Way

AWS = ConsoleEndpoints()
ENTRY = Target(Account("123456789012", "shop"), "Admin",
               (Way(SourceKind.SWITCH_ROLE, display_name="Shop", color="f2b0a9"),))

# region -> (federation endpoint, console host of the region, logout endpoint, switchrole page)
EXPECTED = {
    "us-east-1": ("https://signin.aws.amazon.com/federation",
                  "us-east-1.console.aws.amazon.com",
                  "https://signin.aws.amazon.com/oauth",
                  "https://signin.aws.amazon.com/switchrole"),
    "eu-west-1": ("https://eu-west-1.signin.aws.amazon.com/federation",
                  "eu-west-1.console.aws.amazon.com",
                  "https://signin.aws.amazon.com/oauth",
                  "https://signin.aws.amazon.com/switchrole"),
    "us-gov-west-1": ("https://signin.amazonaws-us-gov.com/federation",
                      "us-gov-west-1.console.amazonaws-us-gov.com",
                      "https://signin.amazonaws-us-gov.com/oauth",
                      "https://signin.amazonaws-us-gov.com/switchrole"),
    "us-gov-east-1": ("https://signin.amazonaws-us-gov.com/federation",
                      "us-gov-east-1.console.amazonaws-us-gov.com",
                      "https://signin.amazonaws-us-gov.com/oauth",
                      "https://signin.amazonaws-us-gov.com/switchrole"),
    "cn-north-1": ("https://signin.amazonaws.cn/federation",
                   "cn-north-1.console.amazonaws.cn",
                   "https://signin.amazonaws.cn/oauth",
                   "https://signin.amazonaws.cn/switchrole"),
    "cn-northwest-1": ("https://signin.amazonaws.cn/federation",
                       "cn-northwest-1.console.amazonaws.cn",
                       "https://signin.amazonaws.cn/oauth",
                       "https://signin.amazonaws.cn/switchrole"),
    "eusc-de-east-1": ("https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation",
                       "eusc-de-east-1.console.amazonaws-eusc.eu",
                       "https://eusc-de-east-1.signin.amazonaws-eusc.eu/oauth",
                       "https://eusc-de-east-1.signin.amazonaws-eusc.eu/switchrole"),
}


def _endpoint(url: str) -> str:
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}{split.path}"


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_federation_and_console_hosts(region: str) -> None:
    federation, console, _, _ = EXPECTED[region]
    assert AWS.federation_url(region) == federation
    assert urlsplit(AWS.destination(region, "s3")).hostname == console


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_logout_first_signs_out_of_the_partition_it_signs_in_to(region: str) -> None:
    logout = EXPECTED[region][2]
    login = f"{AWS.federation_url(region)}?Action=login&SigninToken=x"
    wrapped = AWS.logout_first(login, region)
    assert _endpoint(wrapped) == logout
    assert parse_qs(urlsplit(wrapped).query) == {"Action": ["logout"], "redirect_uri": [login]}


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_switchrole_link_stays_in_the_partition(region: str) -> None:
    _, console, _, switchrole = EXPECTED[region]
    url = switchrole_url(ENTRY, ENTRY.way, region, AWS, "ec2")
    assert _endpoint(url) == switchrole
    redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    assert urlsplit(redirect).hostname == console


@pytest.mark.parametrize(("start_url", "region"), [
    ("https://d-1234567890.awsapps.com/start", "eu-west-1"),
    ("https://start.us-gov-home.awsapps.com/directory/d-1234567890", "us-gov-west-1"),
    ("https://start.home.awsapps.cn/directory/d-1234567890", "cn-north-1"),
])
def test_portal_link_lands_in_the_partition_of_its_portal(start_url: str, region: str) -> None:
    url = portal_url(start_url, ENTRY, region, AWS, "ec2")
    assert url.startswith(start_url + "/#/console?")
    destination = parse_qs(url.split("#/console?", 1)[1])["destination"][0]
    assert urlsplit(destination).hostname == EXPECTED[region][1]


@pytest.mark.parametrize(("start_url", "region"), [
    ("https://d-1234567890.awsapps.com/start", "us-gov-west-1"),
    ("https://start.us-gov-home.awsapps.com/directory/d-1234567890", "eu-west-1"),
    ("https://start.home.awsapps.cn/directory/d-1234567890", "us-east-1"),
])
def test_portal_of_another_partition_is_refused(start_url: str, region: str) -> None:
    with pytest.raises(ConsoleError, match="partition"):
        portal_url(start_url, ENTRY, region, AWS)


def test_the_table_covers_every_partition_and_names_its_sources() -> None:
    assert set(PARTITIONS) == {"aws", "aws-us-gov", "aws-cn", "aws-eusc"}
    for region in EXPECTED:
        partition = partition_of(region)
        assert partition.sources, partition.name
        assert partition_of(partition.default_region) is partition


def test_a_console_page_of_a_lookalike_host_is_refused() -> None:
    with pytest.raises(ConsoleError, match="not a console page"):
        AWS.destination("eu-west-1", "https://evilconsole.aws.amazon.com/ec2/home")
    multi_session = "https://123456789012-abcd1234.eu-west-1.console.aws.amazon.com/s3/home"
    assert AWS.destination("eu-west-1", multi_session) == multi_session
