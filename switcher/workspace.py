"""Everything the CLI and the TUI do, in one place that neither has to repeat: reading the
configuration, signing in, building the inventory, resolving a target and acting on it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from switcher import paths
from switcher.actions import console, shell
from switcher.actions.console import ConsoleMethod
from switcher.auth.credentials import CredentialResolver, MfaPrompt
from switcher.auth.oidc import PromptCallback, SignIn, SsoInstance, SsoToken, TokenCache
from switcher.auth.secrets import KeyStore
from switcher.clients import ClientFactory
from switcher.environments import classify_all
from switcher.errors import (
    ConsoleError,
    CredentialsError,
    NotSignedInError,
    SignInError,
    SwitcherError,
    TargetNotFoundError,
)
from switcher.model import Account, Credentials, SourceKind, Target, Way
from switcher.sources import sso, switchroles
from switcher.sources.account_colors import AccountColors, fetch_account_color
from switcher.sources.merge import merge_targets
from switcher.sources.organizations import organization_targets
from switcher.sources.profiles import profile_targets
from switcher.store.awsconfig import AwsConfig, load_aws_config, load_credentials_file
from switcher.store.awsfiles import remove_section
from switcher.store.inventory import CachedInventory, InventoryCache
from switcher.store.settings import Settings, load_settings, save_destinations
from switcher.store.state import UserState

if TYPE_CHECKING:
    from switcher.actions.browser import OneTimeRedirect

DEFAULT_REGION = "us-east-1"


@dataclass
class Refresh:
    """The outcome of one inventory refresh."""

    targets: list[Target]
    failed_accounts: dict[str, str] = field(default_factory=dict)
    not_signed_in: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Problems with one source or entry (a bad AESR line, an unreachable URL) that did not
    stop the rest."""
    failed_sources: list[str] = field(default_factory=list)
    added: list[Target] = field(default_factory=list)
    """Targets that were not in the cached inventory (empty when there was none)."""
    removed: list[Target] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.failed_accounts or self.not_signed_in or self.failed_sources)


