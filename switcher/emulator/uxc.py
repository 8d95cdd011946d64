"""AWS User Experience Customization (service `uxc`, rest-json): the account colour the console
shows. The caller's account is the one described."""

from __future__ import annotations

from switcher.emulator.http import Request, Response, ServiceError
from switcher.emulator.state import EmulatorState
from switcher.emulator.sts import caller

COLORS = {"none", "pink", "purple", "darkBlue", "lightBlue", "teal", "green", "yellow",
          "orange", "red"}


def handle(state: EmulatorState, request: Request) -> Response:
    identity = caller(state, request)
    account = state.find_account(identity.account_id)
    if account is None:
        raise ServiceError(403, "AccessDeniedException", "Account not found")
    if request.method == "PATCH":
        state.count("uxc.UpdateAccountCustomizations")
        color = str(request.json().get("accountColor", account.account_color))
        if color not in COLORS:
            raise ServiceError(400, "ValidationException", f"Unknown accountColor {color}")
        account.account_color = color
    else:
        state.count("uxc.GetAccountCustomizations")
    return Response.json({"accountColor": account.account_color, "visibleRegions": None,
                          "visibleServices": None})
