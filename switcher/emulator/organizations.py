"""AWS Organizations (json 1.1 protocol): the accounts of the organisation, their OUs and tags.

Only a caller in the management account may list; others get AccessDeniedException as in AWS.
"""

from __future__ import annotations

from switcher.emulator.http import Request, Response, ServiceError
from switcher.emulator.organization import EmulatedAccount, Organization
from switcher.emulator.state import EmulatorState
from switcher.emulator.sts import caller

TARGET_PREFIX = "AWSOrganizationsV20161128."
JSON_TYPE = "application/x-amz-json-1.1"
JOINED = 1_600_000_000.0


def _account(organization: Organization, account: EmulatedAccount) -> dict[str, object]:
    return {
        "Id": account.account_id,
        "Arn": f"arn:aws:organizations::{organization.management_account_id}:account/"
               f"{organization.organization_id}/{account.account_id}",
        "Email": account.email, "Name": account.name, "Status": "ACTIVE",
        "State": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": JOINED,
    }


def _paged(items: list[dict[str, object]], body: dict[str, object], key: str,
           default: int = 20) -> dict[str, object]:
    try:
        start = int(str(body.get("NextToken") or 0))
        size = int(str(body.get("MaxResults") or default))
    except ValueError:
        raise ServiceError(400, "InvalidInputException", "Invalid NextToken") from None
    if not 1 <= size <= 20:
        raise ServiceError(400, "InvalidInputException", "MaxResults must be between 1 and 20")
    page: dict[str, object] = {key: items[start : start + size]}
    if start + size < len(items):
        page["NextToken"] = str(start + size)
    return page


def _unit(organization: Organization, unit_id: str) -> dict[str, object]:
    unit = organization.units[unit_id]
    return {"Id": unit.ou_id, "Name": unit.name,
            "Arn": f"arn:aws:organizations::{organization.management_account_id}:ou/"
                   f"{organization.organization_id}/{unit.ou_id}"}


def handle(state: EmulatorState, request: Request) -> Response:
    operation = request.headers.get("x-amz-target", "")[len(TARGET_PREFIX) :]
    identity = caller(state, request)
    organization = state.organization
    if identity.account_id != organization.management_account_id:
        raise ServiceError(400, "AccessDeniedException",
                           "You don't have permissions to access this resource.")
    state.count(f"organizations.{operation}")
    body = request.json()
    accounts = organization.account_list()
    if operation == "ListAccounts":
        return Response.json(_paged([_account(organization, a) for a in accounts], body,
                                    "Accounts"), content_type=JSON_TYPE)
    if operation == "DescribeOrganization":
        return Response.json({"Organization": {
            "Id": organization.organization_id,
            "MasterAccountId": organization.management_account_id,
            "FeatureSet": "ALL"}}, content_type=JSON_TYPE)
    if operation == "ListRoots":
        return Response.json({"Roots": [{"Id": organization.root_id, "Name": "Root"}]},
                             content_type=JSON_TYPE)
    if operation == "ListOrganizationalUnitsForParent":
        parent = str(body.get("ParentId", ""))
        units = [_unit(organization, u.ou_id) for u in organization.units.values()
                 if u.parent_id == parent]
        return Response.json(_paged(units, body, "OrganizationalUnits"), content_type=JSON_TYPE)
    if operation == "ListAccountsForParent":
        parent = str(body.get("ParentId", ""))
        return Response.json(_paged([_account(organization, a) for a in accounts
                                     if a.parent_id == parent], body, "Accounts"),
                             content_type=JSON_TYPE)
    if operation == "ListParents":
        child = str(body.get("ChildId", ""))
        found = organization.accounts.get(child)
        parent_id: str | None = found.parent_id if found else (
            organization.units[child].parent_id if child in organization.units else None)
        if parent_id is None:
            raise ServiceError(400, "ChildNotFoundException", f"{child} not found")
        kind = "ROOT" if parent_id == organization.root_id else "ORGANIZATIONAL_UNIT"
        return Response.json({"Parents": [{"Id": parent_id, "Type": kind}]}, content_type=JSON_TYPE)
    if operation == "DescribeOrganizationalUnit":
        unit_id = str(body.get("OrganizationalUnitId", ""))
        if unit_id not in organization.units:
            raise ServiceError(400, "OrganizationalUnitNotFoundException", f"{unit_id} not found")
        return Response.json({"OrganizationalUnit": _unit(organization, unit_id)},
                             content_type=JSON_TYPE)
    if operation == "ListTagsForResource":
        resource = str(body.get("ResourceId", ""))
        if resource not in organization.accounts:
            raise ServiceError(400, "TargetNotFoundException", f"{resource} not found")
        tags = [{"Key": k, "Value": v} for k, v in organization.accounts[resource].tags.items()]
        return Response.json({"Tags": tags}, content_type=JSON_TYPE)
    raise ServiceError(400, "UnknownOperationException", f"Unknown operation {operation}")


def error_response(error: ServiceError) -> Response:
    return Response.json({"__type": error.code, "Message": error.message}, error.status,
                         content_type=JSON_TYPE)
