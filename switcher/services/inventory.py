"""The inventory: every source discovered and merged into one classified list, the cache
kept, and the last known targets kept where a source failed. The CLI and the app both use it,
so a partial refresh means the same thing in both."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

from switcher.environments import classify_all, recolored
from switcher.errors import NotSignedInError, SwitcherError
from switcher.model import Account, SourceKind, Target, Way
from switcher.services.last_known import KIND_ORDER, failed_part, ways_in_kind_order
from switcher.sources.merge import merge_accounts, merge_targets
from switcher.sources.profiles import profile_targets
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

    targeted: bool = False
    """Only some accounts' roles were listed (`Inventory.targeted`): never complete."""

    @property
    def complete(self) -> bool:
        return not (self.failed_accounts or self.not_signed_in or self.failed_sources
                    or self.targeted)

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
    """The remote discovery is cached in `cache`; the list made from it and the offline
    sources is cached in `view`, tagged with `fingerprint()`, a digest of every offline
    file as it is now (and of the discovery's cache): a list from the cache reads the
    files, and merges again only when one of them changed."""

    def __init__(self, sources: Callable[[], InventorySources], cache: InventoryCache,
                 view: InventoryCache | None = None,
                 fingerprint: Callable[[], str] | None = None) -> None:
        self._sources = sources
        self.cache = cache
        self.view = view
        self._fingerprint = fingerprint
        self._remote: CachedInventory | None = None
        """The last remote discovery, as cached."""
        self._cached: CachedInventory | None = None
        self._cache_read = False

    def _offline_fingerprint(self) -> str:
        return self._fingerprint() if self._fingerprint is not None else ""

    def cached(self) -> CachedInventory | None:
        """The last remote discovery merged with the offline sources as they are now, or
        None when nothing was discovered yet."""
        if self._cache_read:
            return self._cached
        self._cache_read = True
        offline = self._offline_fingerprint()
        if self.view is not None:
            view = self.view.load()
            if view is not None and view.fingerprint == f"{offline}|{self.cache.fingerprint()}":
                self._cached = view
                return view
        self._remote = self.cache.load()
        if self._remote is None:
            return None
        sources = self._sources()
        remote = still_configured(self._remote.targets, sources)
        self._cached = CachedInventory(assemble(sources, remote, offline_targets(sources, None)),
                                       self._remote.saved_at)
        self._save_view(self._cached, offline)
        return self._cached

    def _save_view(self, inventory: CachedInventory, offline: str) -> None:
        """`offline` is the fingerprint of the files taken before they were read."""
        if self.view is None:
            return
        with contextlib.suppress(OSError):  # only a faster start next time would be lost
            self.view.save(inventory.targets, f"{offline}|{self.cache.fingerprint()}",
                           inventory.saved_at)

    def targets(self, refresh: bool = False) -> list[Target]:
        """The cached discovery with the offline sources read now, or a fresh discovery when
        there is none (or when asked)."""
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
        while roles are still being listed.

        One refresh at a time for a cache: a call while another runs (another thread, or
        another workspace of this process) joins it, hears what it found so far and from
        then on, and gets its outcome."""
        running, leader = _RunningRefresh.join(str(self.cache.path), on_accounts, on_targets)
        if not leader:
            return running.outcome()
        try:
            result = self._discover(running.accounts_listed, running.targets_found)
        except BaseException as error:
            running.finish(None, error)
            raise
        running.finish(result, None)
        return result

    def _discover(self, on_accounts: AccountsListed, on_targets: TargetsFound) -> Refresh:
        offline = self._offline_fingerprint()
        sources = self._sources()
        settings = sources.settings
        result = Refresh([], warnings=[*sources.aws_config.warnings, *settings.warnings])
        groups = _identity_center_targets(sources, result, on_accounts, on_targets)
        groups.extend(_switch_role_targets(sources, result, remote=True))
        groups.append(_organization_targets(sources, result))
        remote = classify(sources, merge_targets(*groups))
        result.targets = assemble(sources, remote, offline_targets(sources, result))
        previous = self.cached()
        if previous is not None and result.complete:
            before = {t.key: t for t in previous.targets}
            after = {t.key: t for t in result.targets}
            result.added = [t for key, t in after.items() if key not in before]
            result.removed = [t for key, t in before.items() if key not in after]
        if result.complete:
            self._remote = CachedInventory(remote, time.time())
            self._cached = CachedInventory(result.targets, self._remote.saved_at)
            self._cache_read = True
            try:
                self.cache.save(remote)
                self._save_view(self._cached, offline)
            except OSError as error:  # a full disk: the cache is optional, the list is not
                result.warnings.append(f"the inventory cache {self.cache.path} could not be "
                                       f"written ({error.strerror or error}); the next run "
                                       "discovers again")
        elif previous is not None:
            found = {t.key for t in result.targets}
            failed = [part for t in previous.targets if (part := failed_part(t, result))]
            result.kept = [t for t in failed if t.key not in found]
            # A target another source still reaches keeps the failed source's ways and what
            # it knew of the account (signed out, profile rows lost their account names).
            fresh = [ways_in_kind_order(t) for t in merge_targets(
                result.targets, [t for t in failed if t.key in found])]
            result.targets = _with_known_accounts(
                sources, sorted([*fresh, *result.kept], key=_order), previous.targets)
        return result

    def targeted(self, wanted: Callable[[Account], bool]) -> Refresh:
        """Every source discovered as `refresh` does, except that Identity Center lists the
        roles of the accounts `wanted` picks alone: enough to act on a named target without
        waiting for every account's roles. A part of the inventory, so it is never cached
        (neither replacing the cache nor the list made from it) and never `complete`."""
        sources = self._sources()
        result = Refresh([], warnings=[*sources.aws_config.warnings,
                                       *sources.settings.warnings], targeted=True)
        groups = _identity_center_targets(sources, result, None, None, only=wanted)
        groups.extend(_switch_role_targets(sources, result, remote=True))
        groups.append(_organization_targets(sources, result))
        result.targets = assemble(sources, classify(sources, merge_targets(*groups)),
                                  offline_targets(sources, result))
        return result

    def offline(self) -> list[Target]:
        """The targets of the files read on every run (profiles, AESR files, config.toml's
        switch roles), merged, unclassified: what a name may reach without a discovery."""
        return merge_targets(*offline_targets(self._sources(), None))


class _RunningRefresh:
    """A refresh under way, by the cache it will write: who listens, what was heard. Every
    listener hears every event once and in order (a joiner first hears what came before
    it): events are delivered under the refresh's own lock."""

    _registry = threading.Lock()
    _by_cache: ClassVar[dict[str, _RunningRefresh]] = {}

    def __init__(self, key: str) -> None:
        self.key = key
        self._events = threading.Lock()
        self._done = threading.Event()
        self._result: Refresh | None = None
        self._error: BaseException | None = None
        self._accounts: list[AccountsListed] = []
        self._targets: list[TargetsFound] = []
        self._heard: list[tuple[SsoInstance, list[Account]] | list[Target]] = []

    @classmethod
    def join(cls, key: str, on_accounts: AccountsListed | None,
             on_targets: TargetsFound | None) -> tuple[_RunningRefresh, bool]:
        """The refresh running for `key` (False), or a new one this caller runs (True)."""
        with cls._registry:
            running = cls._by_cache.get(key)
            leader = running is None
            if running is None:
                running = cls._by_cache[key] = cls(key)
        with running._events:
            for event in running._heard:
                if isinstance(event, tuple):
                    if on_accounts is not None:
                        on_accounts(*event)
                elif on_targets is not None:
                    on_targets(event)
            if on_accounts is not None:
                running._accounts.append(on_accounts)
            if on_targets is not None:
                running._targets.append(on_targets)
        return running, leader

    def accounts_listed(self, instance: SsoInstance, accounts: list[Account]) -> None:
        with self._events:
            self._heard.append((instance, accounts))
            for listener in self._accounts:
                listener(instance, accounts)

    def targets_found(self, targets: list[Target]) -> None:
        with self._events:
            self._heard.append(targets)
            for listener in self._targets:
                listener(targets)

    def finish(self, result: Refresh | None, error: BaseException | None) -> None:
        with self._registry:
            self._by_cache.pop(self.key, None)
        with self._events:
            self._result, self._error = result, error
            self._heard.clear()
        self._done.set()

    def outcome(self) -> Refresh:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def _with_known_accounts(sources: InventorySources, targets: list[Target],
                         known: list[Target]) -> list[Target]:
    """A partial refresh (an instance signed out) leaves profiles without the account names
    that came from it: what the last list knew of their accounts is put back (and they are
    classified again with it, so a production name keeps its guard)."""
    accounts = {t.account_id: t.account for t in known if t.account.name}
    nameless = {t.key for t in targets if not t.account.name and t.account_id in accounts}
    if not nameless:
        return targets
    named = classify(sources, [
        replace(t, account=merge_accounts(t.account, accounts[t.account_id]))
        for t in targets if t.key in nameless])
    return sorted([*(t for t in targets if t.key not in nameless), *named], key=_order)




