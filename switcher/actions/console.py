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
SESSION_DURATION_RANGE = (900, 43200)


class ConsoleMethod(str, Enum):
    FEDERATION = "federation"
    SWITCHROLE = "switchrole"
    PORTAL = "portal"


@dataclass(frozen=True)
class Partition:
    """Where one AWS partition signs in and keeps its console: every console URL is made
    from this table (or from the endpoint override the emulator sets)."""

    name: str
    region_prefixes: tuple[str, ...]
    default_region: str
    signin_host: str
    """The sign-in host without a region prefix (`<region>.<signin_host>` is regional)."""
    regional_signin: bool
    """Whether regions other than `unprefixed_regions` sign in at `<region>.<signin_host>`."""
    unprefixed_regions: tuple[str, ...]
    home_signin: bool
    """Whether `signin_host` itself answers (sign-out and the switchrole page go there);
    otherwise they go to the region's own sign-in host."""
    console_host: str
    portal_domains: tuple[str, ...]
    """How the hosts of this partition's IAM Identity Center portals end ("" = unknown)."""
    sources: tuple[str, ...]

    def signin_host_for(self, region: str) -> str:
        if self.regional_signin and region and region not in self.unprefixed_regions:
            return f"{region}.{self.signin_host}"
        return self.signin_host

    def home_signin_host(self, region: str) -> str:
        """Where the browser signs out, and where the switchrole page lives."""
        if self.home_signin:
            return self.signin_host
        return self.signin_host_for(region or self.default_region)

    def console_base(self, region: str) -> str:
        return f"https://{region}.{self.console_host}" if region \
            else f"https://{self.console_host}"

    def owns_console_host(self, host: str) -> bool:
        return host == self.console_host or host.endswith("." + self.console_host)


PARTITIONS = {
    "aws": Partition(
        "aws", (), "us-east-1", "signin.aws.amazon.com", True, ("us-east-1",), True,
        "console.aws.amazon.com", ("awsapps.com",),
        ("https://docs.aws.amazon.com/general/latest/gr/signin-service.html (us-east-1: "
         "signin.aws.amazon.com, other regions <region>.signin.aws.amazon.com)",
         "https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html "
         "(<region>.console.aws.amazon.com)",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-console.html "
         "(https://signin.aws.amazon.com/switchrole)",
         "https://docs.aws.amazon.com/signin/latest/userguide/iam-id-center-sign-in-tutorial.html "
         "(portal https://<id>.awsapps.com/start)")),
    # GovCloud: the console signs in at signin.amazonaws-us-gov.com for both regions
    # (granted and aws-sso-util also know us-gov-east-1.signin...; the unprefixed host
    # serves the whole partition, as signin.aws.amazon.com does).
    "aws-us-gov": Partition(
        "aws-us-gov", ("us-gov-",), "us-gov-west-1", "signin.amazonaws-us-gov.com", False, (),
        True, "console.amazonaws-us-gov.com", ("us-gov-home.awsapps.com",),
        ("https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html "
         "(console sign-in at https://signin.amazonaws-us-gov.com)",
         "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/configure-account.html "
         "(https://console.amazonaws-us-gov.com)",
         "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-sso.html "
         "(portal https://start.us-gov-home.awsapps.com/directory/<id>)",
         "benkehoe/aws-sso-util cli/src/aws_sso_util/console.py get_logout_url "
         "(https://signin.amazonaws-us-gov.com/oauth?Action=logout)")),
    "aws-cn": Partition(
        "aws-cn", ("cn-",), "cn-north-1", "signin.amazonaws.cn", False, (), True,
        "console.amazonaws.cn", ("awsapps.cn",),
        ("https://docs.amazonaws.cn/en_us/IAM/latest/UserGuide/id_users_sign-in.html "
         "(https://console.amazonaws.cn/)",
         "https://docs.amazonaws.cn/en_us/aws/latest/userguide/iam-identity-center.html "
         "(portal https://start.home.awsapps.cn/directory/<id>)",
         "fwdcloudsec/granted pkg/console/partition.go and 99designs/aws-vault cli/login.go "
         "(https://signin.amazonaws.cn/federation)")),
    # The European Sovereign Cloud: AWS's pages do not list its console hosts yet; these are
    # the ones granted builds (regional sign-in only: aws-vault notes the unprefixed host
    # "not yet available"). Its portal domain is not documented anywhere we looked.
    "aws-eusc": Partition(
        "aws-eusc", ("eusc-",), "eusc-de-east-1", "signin.amazonaws-eusc.eu", True, (), False,
        "console.amazonaws-eusc.eu", (),
        ("fwdcloudsec/granted pkg/console/partition.go (RegionalHostString, "
         "RegionalConsoleHostString: <region>.signin.amazonaws-eusc.eu, "
         "<region>.console.amazonaws-eusc.eu)",
         "ByteNess/aws-vault cli/login.go generateLoginURL (eusc sign-in not yet available "
         "without a region)")),
}


