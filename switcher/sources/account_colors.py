"""Account colours set in the AWS console (uxc GetAccountCustomizations), remembered per
account. The API describes only the caller's own account, so a colour is learnt whenever
switcher holds credentials for an account (and by `switcher colors --fetch`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from switcher.clients import ClientFactory
from switcher.errors import SwitcherError
from switcher.model import Credentials, Target
from switcher.store.atomic import write_private
from switcher.store.reading import read_regular_text

log = logging.getLogger(__name__)
UXC_REGION = "us-east-1"


def fetch_account_color(credentials: Credentials, clients: ClientFactory) -> str:
    """The console colour of the account these credentials belong to ('' when none or when
    the API is not reachable)."""
    from botocore.exceptions import BotoCoreError, ClientError, UnknownServiceError

    try:
        client = clients.client("uxc", UXC_REGION, credentials=credentials)
        color = str(client.get_account_customizations().get("accountColor") or "")
    except (ClientError, BotoCoreError, UnknownServiceError) as error:
        log.info("no account colour: %s", error)
        return ""
    return "" if color == "none" else color


class AccountColors:
    """account id -> console colour, in a small private file of ours."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(read_regular_text(self.path))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def remember(self, account_id: str, color: str) -> None:
        known = self.load()
        if known.get(account_id) == color:
            return
        known[account_id] = color
        try:
            write_private(self.path, json.dumps(known, sort_keys=True))
        except OSError as error:  # only a cache of what the console says
            log.warning("could not keep account colours in %s: %s", self.path, error)

    def apply(self, targets: Iterable[Target]) -> list[Target]:
        known = self.load()
        return [replace(t, account=replace(t.account, console_color=known[t.account_id]))
                if known.get(t.account_id) and not t.account.console_color else t
                for t in targets]


def learn_account_colors(targets: Iterable[Target],
                         credentials: Callable[[Target], Credentials],
                         clients: ClientFactory, colors: AccountColors) -> dict[str, str]:
    """The console colour of every account in `targets` (one credential and one call per
    account), remembered; accounts whose credentials fail are skipped."""
    found: dict[str, str] = {}
    for target in {t.account_id: t for t in targets if not t.problem}.values():
        try:
            color = fetch_account_color(credentials(target), clients)
        except SwitcherError:
            continue
        if color:
            colors.remember(target.account_id, color)
            found[target.account_id] = color
    return found