class Workspace:
    def __init__(self, environ: Mapping[str, str] | None = None,
                 clients: ClientFactory | None = None) -> None:
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)
        self.clients = clients or ClientFactory()
        self.mfa_prompt: MfaPrompt | None = None
        self._cached: CachedInventory | None = None
        self._cache_read = False
        self.sign_in_opener: Callable[[str], None] | None = None
        """Opens sign-in pages (device-code verification, PKCE authorize); None means the
        system browser."""

    @cached_property
    def aws_config(self) -> AwsConfig:
        return load_aws_config(paths.aws_config_file(self.environ))

    @cached_property
    def aws_credentials(self) -> AwsConfig:
        return load_credentials_file(paths.aws_credentials_file(self.environ))

    @cached_property
    def signin(self) -> SignIn:
        return SignIn(self.clients, TokenCache(paths.sso_cache_dir(self.environ)))

    @cached_property
    def user_state(self) -> UserState:
        return UserState.load(paths.state_dir(self.environ) / "state.json")

    @cached_property
    def keystore(self) -> KeyStore:
        return KeyStore()

    def import_keys(self, profiles: list[str] | None, remove_from_file: bool
                    ) -> tuple[list[str], Path | None]:
        """Move IAM user keys from ~/.aws/credentials into the keyring; with
        `remove_from_file`, then take them out of the file (after a backup)."""
        file = self.aws_credentials
        wanted = profiles or [name for name, values in file.profiles.items()
                              if values.get("aws_access_key_id")
                              and not values.get("aws_session_token")]
        imported: list[str] = []
        for name in wanted:
            values = file.profiles.get(name, {})
            if not values.get("aws_access_key_id") or not values.get("aws_secret_access_key"):
                raise CredentialsError(f"{file.path}: [{name}] has no long-lived keys to import")
            self.keystore.add(name, values["aws_access_key_id"], values["aws_secret_access_key"])
            imported.append(name)
        backup: Path | None = None
        if remove_from_file and imported:
            for name in imported:
                saved = remove_section(file.path, name)
                backup = backup or saved
            self.__dict__.pop("aws_credentials", None)  # read again: the file changed
        return imported, backup

    @cached_property
    def settings(self) -> Settings:
        return load_settings(paths.config_dir(self.environ) / "config.toml")

    @cached_property
    def account_colors(self) -> AccountColors:
        return AccountColors(paths.state_dir(self.environ) / "account-colors.json")

    def learn_account_color(self, target: Target, credentials: Credentials) -> str:
        """Ask the console's account colour with credentials we already hold, and keep it."""
        color = fetch_account_color(credentials, self.clients)
        if color:
            self.account_colors.remember(target.account_id, color)
        return color

    def fetch_account_colors(self, targets: list[Target]) -> dict[str, str]:
        """The console colour of every account in `targets` (one credential and one call per
        account); failures are skipped."""
        found: dict[str, str] = {}
        for target in {t.account_id: t for t in targets if not t.problem}.values():
            try:
                color = self.learn_account_color(target, self.credentials(target))
            except SwitcherError:
                continue
            if color:
                found[target.account_id] = color
        return found

    def cached_inventory(self) -> CachedInventory | None:
        """The inventory cache, read once per process (then kept up to date by refreshes)."""
        if not self._cache_read:
            self._cached = self.inventory_cache.load()
            self._cache_read = True
        return self._cached

    @cached_property
    def inventory_cache(self) -> InventoryCache:
        return InventoryCache(paths.cache_dir(self.environ) / "inventory.json")

    @cached_property
    def resolver(self) -> CredentialResolver:
        def ask(serial: str) -> str:
            if self.mfa_prompt is None:
                return _refuse_mfa(serial)
            return self.mfa_prompt(serial)

        resolver = CredentialResolver(self.aws_config, self.aws_credentials, self.signin,
                                      self.clients, ask, self.keystore, self.environ)
        if self.settings.keyring_sessions:
            resolver.session_store = self.keystore
        return resolver

    @property
    def endpoints(self) -> console.ConsoleEndpoints:
        return console.ConsoleEndpoints.from_environment(self.environ)

    def instances(self) -> list[SsoInstance]:
        return sso.sso_instances(self.aws_config)

    def login(self, instance: SsoInstance, prompt: PromptCallback,
              open_url: Callable[[str], None] | None = None,
              device_code: bool | None = None) -> SsoToken:
        """Sign in: PKCE in a local browser by default for [sso-session] instances (as the AWS
        CLI does), the device code for legacy profiles, over SSH without a display, or when
        asked; `open_url` shows the authorize page (default: the system browser)."""
        if device_code is None:
            device_code = not instance.session_name or self.remote_without_display()
        if device_code:
            return self.signin.login_with_device_code(instance, prompt)
        opener = open_url or self.sign_in_opener or _open_system_browser
        return self.signin.login_with_browser(instance, opener)

    def remote_without_display(self) -> bool:
        over_ssh = bool(self.environ.get("SSH_CONNECTION") or self.environ.get("SSH_TTY"))
        has_display = bool(self.environ.get("DISPLAY") or self.environ.get("WAYLAND_DISPLAY"))
        return over_ssh and not has_display

    def logout(self, instance: SsoInstance) -> bool:
        return self.signin.logout(instance)

    def refresh(self, on_accounts: Callable[[SsoInstance, list[Account]], None] | None = None,
                on_targets: Callable[[list[Target]], None] | None = None) -> Refresh:
        """Discover every source now; the cache is replaced only by a complete refresh.
        `on_accounts` hears of each instance's accounts as soon as they are listed, and
        `on_targets` of targets while roles are still being listed."""
        result = Refresh([], warnings=[*self.aws_config.warnings, *self.settings.warnings])
        groups: list[list[Target]] = []
        for instance in self.instances():
            try:
                token = self.signin.token(instance)
                callback = (lambda accounts, i=instance: on_accounts(i, accounts)
                            ) if on_accounts else None
                discovery = sso.discover(instance, token, self.clients, callback,
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
        groups.append(profile_targets(self.aws_config, self.aws_credentials))
        groups.extend(self._switch_role_targets(result))
        groups.append(self._organization_targets(result))
        merged = self.account_colors.apply(merge_targets(*groups))
        result.targets = classify_all(self._apply_overrides(merged), self.settings.rules)
        previous = self.cached_inventory()
        if previous is not None and result.complete:
            before = {t.key: t for t in previous.targets}
            after = {t.key: t for t in result.targets}
            result.added = [t for key, t in after.items() if key not in before]
            result.removed = [t for key, t in before.items() if key not in after]
        if result.complete:
            self.inventory_cache.save(result.targets)
            self._cached = CachedInventory(result.targets, time.time())
        return result

    def _switch_role_targets(self, result: Refresh) -> list[list[Target]]:
        groups: list[list[Target]] = []
        profiles = frozenset(self.aws_config.profiles)
        for location in self.settings.aesr_sources:
            try:
                text = switchroles.read_aesr_source(location)
            except OSError as error:
                result.failed_sources.append(location)
                result.warnings.append(f"AESR configuration {location}: {error}")
                continue
            entries = switchroles.parse_aesr(text, location, profiles)
            groups.append(entries.targets)
            result.warnings.extend(entries.warnings)
        if self.settings.switch_roles:
            entries = switchroles.config_entries(list(self.settings.switch_roles),
                                                 str(self.settings.path))
            groups.append(entries.targets)
            result.warnings.extend(entries.warnings)
        return groups

    def _organization_targets(self, result: Refresh) -> list[Target]:
        profile = self.settings.organizations_profile
        if not profile:
            return []
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            credentials = self.resolver.for_profile(profile)
            return organization_targets(credentials, self.clients, profile,
                                        self.settings.organizations_role)
        except (SwitcherError, ClientError, BotoCoreError) as error:
            result.failed_sources.append(f"organizations:{profile}")
            result.warnings.append(f"AWS Organizations through profile {profile!r}: {error}")
            return []

    def _apply_overrides(self, targets: list[Target]) -> list[Target]:
        overrides = self.settings.overrides
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

    def targets(self, refresh: bool = False) -> list[Target]:
        """The cached inventory, or a fresh one when there is none (or when asked)."""
        if not refresh:
            cached = self.cached_inventory()
            if cached is not None:
                return cached.targets
        return self.refresh().targets

    def resolve(self, name: str, targets: list[Target] | None = None,
                via: str | None = None) -> tuple[Target, Way | None]:
        """TARGET as `account-name/role`, `account-id/role` or a profile name; `via` picks
        one of its ways by label."""
        target, way = self._resolve(name, targets)
        if not via:
            return target, way
        chosen = next((w for w in target.ways if via in (w.label, w.profile)), None)
        if chosen is None:
            labels = ", ".join(w.label for w in target.ways)
            raise TargetNotFoundError(f"{target.display_name} cannot be reached via {via!r}; "
                                      f"its ways in: {labels}")
        return target, chosen

    def _resolve(self, name: str, targets: list[Target] | None) -> tuple[Target, Way | None]:
        known = targets if targets is not None else self.targets()
        for target in known:
            if name in target.profile_names:
                way = next((w for w in target.ways if w.profile == name), None)
                return target, way
        if name in self.aws_config.profiles:
            profile_only = merge_targets(profile_targets(self.aws_config, self.aws_credentials))
            for target in profile_only:
                if name in target.profile_names:
                    return target, target.way
        account, _, role = name.rpartition("/")
        if not account:  # only an account: its one role, or the environment's read-only role
            matches = [t for t in known if name in (t.account_id, t.account_name)]
            if len({t.role_name for t in matches}) == 1:
                return matches[0], None
            for target in matches:
                if self.settings.read_only_roles.get(target.environment) == target.role_name:
                    return target, None
            if matches:
                roles = ", ".join(sorted({t.role_name for t in matches}))
                raise TargetNotFoundError(f"{name} has several roles ({roles}); name one as "
                                          f"{name}/ROLE, or set a read-only role for its "
                                          "environment in config.toml [guardrails]")
        if account and role:
            matches = [t for t in known if t.role_name == role and
                       (t.account_id == account or t.account_name == account)]
            if not matches:
                matches = [t for t in known if t.role_name.lower() == role.lower() and
                           account.lower() in (t.account_id, t.account_name.lower())]
            if len(matches) == 1:
                return matches[0], None
        raise TargetNotFoundError(f"No target named {name!r}; `switcher list` shows them "
                                  "(account-name/role, account-id/role or a profile name)")

    def guardrail(self, target: Target) -> str:
        """What to ask before acting on `target`: off, confirm or type-name."""
        if target.environment in self.settings.guarded:
            return self.settings.guardrail
        return "off"

    def region_for_default(self) -> str:
        return (self.environ.get("AWS_REGION") or self.environ.get("AWS_DEFAULT_REGION")
                or DEFAULT_REGION)

    def region_for(self, target: Target, region: str | None) -> str:
        return region or target.region or self.region_for_default()

    def credentials(self, target: Target, way: Way | None = None) -> Credentials:
        return self.resolver.for_target(target, way)

    def console_method(self, target: Target, requested: str | None = None) -> ConsoleMethod:
        """How to open the console: asked for, set for the target, or the configured default
        (federation when that way does not fit the target)."""
        override = self.settings.override_for(target.key, target.display_name)
        wanted = requested or override.console_method or self.settings.console_method
        try:
            method = ConsoleMethod(wanted)
        except ValueError:
            raise ConsoleError(f"Unknown console method {wanted!r}; use federation, "
                               "switchrole or portal") from None
        if method is ConsoleMethod.PORTAL and not any(w.kind is SourceKind.SSO
                                                      for w in target.ways):
            if requested:
                raise ConsoleError(f"{target.display_name} is not an IAM Identity Center "
                                   "assignment: no portal link")
            return ConsoleMethod.FEDERATION
        only_sso = all(w.kind is SourceKind.SSO for w in target.ways)
        if method is ConsoleMethod.SWITCHROLE and only_sso:
            if requested:
                raise ConsoleError(f"{target.display_name} is an Identity Center permission "
                                   "set: it cannot be switched to with the switchrole link")
            return ConsoleMethod.FEDERATION
        return method

    def console_url(self, target: Target, region: str, path: str = "",
                    way: Way | None = None, method: str | None = None,
                    logout_first: bool | None = None) -> str:
        """The URL that opens the console. With federation it signs in (and is a secret)."""
        chosen = self.console_method(target, method)
        if chosen is ConsoleMethod.PORTAL:
            sso_way = way if way and way.kind is SourceKind.SSO else next(
                w for w in target.ways if w.kind is SourceKind.SSO)
            url = console.portal_url(sso_way.start_url, target, region, self.endpoints, path)
        elif chosen is ConsoleMethod.SWITCHROLE:
            url = console.switchrole_url(target, way or target.way, region, self.endpoints,
                                         path)
        else:
            credentials = self.resolver.console_credentials(self.credentials(target, way),
                                                            target.role_name)
            url = console.signin_url(credentials, region, self.endpoints, path,
                                     self.settings.console_session_duration)
        if self.settings.console_logout_first if logout_first is None else logout_first:
            url = self.endpoints.logout_first(url, region)
        return url

    def destinations(self, target: Target) -> list[str]:
        return list(self.settings.override_for(target.key, target.display_name).destinations)

    def save_destinations(self, target: Target, destinations: list[str]) -> None:
        save_destinations(self.settings.path, target.key, destinations)
        self.__dict__.pop("settings", None)  # read again

    def browser_command(self) -> str:
        return self.environ.get("SWITCHER_BROWSER") or self.settings.browser_command

    def open_console(self, target: Target, region: str, path: str = "",
                     way: Way | None = None, method: str | None = None,
                     logout_first: bool | None = None) -> OneTimeRedirect:
        from switcher.actions.browser import browser_fields, open_in_browser

        url = self.console_url(target, region, path, way, method, logout_first)
        return open_in_browser(url, self.browser_command(), browser_fields(target))

    def shell_environment(self, target: Target, region: str,
                          way: Way | None = None) -> dict[str, str]:
        return shell.credential_environment(target, self.credentials(target, way), region,
                                            self.environ)


def _is_aws_error(error: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(error, (BotoCoreError, ClientError))


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or error)
    return type(error).__name__


def _open_system_browser(url: str) -> None:
    import webbrowser

    if not webbrowser.open(url, new=2):
        raise SignInError("No browser found to sign in; use `switcher login --no-browser` for a "
                          "device code")


def _refuse_mfa(serial: str) -> str:
    raise CredentialsError(f"An MFA code for {serial} is needed; run this from a terminal")