def partition_of(region: str) -> Partition:
    for partition in PARTITIONS.values():
        if partition.region_prefixes and region.startswith(partition.region_prefixes):
            return partition
    return PARTITIONS["aws"]


def portal_partition(start_url: str) -> Partition | None:
    """The partition whose portal domain the start URL's host ends in (the longest match:
    GovCloud's portals are under awsapps.com too), or None when it is not a known one."""
    host = urlsplit(start_url).hostname or ""
    best: tuple[int, Partition | None] = (0, None)
    for partition in PARTITIONS.values():
        for domain in partition.portal_domains:
            if (host == domain or host.endswith("." + domain)) and len(domain) > best[0]:
                best = (len(domain), partition)
    return best[1]


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

    def _override_origin(self) -> str:
        split = urlsplit(self.federation)
        return f"{split.scheme}://{split.netloc}"

    def signin_base(self, region: str) -> str:
        """https://[region.]signin.<partition domain> (or the override's origin)."""
        if self.federation:
            return self._override_origin()
        return f"https://{partition_of(region).signin_host_for(region)}"

    def home_signin_base(self, region: str) -> str:
        """The sign-in host of the region's partition that signs out and switches roles."""
        if self.federation:
            return self._override_origin()
        return f"https://{partition_of(region).home_signin_host(region)}"

    def federation_url(self, region: str) -> str:
        return self.federation or f"{self.signin_base(region)}/federation"

    def console_base(self, region: str) -> str:
        return self.console.rstrip("/") if self.console else \
            partition_of(region).console_base(region)

    def default_issuer(self, region: str) -> str:
        """The Issuer of a login URL with no Identity Center portal behind it: the console's
        own start page of the partition, where an expired session signs in again."""
        return (self.console.rstrip("/") + "/") if self.console else \
            f"https://{partition_of(region).console_host}/"

    def destination(self, region: str, destination: str = "") -> str:
        """The console URL to land on: `destination` is an alias, a path or a full console
        URL of the same partition."""
        if destination.startswith("https://"):
            partition = partition_of(region)
            if not partition.owns_console_host(urlsplit(destination).hostname or ""):
                raise ConsoleError(f"{destination} is not a console page of the "
                                   f"{partition.name} partition")
            return destination
        path = console_path(destination)
        base = self.console_base(region)
        if not region or path.startswith(GLOBAL_PATHS):
            return f"{base}/{path}"
        page, hash_mark, fragment = path.partition("#")
        separator = "&" if "?" in page else "?"
        return f"{base}/{page}{separator}{urlencode({'region': region})}{hash_mark}{fragment}"

    def logout_first(self, url: str, region: str) -> str:
        """`url`, opened after signing the browser out of its current console session in
        the region's partition (a sign-out elsewhere would leave that session alone)."""
        base = self.home_signin_base(region)
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
               timeout: float = 15.0, issuer: str = "") -> str:
    """A login URL for the console: one round trip to getSigninToken. It grants access to the
    account for 15 minutes, so callers must never log or print it unasked.

    `issuer` is where the console sends the browser to sign in again (AWS: "the URL for your
    internal sign-in page"): the IAM Identity Center start URL when the credentials came from
    one, as aws-sso-util does; by default the partition's console start page.

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
    login = {"Action": "login", "Issuer": issuer or endpoints.default_issuer(region),
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
    return f"{endpoints.home_signin_base(region)}/switchrole?{urlencode(params)}"


def portal_url(start_url: str, target: Target, region: str, endpoints: ConsoleEndpoints,
               path: str = "") -> str:
    """An IAM Identity Center shortcut link: the access portal signs the browser in to the
    account and role (and works with the console's multi-session mode). A portal signs in
    only to its own partition."""
    portal = portal_partition(start_url)
    if portal is not None and not endpoints.console and portal is not partition_of(region):
        raise ConsoleError(f"The access portal {start_url} signs in to the {portal.name} "
                           f"partition, not to {region} ({partition_of(region).name})")
    params = {"account_id": target.account_id, "role_name": target.role_name,
              "destination": endpoints.destination(region, path)}
    return f"{start_url.rstrip('/')}/#/console?{urlencode(params)}"