def is_remote(way: Way) -> bool:
    """Whether a way came from a discovery over the network (cached between runs) rather
    than from a file read on every run."""
    if way.kind in (SourceKind.SSO, SourceKind.ORGANIZATIONS):
        return True
    return way.kind is SourceKind.SWITCH_ROLE and way.origin.startswith(("https://", "http://"))


def still_configured(targets: list[Target], sources: InventorySources) -> list[Target]:
    """The cached discovery's targets, each with only the ways whose source is still
    configured: an Identity Center instance of this config file, the Organizations profile
    and the AESR URLs of config.toml. A cache made under another AWS_CONFIG_FILE (or before
    an instance was removed) adds nothing it cannot reach."""
    from switcher.sources import sso  # (with the token cache: not for a start from the cache)

    instances = {Way(SourceKind.SSO, sso_session=i.session_name, start_url=i.start_url,
                     sso_region=i.region) for i in sso.sso_instances(sources.aws_config)}
    urls = set(sources.settings.aesr_sources)
    organizations = sources.settings.organizations_profile

    def configured(way: Way) -> bool:
        if way.kind is SourceKind.SSO:
            return way in instances
        if way.kind is SourceKind.ORGANIZATIONS:
            return bool(organizations) and way.source_profile == organizations
        return way.kind is SourceKind.SWITCH_ROLE and way.origin in urls

    allowed: dict[tuple[Way, ...], tuple[Way, ...]] = {}  # thousands share a few sets
    kept = []
    for target in targets:
        ways = allowed.get(target.ways)
        if ways is None:
            ways = allowed[target.ways] = tuple(w for w in target.ways if configured(w))
        if ways == target.ways:
            kept.append(target)
        elif ways:
            kept.append(replace(target, ways=ways))
    return kept


