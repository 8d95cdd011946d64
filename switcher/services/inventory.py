"""The inventory: every source discovered and merged into one classified list, the cache
kept, and the last known targets kept where a source failed. The CLI and the app both use it,
so a partial refresh means the same thing in both."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from switcher.errors import NotSignedInError, SwitcherError
from switcher.model import Account, SourceKind, Target, Way
from switcher.store.inventory import CachedInventory, InventoryCache

if TYPE_CHECKING:  # the sources and AWS clients load only for a refresh: `list` reads a cache
    from switcher.auth.credentials import CredentialResolver
    from switcher.auth.oidc import SignIn, SsoInstance
    from switcher.clients import ClientFactory
    from switcher.sources.account_colors import AccountColors
    from switcher.store.awsconfig import AwsConfig
    from switcher.store.settings import Settings

AccountsListed = Callable[["SsoInstance", list[Account]], None]
TargetsFound = Callable[[list[Target]], None]


@dataclass
class Refresh:
    """The outcome of one inventory refresh."""

    targets: list[Target]
    """What was found, plus the last known targets of every source that failed (`kept`)."""
    failed_accounts: dict[str, str] = field(default_factory=dict)
    not_signed_in: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Problems with one source or entry (a bad AESR line, an unreachable URL) that did not
    stop the rest."""
    failed_sources: list[str] = field(default_factory=list)
    added: list[Target] = field(default_factory=list)
    """Targets that were not in the cached inventory (empty when there was none)."""
    removed: list[Target] = field(default_factory=list)
    kept: list[Target] = field(default_factory=list)
    """Targets of the last complete inventory that this refresh could not check again
    because their source failed; they are in `targets` too."""

    @property
    def complete(self) -> bool:
        return not (self.failed_accounts or self.not_signed_in or self.failed_sources)

    @property
    def kept_keys(self) -> frozenset[str]:
        return frozenset(t.key for t in self.kept)


@dataclass
class InventorySources:
    """What the inventory reads: the files as they are now, and how to reach AWS."""

    aws_config: AwsConfig
    aws_credentials: AwsConfig
    settings: Settings
    signin: SignIn
    clients: ClientFactory
    resolver: Callable[[], CredentialResolver]
    """Built only when Organizations needs credentials."""
    account_colors: AccountColors


class Inventory:
    def __init__(self, sources: Callable[[], InventorySources], cache: InventoryCache) -> None:
        self._sources = sources
        self.cache = cache
        self._cached: CachedInventory | None = None
        self._cache_read = False

    def cached(self) -> CachedInventory | None:
        """The inventory cache, read once per process (then kept up to date by refreshes)."""
        if not self._cache_read:
            self._cached = self.cache.load()
            self._cache_read = True
        return self._cached

    def targets(self, refresh: bool = False) -> list[Target]:
        """The cached inventory, or a fresh one when there is none (or when asked)."""
        if not refresh:
            cached = self.cached()
            if cached is not None:
                return cached.targets
        return self.refresh().targets

    def refresh(self, on_accounts: AccountsListed | None = None,
                on_targets: TargetsFound | None = None) -> Refresh:
        """Discover every source now. Only a complete refresh replaces the cache; a partial
        one keeps the last known targets of the sources that failed. `on_accounts` hears of
        each instance's accounts as soon as they are listed, and `on_targets` of targets
        while roles are still being listed."""
        from switcher.environments import classify_all
        from switcher.sources.merge import merge_targets
        from switcher.sources.profiles import profile_targets

        sources = self._sources()
        settings = sources.settings
        result = Refresh([], warnings=[*sources.aws_config.warnings, *settings.warnings])
        groups = _identity_center_targets(sources, result, on_accounts, on_targets)
        groups.append(profile_targets(sources.aws_config, sources.aws_credentials))
        groups.extend(_switch_role_targets(sources, result))
        groups.append(_organization_targets(sources, result))
        merged = sources.account_colors.apply(merge_targets(*groups))
        result.targets = classify_all(apply_overrides(merged, settings), settings.rules)
        previous = self.cached()
        if previous is not None and result.complete:
            before = {t.key: t for t in previous.targets}
            after = {t.key: t for t in result.targets}
            result.added = [t for key, t in after.items() if key not in before]
            result.removed = [t for key, t in before.items() if key not in after]
        if result.complete:
            self._cached = CachedInventory(result.targets, time.time())
            try:
                self.cache.save(result.targets)
            except OSError as error:  # a full disk: the cache is optional, the list is not
                result.warnings.append(f"the inventory cache {self.cache.path} could not be "
                                       f"written ({error.strerror or error}); the next run "
                                       "discovers again")
        elif previous is not None:
            found = {t.key for t in result.targets}
            result.kept = [t for t in previous.targets
                           if t.key not in found and _from_failed_source(t, result)]
            result.targets = [*result.targets, *result.kept]
        return result


