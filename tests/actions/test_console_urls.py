"""Console URLs for every partition, region and destination, and the other ways in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from switcher.actions.browser import command_argv, container_url
from switcher.actions.console import (
    SERVICES,
    ConsoleEndpoints,
    console_path,
    nearest_switch_role_color,
    portal_url,
    switchrole_url,
)
from switcher.errors import ConsoleError
from switcher.model import Account, Environment, SourceKind, Target, Way

AWS = ConsoleEndpoints()


@pytest.mark.parametrize(("region", "signin", "console"), [
    ("us-east-1", "https://signin.aws.amazon.com", "us-east-1.console.aws.amazon.com"),
    ("ap-southeast-5", "https://ap-southeast-5.signin.aws.amazon.com",
     "ap-southeast-5.console.aws.amazon.com"),
    ("us-gov-east-1", "https://signin.amazonaws-us-gov.com",
     "us-gov-east-1.console.amazonaws-us-gov.com"),
    ("cn-northwest-1", "https://signin.amazonaws.cn", "cn-northwest-1.console.amazonaws.cn"),
    ("eusc-de-east-1", "https://eusc-de-east-1.signin.amazonaws-eusc.eu",
     "eusc-de-east-1.console.amazonaws-eusc.eu"),
])
def test_hosts_of_every_partition(region: str, signin: str, console: str) -> None:
    assert AWS.federation_url(region) == f"{signin}/federation"
    assert urlsplit(AWS.destination(region)).hostname == console


@pytest.mark.parametrize("alias", sorted(SERVICES))
def test_every_service_alias_is_a_console_path(alias: str) -> None:
    url = AWS.destination("eu-west-1", alias)
    split = urlsplit(url)
    assert split.hostname == "eu-west-1.console.aws.amazon.com"
    assert split.path == "/" + SERVICES[alias].split("#")[0].split("?")[0]
    is_global = SERVICES[alias].startswith(("iam/", "route53/", "cloudfront/", "organizations/",
                                            "billing/", "costmanagement/", "support/"))
    assert ("region=eu-west-1" in url) is not is_global


def test_paths_fragments_and_full_urls() -> None:
    assert AWS.destination("eu-west-1", "ec2/home#Instances:") == (
        "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:")
    assert AWS.destination("eu-west-1", "/s3/buckets/my-bucket?tab=objects") == (
        "https://eu-west-1.console.aws.amazon.com/s3/buckets/my-bucket?tab=objects"
        "&region=eu-west-1")
    full = "https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions"
    assert AWS.destination("eu-west-1", full) == full
    with pytest.raises(ConsoleError, match="not a console page"):
        AWS.destination("eu-west-1", "https://evil.example/console")
    assert console_path("S3") == "s3/home" and console_path("") == "console/home"


def test_logout_first_wraps_the_url() -> None:
    wrapped = AWS.logout_first("https://signin.aws.amazon.com/federation?x=1", "eu-west-1")
    split = urlsplit(wrapped)
    assert f"{split.scheme}://{split.netloc}{split.path}" == (
        "https://signin.aws.amazon.com/oauth")
    assert parse_qs(split.query) == {"Action": ["logout"],
                                     "redirect_uri": ["https://signin.aws.amazon.com/"
                                                      "federation?x=1"]}


TARGET = Target(Account("123456789012", "shop prod"), "Admin",
                (Way(SourceKind.SWITCH_ROLE, display_name="Shop prod", color="ff0000"),),
                environment=Environment.PRODUCTION, color="#f2b0a9")


def test_switchrole_link() -> None:
    url = switchrole_url(TARGET, TARGET.way, "eu-west-1", AWS, "s3")
    split = urlsplit(url)
    assert url.startswith("https://signin.aws.amazon.com/switchrole?")
    query = parse_qs(split.query)
    assert query["account"] == ["123456789012"] and query["roleName"] == ["Admin"]
    assert query["displayName"] == ["Shop prod"]
    assert query["color"] == ["f2b0a9"]  # nearest colour the console accepts
    assert query["redirect_uri"] == ["https://eu-west-1.console.aws.amazon.com/s3/home?"
                                     "region=eu-west-1"]
    assert nearest_switch_role_color("#00ff00") == "b7ca9d"
    assert nearest_switch_role_color("nonsense") == ""


def test_portal_shortcut_link() -> None:
    url = portal_url("https://d-123.awsapps.com/start", TARGET, "eu-west-1", AWS, "ec2")
    assert url.startswith("https://d-123.awsapps.com/start/#/console?")
    query = parse_qs(url.split("#/console?", 1)[1])
    assert query["account_id"] == ["123456789012"] and query["role_name"] == ["Admin"]
    assert query["destination"][0].startswith("https://eu-west-1.console.aws.amazon.com/ec2/")


def test_browser_command_templates_are_never_a_shell() -> None:
    fields = {"environment": "production", "account_id": "123456789012",
              "account_name": "x'; rm -rf ~ #", "role": "Admin", "color": "f2b0a9"}
    argv = command_argv("chromium --user-data-dir=~/profiles/{environment} --new-window {url}",
                        "http://127.0.0.1:1/once", fields)
    assert argv[1].endswith("/profiles/production") and not argv[1].startswith("~")
    assert argv[-1] == "http://127.0.0.1:1/once"
    firefox = command_argv("firefox {container_url}", "http://127.0.0.1:1/once", fields)
    assert len(firefox) == 2 and firefox[1].startswith("ext+container:")
    query = parse_qs(firefox[1].removeprefix("ext+container:"))
    assert query["name"] == ["x'; rm -rf ~ # Admin"] and query["color"] == ["red"]
    assert query["url"] == ["http://127.0.0.1:1/once"]
    assert container_url("u", {}) == "ext+container:name=AWS&color=pink&icon=fingerprint&url=u"


def test_the_readme_states_no_alias_count_the_code_does_not_have() -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for count in re.findall(r"(\d+)\s+(?:console\s+)?(?:service\s+)?aliases", readme):
        assert int(count) == len(SERVICES)