def offline_targets(sources: InventorySources, result: Refresh | None) -> list[list[Target]]:
    """The sources read from files on every run: ~/.aws/config and credentials, AESR files
    and config.toml's switch roles."""
    scratch = result or Refresh([])
    return [profile_targets(sources.aws_config, sources.aws_credentials),
            *_switch_role_targets(sources, scratch, remote=False)]


def classify(sources: InventorySources, targets: list[Target]) -> list[Target]:
    """Account colours, config.toml's overrides and the environment rules applied."""
    colored = sources.account_colors.apply(targets)
    return classify_all(apply_overrides(colored, sources.settings), sources.settings.rules)


def _order(target: Target) -> tuple[str, str, str]:
    return (target.account.name.lower() or "~", target.account.account_id,
            target.role_name.lower())


def assemble(sources: InventorySources, remote: list[Target],
             offline: list[list[Target]]) -> list[Target]:
    """One classified list from the classified remote discovery and the offline sources,
    each target's ways in the order Identity Center, profiles, switch roles, Organizations.
    Only the accounts an offline source names are merged and classified again (the whole
    list takes a second at 30,000 targets; a start from the cache cannot wait for that)."""
    touched = {target.account_id for group in offline for target in group}
    rules = sources.settings.rules
    if not touched:
        return recolored(remote, rules)
    untouched = recolored([t for t in remote if t.account_id not in touched], rules)
    by_kind: dict[SourceKind, list[Target]] = {kind: [] for kind in KIND_ORDER}
    for target in remote:
        if target.account_id not in touched:
            continue
        kinds = {way.kind for way in target.ways}
        if len(kinds) == 1:
            by_kind[target.way.kind].append(target)
            continue
        for kind in KIND_ORDER:
            if kind in kinds:
                by_kind[kind].append(replace(
                    target, ways=tuple(w for w in target.ways if w.kind is kind)))
    merged = merge_targets(by_kind[SourceKind.SSO], *offline[:1],
                           by_kind[SourceKind.SWITCH_ROLE], *offline[1:],
                           by_kind[SourceKind.ORGANIZATIONS])
    return sorted([*untouched, *classify(sources, merged)], key=_order)


def _identity_center_targets(sources: InventorySources, result: Refresh,
                             on_accounts: AccountsListed | None,
                             on_targets: TargetsFound | None,
                             only: Callable[[Account], bool] | None = None
                             ) -> list[list[Target]]:
    from switcher.sources import sso

    groups: list[list[Target]] = []
    # Streamed rows can be acted on before the discovery ends: classified as the final list
    # is, so that a production account says so and its guard asks.
    found = (lambda targets: on_targets(classify(sources, targets))) if on_targets else None
    for instance in sso.sso_instances(sources.aws_config):
        try:
            token = sources.signin.live(instance)
            callback = (lambda accounts, i=instance: on_accounts(i, accounts)
                        ) if on_accounts else None
            discovery = sso.discover(instance, token, sources.clients, callback,
                                     on_targets=found, only=only)
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


def _switch_role_targets(sources: InventorySources, result: Refresh,
                         remote: bool) -> list[list[Target]]:
    """AESR configurations at URLs (`remote`), or AESR files and config.toml's entries."""
    from switcher.sources import switchroles

    groups: list[list[Target]] = []
    settings = sources.settings
    profiles = frozenset(sources.aws_config.profiles)
    for location in settings.aesr_sources:
        if location.startswith(("https://", "http://")) != remote:
            continue
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
    if settings.switch_roles and not remote:
        entries = switchroles.config_entries(list(settings.switch_roles), str(settings.path))
        groups.append(entries.targets)
        result.warnings.extend(entries.warnings)
    for name, team_entries in settings.team_switch_roles if not remote else ():
        # After the user's own: where both reach a target, the user's region and name win.
        entries = switchroles.config_entries(list(team_entries), f"team:{name}")
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