def _identity_center_targets(sources: InventorySources, result: Refresh,
                             on_accounts: AccountsListed | None,
                             on_targets: TargetsFound | None) -> list[list[Target]]:
    from switcher.sources import sso

    groups: list[list[Target]] = []
    for instance in sso.sso_instances(sources.aws_config):
        try:
            token = sources.signin.token(instance)
            callback = (lambda accounts, i=instance: on_accounts(i, accounts)
                        ) if on_accounts else None
            discovery = sso.discover(instance, token, sources.clients, callback,
                                     on_targets=on_targets)
            groups.append(discovery.targets)
            result.failed_accounts.update(discovery.failed_accounts)
        except NotSignedInError:
            result.not_signed_in.append(instance.label)
        except Exception as error:  # botocore's errors, imported lazily
            if not _is_aws_error(error):
                raise
            result.failed_sources.append(f"sso:{instance.label}")
            result.warnings.append(f"IAM Identity Center {instance.label}: could not list "
                                   f"accounts ({_describe(error)}); the last known ones "
                                   "are kept")
    return groups


def _switch_role_targets(sources: InventorySources, result: Refresh) -> list[list[Target]]:
    from switcher.sources import switchroles

    groups: list[list[Target]] = []
    settings = sources.settings
    profiles = frozenset(sources.aws_config.profiles)
    for location in settings.aesr_sources:
        try:
            text = switchroles.read_aesr_source(location)
        except OSError as error:
            result.failed_sources.append(location)
            result.warnings.append(f"AESR configuration {location}: {error}; the last known "
                                   "entries are kept")
            continue
        entries = switchroles.parse_aesr(text, location, profiles)
        groups.append(entries.targets)
        result.warnings.extend(entries.warnings)
    if settings.switch_roles:
        entries = switchroles.config_entries(list(settings.switch_roles), str(settings.path))
        groups.append(entries.targets)
        result.warnings.extend(entries.warnings)
    return groups


def _organization_targets(sources: InventorySources, result: Refresh) -> list[Target]:
    profile = sources.settings.organizations_profile
    if not profile:
        return []
    from botocore.exceptions import BotoCoreError, ClientError

    from switcher.sources.organizations import organization_targets

    try:
        credentials = sources.resolver().for_profile(profile)
        return organization_targets(credentials, sources.clients, profile,
                                    sources.settings.organizations_role)
    except (SwitcherError, ClientError, BotoCoreError) as error:
        result.failed_sources.append(f"organizations:{profile}")
        result.warnings.append(f"AWS Organizations through profile {profile!r}: {error}; the "
                               "last known accounts are kept")
        return []


def _from_failed_source(target: Target, result: Refresh) -> bool:
    """Whether a target missing from a partial refresh came through a source that failed
    (and so may still exist), rather than one that answered without it."""
    failed_instances = set(result.not_signed_in) | {
        source.removeprefix("sso:") for source in result.failed_sources}
    return any(_way_failed(way, target.account_id, failed_instances, result)
               for way in target.ways)


def _way_failed(way: Way, account_id: str, failed_instances: set[str],
                result: Refresh) -> bool:
    if way.kind is SourceKind.SSO:
        instance = way.sso_session or way.start_url
        return instance in failed_instances or account_id in result.failed_accounts
    if way.kind is SourceKind.SWITCH_ROLE:
        return way.origin in result.failed_sources
    if way.kind is SourceKind.ORGANIZATIONS:
        return f"organizations:{way.source_profile}" in result.failed_sources
    return False


def apply_overrides(targets: list[Target], settings: Settings) -> list[Target]:
    """config.toml's per-target environment and colour."""
    overrides = settings.overrides
    if not overrides:
        return targets
    applied = []
    for target in targets:
        override = overrides.get(target.key) or overrides.get(
            f"{target.account_name}/{target.role_name}")
        if override is not None:
            target = replace(target,
                             explicit_environment=override.environment
                             or target.explicit_environment,
                             explicit_color=override.color or target.explicit_color)
        applied.append(target)
    return applied


def _is_aws_error(error: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(error, (BotoCoreError, ClientError))


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or error)
    return type(error).__name__
