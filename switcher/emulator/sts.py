"""AWS STS (query protocol, XML answers): AssumeRole, GetCallerIdentity, GetSessionToken,
GetFederationToken, with the rules that matter to a switcher: role chaining and its one hour cap,
ExternalId, MFA and DurationSeconds limits.

Callers are recognised by the access key id in the SigV4 Authorization header and, for temporary
credentials, the session token they send. Signatures themselves are not verified.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from switcher.emulator.http import Request, Response, ServiceError
from switcher.emulator.state import EmulatorState, IssuedCredentials
from switcher.emulator.totp import verify_totp

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE_ARN = re.compile(r"^arn:aws:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,64})$")
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/")


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml(action: str, result: str) -> Response:
    body = (f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{result}</{action}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
            f"</{action}Response>")
    return Response(200, body.encode(), "text/xml")


def error_response(error: ServiceError) -> Response:
    kind = "Sender" if error.sender else "Receiver"
    body = (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>{kind}</Type>'
            f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message></Error>"
            f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")
    return Response(error.status, body.encode(), "text/xml")


def _credentials_xml(issued: IssuedCredentials) -> str:
    assert issued.expires_at is not None
    return (f"<Credentials><AccessKeyId>{issued.access_key_id}</AccessKeyId>"
            f"<SecretAccessKey>{escape(issued.secret_access_key)}</SecretAccessKey>"
            f"<SessionToken>{escape(issued.session_token)}</SessionToken>"
            f"<Expiration>{_iso(issued.expires_at)}</Expiration></Credentials>")


def caller(state: EmulatorState, request: Request) -> IssuedCredentials:
    """The identity behind a signed request, or the error AWS gives for unknown keys."""
    match = CREDENTIAL.search(request.headers.get("authorization", ""))
    if match is None:
        raise ServiceError(403, "MissingAuthenticationToken",
                           "Request is missing Authentication Token")
    found = state.credentials.get(match.group(1))
    if found is None:
        raise ServiceError(403, "InvalidClientTokenId",
                           "The security token included in the request is invalid.")
    if found.temporary and request.headers.get("x-amz-security-token") != found.session_token:
        raise ServiceError(403, "InvalidClientTokenId",
                           "The security token included in the request is invalid.")
    if found.expires_at is not None and found.expires_at <= time.time():
        raise ServiceError(403, "ExpiredToken",
                           "The security token included in the request is expired")
    return found


def _duration(params: dict[str, str], default: int, low: int, high: int, what: str) -> int:
    raw = params.get("DurationSeconds")
    if raw is None:
        return min(default, high)
    try:
        value = int(raw)
    except ValueError:
        raise ServiceError(400, "ValidationError", "DurationSeconds must be a number") from None
    if value < low:
        raise ServiceError(400, "ValidationError",
                           f"1 validation error detected: Value '{value}' at 'durationSeconds' "
                           f"failed to satisfy constraint: Member must have value greater than "
                           f"or equal to {low}")
    if value > high:
        raise ServiceError(400, "ValidationError", what)
    return value


def _check_mfa(state: EmulatorState, params: dict[str, str], required: bool) -> None:
    serial, code = params.get("SerialNumber"), params.get("TokenCode")
    if not serial and not code:
        if required:
            raise ServiceError(403, "AccessDenied", "MultiFactorAuthentication failed: an MFA "
                               "code is required to assume this role")
        return
    if serial != state.iam_user_mfa_serial:
        raise ServiceError(403, "AccessDenied",
                           "MultiFactorAuthentication failed, unable to validate MFA code. "
                           "Please verify your MFA serial number is valid and associated with "
                           "this user.")
    if not (code and re.fullmatch(r"\d{6}", code) and verify_totp(state.iam_user_mfa_seed, code)):
        raise ServiceError(403, "AccessDenied",
                           "MultiFactorAuthentication failed with invalid MFA one time pass code.")


def _assume_role(state: EmulatorState, request: Request, params: dict[str, str]) -> Response:
    source = caller(state, request)
    role_arn = params.get("RoleArn", "")
    session_name = params.get("RoleSessionName", "")
    match = ROLE_ARN.match(role_arn)
    if match is None:
        raise ServiceError(400, "ValidationError", f"{role_arn} is invalid")
    if not SESSION_NAME.match(session_name):
        raise ServiceError(400, "ValidationError", "RoleSessionName must be 2-64 characters "
                           "of [\\w+=,.@-]")
    account_id, role_name = match.groups()
    account = state.find_account(account_id)
    spec = account.role(role_name) if account else None
    if spec is None:
        raise ServiceError(403, "AccessDenied", f"User: {source.arn} is not authorized to "
                           f"perform: sts:AssumeRole on resource: {role_arn}")
    if spec.external_id and params.get("ExternalId") != spec.external_id:
        raise ServiceError(403, "AccessDenied", f"User: {source.arn} is not authorized to "
                           f"perform: sts:AssumeRole on resource: {role_arn}")
    _check_mfa(state, params, spec.requires_mfa)
    chained = source.kind in ("sso", "assumed-role")
    if chained:
        duration = _duration(params, 3600, 900, 3600, "The requested DurationSeconds exceeds "
                             "the 1 hour session limit for roles assumed by role chaining.")
    else:
        duration = _duration(params, 3600, 900, spec.max_session_duration,
                             "The requested DurationSeconds exceeds the MaxSessionDuration set "
                             "for this role.")
    role_id = "AROA" + secrets.token_hex(8).upper()
    arn = f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}"
    issued = state.issue_credentials(account_id, arn, f"{role_id}:{session_name}",
                                     "assumed-role", duration, chained=chained)
    state.count("sts.AssumeRole")
    return _xml("AssumeRole", _credentials_xml(issued) +
                f"<AssumedRoleUser><AssumedRoleId>{issued.user_id}</AssumedRoleId>"
                f"<Arn>{escape(arn)}</Arn></AssumedRoleUser><PackedPolicySize>0</PackedPolicySize>")


def _require_long_term(source: IssuedCredentials, action: str) -> None:
    if source.temporary:
        raise ServiceError(403, "AccessDenied", f"Cannot call {action} with session credentials")


def _session_token(state: EmulatorState, request: Request, params: dict[str, str]) -> Response:
    source = caller(state, request)
    _require_long_term(source, "GetSessionToken")
    _check_mfa(state, params, required=False)
    duration = _duration(params, 43200, 900, 129600, "DurationSeconds exceeds the 36 hour limit")
    issued = state.issue_credentials(source.account_id, source.arn, source.user_id,
                                     "session-token", duration)
    state.count("sts.GetSessionToken")
    return _xml("GetSessionToken", _credentials_xml(issued))


def _federation_token(state: EmulatorState, request: Request, params: dict[str, str]) -> Response:
    source = caller(state, request)
    _require_long_term(source, "GetFederationToken")
    name = params.get("Name", "")
    if not SESSION_NAME.match(name) or len(name) > 32:
        raise ServiceError(400, "ValidationError", "Name must be 2-32 characters of [\\w+=,.@-]")
    duration = _duration(params, 43200, 900, 129600, "DurationSeconds exceeds the 36 hour limit")
    arn = f"arn:aws:sts::{source.account_id}:federated-user/{name}"
    issued = state.issue_credentials(source.account_id, arn, f"{source.account_id}:{name}",
                                     "federation", duration)
    state.count("sts.GetFederationToken")
    return _xml("GetFederationToken", _credentials_xml(issued) +
                f"<FederatedUser><FederatedUserId>{issued.user_id}</FederatedUserId>"
                f"<Arn>{escape(arn)}</Arn></FederatedUser><PackedPolicySize>0</PackedPolicySize>")


def _caller_identity(state: EmulatorState, request: Request) -> Response:
    source = caller(state, request)
    state.count("sts.GetCallerIdentity")
    return _xml("GetCallerIdentity", f"<Arn>{escape(source.arn)}</Arn>"
                f"<UserId>{escape(source.user_id)}</UserId><Account>{source.account_id}</Account>")


def handle(state: EmulatorState, request: Request) -> Response:
    params = request.form()
    params.update(request.query)
    action = params.get("Action", "")
    if action == "AssumeRole":
        return _assume_role(state, request, params)
    if action == "GetCallerIdentity":
        return _caller_identity(state, request)
    if action == "GetSessionToken":
        return _session_token(state, request, params)
    if action == "GetFederationToken":
        return _federation_token(state, request, params)
    raise ServiceError(400, "InvalidAction", f"Could not find operation {action}")
