"""The AWS console through a federated sign-in URL.

getSigninToken is one GET to the partition's federation endpoint with the session JSON; the
login URL then carries the sign-in token and the destination. Everything here is plain HTTP
(the federation endpoint is not an SDK service), so no boto3 is needed on this path.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from switcher.errors import ConsoleError
from switcher.model import Credentials

DEFAULT_REGION = "us-east-1"
ISSUER = "https://github.com/switcher"


@dataclass(frozen=True)
class Partition:
    name: str
    signin_host: str
    console_host: str
    home_regions: tuple[str, ...]
    """Regions whose sign-in and console hosts carry no region prefix."""


PARTITIONS = {
    "aws": Partition("aws", "signin.aws.amazon.com", "console.aws.amazon.com", ("us-east-1",)),
    "aws-us-gov": Partition("aws-us-gov", "signin.amazonaws-us-gov.com",
                            "console.amazonaws-us-gov.com", ("us-gov-west-1", "us-gov-east-1")),
    "aws-cn": Partition("aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn",
                        ("cn-north-1", "cn-northwest-1")),
}


def partition_of(region: str) -> Partition:
    if region.startswith("us-gov-"):
        return PARTITIONS["aws-us-gov"]
    if region.startswith("cn-"):
        return PARTITIONS["aws-cn"]
    return PARTITIONS["aws"]


@dataclass(frozen=True)
class ConsoleEndpoints:
    """Where the federation endpoint and console live; overridable for the emulator."""

    federation: str = ""
    console: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> ConsoleEndpoints:
        return cls(environ.get("SWITCHER_FEDERATION_ENDPOINT", ""),
                   environ.get("SWITCHER_CONSOLE_ENDPOINT", ""))

    def federation_url(self, region: str) -> str:
        if self.federation:
            return self.federation
        partition = partition_of(region)
        if partition.name == "aws" and region and region not in partition.home_regions:
            return f"https://{region}.{partition.signin_host}/federation"
        return f"https://{partition.signin_host}/federation"

    def destination(self, region: str, path: str = "") -> str:
        partition = partition_of(region)
        base = self.console.rstrip("/") if self.console else (
            f"https://{region}.{partition.console_host}" if region
            else f"https://{partition.console_host}")
        service_path = path.strip("/") or "console/home"
        query = urlencode({"region": region}) if region else ""
        return f"{base}/{service_path}" + (f"?{query}" if query else "")


def _get_json(url: str, timeout: float) -> dict[str, object]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            payload = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise ConsoleError(f"The federation endpoint refused the credentials "
                           f"(HTTP {error.code})") from None
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
    account for 15 minutes, so callers must never log or print it unasked."""
    if not credentials.session_token:
        raise ConsoleError("Console sign-in needs temporary credentials (with a session token)")
    federation = endpoints.federation_url(region or DEFAULT_REGION)
    session = json.dumps({"sessionId": credentials.access_key_id,
                          "sessionKey": credentials.secret_access_key,
                          "sessionToken": credentials.session_token})
    query = {"Action": "getSigninToken", "Session": session}
    if session_duration is not None and credentials.allows_session_duration:
        query["SessionDuration"] = str(session_duration)
    payload = _get_json(f"{federation}?{urlencode(query, quote_via=quote_plus)}", timeout)
    token = payload.get("SigninToken")
    if not isinstance(token, str) or not token:
        raise ConsoleError("The federation endpoint gave no sign-in token")
    login = {"Action": "login", "Issuer": ISSUER,
             "Destination": endpoints.destination(region, path), "SigninToken": token}
    return f"{federation}?{urlencode(login, quote_via=quote_plus)}"
