"""IAM Identity Center as a source: the instances named in the AWS config, and every account
and role a signed-in user is assigned, listed concurrently under the shared rate limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from switcher.auth.live_token import REFUSED_TOKEN, LiveToken
from switcher.auth.token_cache import SsoInstance, SsoToken
from switcher.clients import ClientFactory
from switcher.errors import NotSignedInError
from switcher.model import Account, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig
from switcher.text import clean_name

log = logging.getLogger(__name__)

PAGE_SIZE = 100
ROLE_WORKERS = 16


def sso_instances(config: AwsConfig) -> list[SsoInstance]:
    """Every [sso-session] and every distinct legacy `sso_start_url` profile."""
    found: dict[str, SsoInstance] = {}
    for name, values in config.sso_sessions.items():
        if values.get("sso_start_url") and values.get("sso_region"):
            scopes = tuple(s.strip() for s in values.get("sso_registration_scopes", "").split(",")
                           if s.strip())
            found[f"session:{name}"] = SsoInstance(values["sso_start_url"], values["sso_region"],
                                                   name, scopes)
    for values in config.profiles.values():
        if values.get("sso_session") or not values.get("sso_start_url"):
            continue
        key = f"url:{values['sso_start_url']}"
        if key not in found and values.get("sso_region"):
            found[key] = SsoInstance(values["sso_start_url"], values["sso_region"])
    return list(found.values())


@dataclass
class Discovery:
    """What one Identity Center instance gave: its targets and the accounts whose roles failed."""

    instance: SsoInstance
    targets: list[Target] = field(default_factory=list)
    failed_accounts: dict[str, str] = field(default_factory=dict)
    account_count: int = 0


AccountsCallback = Callable[[list[Account]], None]
TargetsCallback = Callable[[list[Target]], None]
"""Called with the targets found since the last call, while roles are still being listed."""
STREAM_INTERVAL = 0.25


def _error_text(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or error)
    return str(error)


def discover(instance: SsoInstance, token: SsoToken | LiveToken, clients: ClientFactory,
             on_accounts: AccountsCallback | None = None,
             workers: int = ROLE_WORKERS,
             on_targets: TargetsCallback | None = None) -> Discovery:
    """List every account, then every account's roles; one failing account fails alone. A
    LiveToken is renewed as the discovery goes (a plain token is used until refused)."""
    live = token if isinstance(token, LiveToken) else LiveToken(instance, token, None)
    sso = clients.client("sso", instance.region, unsigned=True)
    accounts: list[Account] = []
    for page in _pages(sso.list_accounts, live):
        accounts.extend(Account(a["accountId"], clean_name(a.get("accountName", "")),
                                clean_name(a.get("emailAddress", "")))
                        for a in page["accountList"])
    if on_accounts is not None:
        on_accounts(accounts)
    way = Way(SourceKind.SSO, sso_session=instance.session_name, start_url=instance.start_url,
              sso_region=instance.region)
    discovery = Discovery(instance, account_count=len(accounts))
    _list_roles(discovery, accounts, live, sso, way, workers, on_targets)
    if live.gone or any(reason in REFUSED_TOKEN for reason in discovery.failed_accounts.values()):
        # The sign-in ended during the refresh and could not be renewed: one sign-in is the
        # remedy, not a list of failed accounts.
        raise NotSignedInError(f"The sign-in to {instance.label} expired during the refresh; "
                               "run `switcher login`")
    return discovery


def _pages(call: Callable[..., Any], live: LiveToken, **params: Any) -> Iterator[Any]:
    """Each page of a listing, every request with the live token (botocore's paginators
    take one token for them all)."""
    next_token = ""
    while True:
        page = live.call(call, maxResults=PAGE_SIZE, **params,
                         **({"nextToken": next_token} if next_token else {}))
        yield page
        next_token = page.get("nextToken") or ""
        if not next_token:
            return


def _list_roles(discovery: Discovery, accounts: list[Account], live: LiveToken, sso: Any,
                way: Way, workers: int, on_targets: TargetsCallback | None = None) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    def roles_of(account: Account) -> tuple[Account, list[str] | Exception]:
        try:
            names = [role["roleName"]
                     for page in _pages(sso.list_account_roles, live,
                                        accountId=account.account_id)
                     for role in page["roleList"]]
        except (ClientError, BotoCoreError, NotSignedInError) as error:
            return account, error
        return account, names

    batch: list[Target] = []
    sent = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sso-roles") as pool:
        for account, result in pool.map(roles_of, accounts):
            if isinstance(result, Exception):
                discovery.failed_accounts[account.account_id] = _error_text(result)
                # Said once, by whoever shows the refresh (the CLI's report, the app's notice).
                log.info("listing roles of %s failed: %s", account.account_id,
                         _error_text(result))
                continue
            found = [Target(account, role, (way,)) for role in result]
            discovery.targets.extend(found)
            batch.extend(found)
            if on_targets is not None and time.monotonic() - sent >= STREAM_INTERVAL:
                on_targets(batch)
                batch, sent = [], time.monotonic()
    if on_targets is not None and batch:
        on_targets(batch)
