"""The AWS console: three ways in.

- Federation (the default): getSigninToken is one GET to the partition's federation endpoint
  with the session JSON; the login URL then carries the sign-in token and the destination.
- The console's own switchrole link, for switch-role entries: keeps the console's display name
  and colour, and avoids the one hour limit of chained federation (needs a console session).
- An IAM Identity Center portal shortcut, for SSO targets: the portal makes the console
  session itself, which works with the console's multi-session mode.

Everything here is plain HTTP (the federation endpoint is not an SDK service): no boto3.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote_plus, urlencode, urlsplit

from switcher.errors import ConsoleError
from switcher.model import Credentials, Target, Way

DEFAULT_REGION = "us-east-1"
ISSUER = "https://github.com/switcher"
SESSION_DURATION_RANGE = (900, 43200)


class ConsoleMethod(str, Enum):
    FEDERATION = "federation"
    SWITCHROLE = "switchrole"
    PORTAL = "portal"


@dataclass(frozen=True)
class Partition:
    name: str
    signin_host: str
    console_host: str
    home_regions: tuple[str, ...]
    """Regions whose sign-in host carries no region prefix."""


PARTITIONS = {
    "aws": Partition("aws", "signin.aws.amazon.com", "console.aws.amazon.com", ("us-east-1",)),
    "aws-us-gov": Partition("aws-us-gov", "signin.amazonaws-us-gov.com",
                            "console.amazonaws-us-gov.com", ("us-gov-west-1", "us-gov-east-1")),
    "aws-cn": Partition("aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn",
                        ("cn-north-1", "cn-northwest-1")),
    "aws-eusc": Partition("aws-eusc", "signin.amazonaws-eusc.eu", "console.amazonaws-eusc.eu",
                          ()),
}

# Console paths by the short names people type. Global services take no ?region=.
SERVICES = {
    "console": "console/home", "home": "console/home", "ec2": "ec2/home", "s3": "s3/home",
    "lambda": "lambda/home", "iam": "iam/home", "cloudwatch": "cloudwatch/home",
    "cw": "cloudwatch/home", "logs": "cloudwatch/home#logsV2:log-groups",
    "cloudformation": "cloudformation/home", "cfn": "cloudformation/home",
    "dynamodb": "dynamodbv2/home", "ddb": "dynamodbv2/home", "rds": "rds/home",
    "ecs": "ecs/v2/home", "eks": "eks/home", "ecr": "ecr/home", "vpc": "vpcconsole/home",
    "route53": "route53/v2/home", "r53": "route53/v2/home", "cloudfront": "cloudfront/v4/home",
    "sqs": "sqs/v3/home", "sns": "sns/v3/home", "kms": "kms/home",
    "secretsmanager": "secretsmanager/home", "ssm": "systems-manager/home",
    "parameters": "systems-manager/parameters", "stepfunctions": "states/home",
    "sfn": "states/home", "apigateway": "apigateway/main", "cloudtrail": "cloudtrailv2/home",
    "config": "config/home", "guardduty": "guardduty/home", "securityhub": "securityhub/home",
    "organizations": "organizations/v2/home", "sso": "singlesignon/home",
    "billing": "billing/home", "cost": "costmanagement/home", "support": "support/home",
    "athena": "athena/home", "glue": "glue/home", "kinesis": "kinesis/home",
    "elasticache": "elasticache/home", "opensearch": "aos/home", "bedrock": "bedrock/home",
    "sagemaker": "sagemaker/home", "acm": "acm/home", "waf": "wafv2/homev2",
    "codepipeline": "codesuite/codepipeline/pipelines", "codebuild": "codesuite/codebuild/home",
}
GLOBAL_PATHS = ("iam/", "route53/", "cloudfront/", "organizations/", "billing/",
                "costmanagement/", "support/")


def partition_of(region: str) -> Partition:
    if region.startswith("us-gov-"):
        return PARTITIONS["aws-us-gov"]
    if region.startswith("cn-"):
        return PARTITIONS["aws-cn"]
    if region.startswith("eusc-"):
        return PARTITIONS["aws-eusc"]
    return PARTITIONS["aws"]


def console_path(destination: str) -> str:
    """A service alias (`s3`) or any console path (`ec2/home#Instances:`), without a leading
    slash; an empty destination is the console home."""
    wanted = destination.strip().lstrip("/")
    if not wanted:
        return SERVICES["console"]
    return SERVICES.get(wanted.lower(), wanted)


@dataclass(frozen=True)
class ConsoleEndpoints:
    """Where the federation endpoint and console live; overridable for the emulator."""

    federation: str = ""
    console: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> ConsoleEndpoints:
        return cls(environ.get("SWITCHER_FEDERATION_ENDPOINT", ""),
                   environ.get("SWITCHER_CONSOLE_ENDPOINT", ""))

    def signin_base(self, region: str) -> str:
        """https://[region.]signin.<partition domain> (or the override's origin)."""
        if self.federation:
            split = urlsplit(self.federation)
            return f"{split.scheme}://{split.netloc}"
        partition = partition_of(region)
        if region and region not in partition.home_regions and partition.name in (
                "aws", "aws-eusc"):
            return f"https://{region}.{partition.signin_host}"
        return f"https://{partition.signin_host}"

    def federation_url(self, region: str) -> str:
        return self.federation or f"{self.signin_base(region)}/federation"

    def destination(self, region: str, destination: str = "") -> str:
        """The console URL to land on: `destination` is an alias, a path or a full console
        URL of the same partition."""
        if destination.startswith("https://"):
            host = urlsplit(destination).hostname or ""
            if not host.endswith(partition_of(region).console_host):
                raise ConsoleError(f"{destination} is not a console page of the "
                                   f"{partition_of(region).name} partition")
            return destination
        path = console_path(destination)
        partition = partition_of(region)
        base = self.console.rstrip("/") if self.console else (
            f"https://{region}.{partition.console_host}" if region
            else f"https://{partition.console_host}")
        if not region or path.startswith(GLOBAL_PATHS):
            return f"{base}/{path}"
        page, hash_mark, fragment = path.partition("#")
        separator = "&" if "?" in page else "?"
        return f"{base}/{page}{separator}{urlencode({'region': region})}{hash_mark}{fragment}"

    def logout_first(self, url: str, region: str) -> str:
        """`url`, opened after signing the browser out of its current console session."""
        base = self.signin_base(DEFAULT_REGION if not self.federation else region)
        return f"{base}/oauth?{urlencode({'Action': 'logout', 'redirect_uri': url})}"


