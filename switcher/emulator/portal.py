"""IAM Identity Center portal API (service `sso`, rest-json): the accounts and roles a user has."""

from __future__ import annotations

from switcher.emulator.http import Request, Response, ServiceError
from switcher.emulator.organization import EmulatedAccount, Organization, sso_role_name
from switcher.emulator.state import EmulatorState

PAGE_LIMIT = 100
DEFAULT_PAGE = 20


def _page(items: list[dict[str, str]], request: Request, key: str) -> dict[str, object]:
    try:
        start = int(request.query.get("next_token") or 0)
        size = int(request.query.get("max_result") or DEFAULT_PAGE)
    except ValueError:
        raise ServiceError(400, "InvalidRequestException", "Invalid pagination token") from None
    if not 1 <= size <= PAGE_LIMIT:
        raise ServiceError(400, "InvalidRequestException", "maxResults must be between 1 and 100")
    page: dict[str, object] = {key: items[start : start + size]}
    if start + size < len(items):
        page["nextToken"] = str(start + size)
    return page


def _organization(state: EmulatorState, request: Request) -> Organization:
    """The Identity Center instance the bearer token was issued by."""
    bearer = request.headers.get("x-amz-sso_bearer_token", "")
    token = state.valid_token(bearer)
    organization = state.instances.get(token.start_url) if token else None
    if token is None or organization is None:
        raise ServiceError(401, "UnauthorizedException", "Session token not found or invalid")
    return organization


def _account(organization: Organization, account_id: str) -> EmulatedAccount:
    account = organization.accounts.get(account_id)
    if account is None or not account.permission_sets:
        raise ServiceError(404, "ResourceNotFoundException", "Account not found")
    return account


def handle(state: EmulatorState, request: Request) -> Response:
    path = request.path
    if path == "/assignment/accounts" and request.method == "GET":
        state.count("sso.ListAccounts")
        organization = _organization(state, request)
        if request.query.get("next_token") and state.knobs.failing_pages > 0:
            with state.lock:
                state.knobs.failing_pages -= 1
            raise ServiceError(500, "InternalServerException", "Injected failure", sender=False)
        accounts = [{"accountId": a.account_id, "accountName": a.name, "emailAddress": a.email}
                    for a in organization.account_list() if a.permission_sets]
        return Response.json(_page(accounts, request, "accountList"))
    if path == "/assignment/roles" and request.method == "GET":
        state.count("sso.ListAccountRoles")
        organization = _organization(state, request)
        account_id = request.query.get("account_id", "")
        with state.lock:
            state.role_listings[account_id] = state.role_listings.get(account_id, 0) + 1
        account = _account(organization, account_id)
        if account_id in state.knobs.failing_accounts:
            raise ServiceError(500, "InternalServerException", "Injected failure", sender=False)
        roles = [{"roleName": name, "accountId": account_id} for name in account.permission_sets]
        return Response.json(_page(roles, request, "roleList"))
    if path == "/federation/credentials" and request.method == "GET":
        state.count("sso.GetRoleCredentials")
        organization = _organization(state, request)
        account_id = request.query.get("account_id", "")
        role_name = request.query.get("role_name", "")
        if role_name not in _account(organization, account_id).permission_sets:
            raise ServiceError(403, "ForbiddenException", "No access")
        iam_role = sso_role_name(account_id, role_name)
        issued = state.issue_credentials(
            account_id, f"arn:aws:sts::{account_id}:assumed-role/{iam_role}/{state.user_name}",
            f"AROAEMULATOR{account_id}:{state.user_name}", "sso", state.knobs.credential_ttl)
        assert issued.expires_at is not None
        return Response.json({"roleCredentials": {
            "accessKeyId": issued.access_key_id,
            "secretAccessKey": issued.secret_access_key,
            "sessionToken": issued.session_token,
            "expiration": int(issued.expires_at * 1000),
        }})
    if path == "/logout" and request.method == "POST":
        state.count("sso.Logout")
        _organization(state, request)
        token = state.valid_token(request.headers.get("x-amz-sso_bearer_token", ""))
        if token is not None:
            token.revoked = True
        return Response.json({})
    raise ServiceError(404, "ResourceNotFoundException", f"No route for {request.method} {path}")


def is_portal_path(path: str) -> bool:
    return path in ("/assignment/accounts", "/assignment/roles", "/federation/credentials",
                    "/logout")