class FederationRefused(ConsoleError):
    def __init__(self, status: int) -> None:
        super().__init__(f"The federation endpoint refused the credentials (HTTP {status})")
        self.status = status


def _get_json(url: str, timeout: float) -> dict[str, object]:
    import urllib.request  # only when needed: it pulls in http.client and email

    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            payload = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise FederationRefused(error.code) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConsoleError(f"Could not reach the federation endpoint: {reason}") from None
    except ValueError:
        raise ConsoleError("The federation endpoint answered something that is not JSON") from None
    if not isinstance(payload, dict):
        raise ConsoleError("The federation endpoint answered an unexpected shape")
    return payload


def signin_url(credentials: Credentials, region: str, endpoints: ConsoleEndpoints,
               path: str = "", session_duration: int | None = None,
               timeout: float = 15.0) -> str:
    """A login URL for the console: one round trip to getSigninToken. It grants access to the
    account for 15 minutes, so callers must never log or print it unasked.

    SessionDuration is sent only where AWS allows it (never with role-chained or federation
    credentials); if the endpoint still refuses it, one more try goes without it."""
    if not credentials.session_token:
        raise ConsoleError("Console sign-in needs temporary credentials (with a session token)")
    if session_duration is not None and not (
            SESSION_DURATION_RANGE[0] <= session_duration <= SESSION_DURATION_RANGE[1]):
        raise ConsoleError("The console session duration must be 900 to 43200 seconds")
    federation = endpoints.federation_url(region or DEFAULT_REGION)
    session = json.dumps({"sessionId": credentials.access_key_id,
                          "sessionKey": credentials.secret_access_key,
                          "sessionToken": credentials.session_token})
    query = {"Action": "getSigninToken", "Session": session}
    if session_duration is not None and credentials.allows_session_duration:
        query["SessionDuration"] = str(session_duration)
    try:
        payload = _get_json(f"{federation}?{urlencode(query, quote_via=quote_plus)}", timeout)
    except FederationRefused as refused:
        if refused.status != 400 or "SessionDuration" not in query:
            raise
        del query["SessionDuration"]
        payload = _get_json(f"{federation}?{urlencode(query, quote_via=quote_plus)}", timeout)
    token = payload.get("SigninToken")
    if not isinstance(token, str) or not token:
        raise ConsoleError("The federation endpoint gave no sign-in token")
    login = {"Action": "login", "Issuer": ISSUER,
             "Destination": endpoints.destination(region, path), "SigninToken": token}
    return f"{federation}?{urlencode(login, quote_via=quote_plus)}"


SWITCH_ROLE_PALETTE = ("f2b0a9", "fbc8aa", "efda95", "b7ca9d", "83d4e8")


def nearest_switch_role_color(color: str) -> str:
    """The console accepts only its own five colours: the closest one to `color`."""
    wanted = color.lstrip("#").lower()
    if len(wanted) != 6:
        return ""
    try:
        rgb = [int(wanted[i : i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        return ""

    def distance(candidate: str) -> int:
        other = [int(candidate[i : i + 2], 16) for i in (0, 2, 4)]
        return sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True))

    return min(SWITCH_ROLE_PALETTE, key=distance)


def switchrole_url(target: Target, way: Way | None, region: str, endpoints: ConsoleEndpoints,
                   path: str = "") -> str:
    """The console's Switch Role link. It holds no secret: the browser must already be
    signed in to the console with an identity allowed to assume the role. AWS documents
    roleName as the role's name with its path, if any (`team/Admin`)."""
    display = (way.display_name if way and way.display_name else target.display_name)[:64]
    params = {"account": target.account_id, "roleName": target.role.path_and_name,
              "displayName": display}
    color = nearest_switch_role_color((way.color if way and way.color else "") or target.color)
    if color:
        params["color"] = color
    params["redirect_uri"] = endpoints.destination(region, path)
    return f"{endpoints.signin_base(DEFAULT_REGION if not endpoints.federation else region)}" \
           f"/switchrole?{urlencode(params)}"


def portal_url(start_url: str, target: Target, region: str, endpoints: ConsoleEndpoints,
               path: str = "") -> str:
    """An IAM Identity Center shortcut link: the access portal signs the browser in to the
    account and role (and works with the console's multi-session mode)."""
    params = {"account_id": target.account_id, "role_name": target.role_name,
              "destination": endpoints.destination(region, path)}
    return f"{start_url.rstrip('/')}/#/console?{urlencode(params)}"
