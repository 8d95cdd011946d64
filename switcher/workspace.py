"""Composition only: the files as read for this process, the clients, and the services built
on them (inventory, target names, console), handed to the CLI and the app. Each service gets
what it needs as arguments; none of them imports this module."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from switcher import paths
from switcher.auth.warm import DEFAULT_REGION
from switcher.auth.warm import region_for as region_rule
from switcher.clients import ClientFactory
from switcher.errors import (
    CredentialsError,
    SwitcherError,
    UnknownTargetError,
)
from switcher.model import Credentials, Target, Way
from switcher.services.inventory import (
    AccountsListed,
    Inventory,
    InventorySources,
    Refresh,
    TargetsFound,
)
from switcher.store.awsconfig import (
    AwsConfig,
    load_aws_config,
    load_credentials_file,
    with_credentials_profiles,
    with_role_arn_warnings,
)
from switcher.store.inventory import CachedInventory, InventoryCache
from switcher.store.reading import read_regular
from switcher.store.settings import Settings, load_settings

# What a command does not use it does not import: `switcher list` from the cache needs none
# of these, and each is imported where it is first needed.
if TYPE_CHECKING:
    from switcher.actions.browser import OneTimeRedirect
    from switcher.actions.console import ConsoleEndpoints, ConsoleMethod
    from switcher.auth.credentials import CredentialResolver, MfaPrompt
    from switcher.auth.oidc import PromptCallback, SignIn, SsoInstance, SsoToken
    from switcher.auth.secrets import KeyStore
    from switcher.model import Credentials, Target, Way
    from switcher.services import setup
    from switcher.services.console import ConsoleLink, ConsoleService
    from switcher.services.resolve import TargetNames
    from switcher.sources.account_colors import AccountColors
    from switcher.store.awsconfig import AwsConfig
    from switcher.store.editing import Edited
    from switcher.store.settings import Settings
    from switcher.store.state import UserState
    from switcher.store.teams import TeamStore

__all__ = ["DEFAULT_REGION", "Refresh", "Workspace"]



class Workspace:
    def __init__(self, environ: Mapping[str, str] | None = None,
                 clients: ClientFactory | None = None) -> None:
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)
        self.clients = clients or ClientFactory()
        self.mfa_prompt: MfaPrompt | None = None
        self.sign_in_opener: Callable[[str], None] | None = None
        """Opens sign-in pages (device-code verification, PKCE authorize); None means the
        system browser."""
        self.describe_landing: Callable[[str], str | None] | None = None
        """Says where a console page followed by the built-in browser stand-in landed (the
        demo sets it, with the emulator's console pages); None: not said."""

    # --- what is read once per process ------------------------------------------------------

    @cached_property
    def aws_config(self) -> AwsConfig:
        """~/.aws/config with the credentials file's profiles merged in, as botocore's
        full_config has them (a role_arn profile there works in the AWS CLI too)."""
        merged = with_credentials_profiles(load_aws_config(paths.aws_config_file(self.environ)),
                                           self.aws_credentials)
        return with_role_arn_warnings(merged, self.aws_credentials)

    @cached_property
    def aws_credentials(self) -> AwsConfig:

        return load_credentials_file(paths.aws_credentials_file(self.environ))

    @cached_property
    def own_settings(self) -> Settings:
        """config.toml alone, without what team files add."""
        return load_settings(paths.config_dir(self.environ) / "config.toml")

    @cached_property
    def settings(self) -> Settings:
        """config.toml with what the accepted team files add (the user's own wins)."""
        own = self.own_settings
        if not self.team_store.path.exists():
            return own
        from switcher.services import teams

        return teams.with_teams(own, *teams.accepted_files(self.team_store))

    @cached_property
    def team_store(self) -> TeamStore:
        from switcher.store.teams import TeamStore

        return TeamStore(paths.state_dir(self.environ))

    @cached_property
    def signin(self) -> SignIn:
        from switcher.auth.oidc import SignIn, TokenCache

        return SignIn(self.clients, TokenCache(paths.sso_cache_dir(self.environ)))

    @cached_property
    def user_state(self) -> UserState:
        from switcher.store.state import UserState

        return UserState.load(paths.state_dir(self.environ) / "state.json")

    @cached_property
    def keystore(self) -> KeyStore:
        from switcher.auth.secrets import KeyStore

        return KeyStore()

    @cached_property
    def account_colors(self) -> AccountColors:
        from switcher.sources.account_colors import AccountColors

        return AccountColors(paths.state_dir(self.environ) / "account-colors.json")

    @cached_property
    def inventory_cache(self) -> InventoryCache:
        return InventoryCache(paths.cache_dir(self.environ) / "inventory.json")

    @cached_property
    def resolver(self) -> CredentialResolver:
        from switcher.auth.credentials import CredentialResolver

        def ask(serial: str) -> str:
            if self.mfa_prompt is None:
                raise CredentialsError(f"An MFA code for {serial} is needed; run this from a "
                                       "terminal")
            return self.mfa_prompt(serial)

        resolver = CredentialResolver(self.aws_config, self.aws_credentials, self.signin,
                                      self.clients, ask, self.keystore, self.environ)
        if self.settings.keyring_sessions:
            resolver.session_store = self.keystore
        return resolver

    def files_read(self) -> list[Path]:
        """The files switcher reads its targets from (shown on a first run)."""
        return [paths.aws_config_file(self.environ), paths.aws_credentials_file(self.environ),
                paths.config_dir(self.environ) / "config.toml"]

    def nothing_configured(self) -> bool:
        """A first run: no file names a target or a way to find some."""
        from switcher.services import setup

        return setup.nothing_configured(self.aws_config, self.aws_credentials, self.settings)

    def files_described(self) -> list[str]:
        """Each file read (`files_read`) and what it holds, for a first run."""
        from switcher.services import setup

        return setup.files_described(self.aws_config, self.aws_credentials, self.settings)

    def add_sso_session(self, session: setup.SsoSession) -> Edited:
        from switcher.services import setup

        edited = setup.add_sso_session(paths.aws_config_file(self.environ), session)
        self._forget_files()
        return edited

    def add_aesr_source(self, location: str) -> str:
        from switcher.services import setup

        added = setup.add_aesr_source(self.settings.path, self.settings.aesr_sources, location)
        self._forget_files()
        return added

    def _forget_files(self) -> None:
        """A file changed under us: read it again when next needed."""
        for name in ("aws_config", "aws_credentials", "own_settings", "settings", "resolver"):
            self.__dict__.pop(name, None)

    # --- the services -----------------------------------------------------------------------

    @cached_property
    def inventory(self) -> Inventory:
        return Inventory(lambda: InventorySources(
            self.aws_config, self.aws_credentials, self.settings, self.signin, self.clients,
            lambda: self.resolver, self.account_colors), self.inventory_cache,
            InventoryCache(paths.cache_dir(self.environ) / "inventory-merged.json"),
            self._offline_fingerprint)

    def _offline_fingerprint(self) -> str:
        """A digest of every file the offline sources read, as it is now (reading them is
        cheap; merging them into a large inventory is not)."""
        files = [paths.aws_config_file(self.environ), paths.aws_credentials_file(self.environ),
                 paths.config_dir(self.environ) / "config.toml", self.account_colors.path,
                 *self.team_store.files()]
        with contextlib.suppress(SwitcherError):  # a broken config.toml is reported elsewhere
            files += [Path(location).expanduser() for location in self.settings.aesr_sources
                      if not location.startswith(("https://", "http://"))]
        digest = hashlib.sha256()
        for file in files:
            digest.update(os.fsencode(file) + b"\0")
            try:
                digest.update(hashlib.sha256(read_regular(file)).digest())
            except OSError as error:
                digest.update(type(error).__name__.encode())
        return digest.hexdigest()

    @cached_property
    def names(self) -> TargetNames:
        from switcher.services.resolve import TargetNames

        return TargetNames(lambda: self.aws_config, lambda: self.aws_credentials,
                           lambda: self.settings.read_only_roles, lambda: self.settings.rules,
                           self.signed_out)

    @cached_property
    def console(self) -> ConsoleService:
        from switcher.services.console import ConsoleService

        return ConsoleService(lambda: self.settings, lambda: self.resolver, self.endpoints,
                              self.browser_command)

    @property
    def endpoints(self) -> ConsoleEndpoints:
        from switcher.actions.console import ConsoleEndpoints

        return ConsoleEndpoints.from_environment(self.environ)

    def browser_command(self) -> str:
        return self.environ.get("SWITCHER_BROWSER") or self.settings.browser_command

    # --- the calls the CLI and the app share --------------------------------------------------

    def instances(self) -> list[SsoInstance]:
        from switcher.sources import sso

        return sso.sso_instances(self.aws_config)

    def login(self, instance: SsoInstance, prompt: PromptCallback,
              open_url: Callable[[str], None] | None = None,
              device_code: bool | None = None) -> SsoToken:
        from switcher.services import signin

        return signin.login(self.signin, instance, prompt, open_url or self.sign_in_opener,
                            device_code, self.environ)

    def remote_without_display(self) -> bool:
        from switcher.services import signin

        return signin.remote_without_display(self.environ)

    def logout(self, instance: SsoInstance) -> bool:
        self.forget_warm_credentials()
        return self.signin.logout(instance)

    def forget_warm_credentials(self) -> int:
        """Clear the warm credential cache (logout, keys changed): the next command of any
        process resolves its target in full."""
        from switcher.auth.warm import forget_all

        return forget_all(self.environ, self.keystore)

    def cached_inventory(self) -> CachedInventory | None:
        return self.inventory.cached()

    def refresh(self, on_accounts: AccountsListed | None = None,
                on_targets: TargetsFound | None = None) -> Refresh:
        """Discover again; team files are fetched too (a change is held back, and said)."""
        checked: list[str] = []
        if self.team_store.path.exists():
            from switcher.services import teams

            checked = teams.check_all(self.team_store)
            self.__dict__.pop("settings", None)  # a change held back is said from now on
        result = self.inventory.refresh(on_accounts, on_targets)
        result.warnings.extend(w for w in checked if w not in result.warnings)
        return result

    def forget_teams(self) -> None:
        """A team file was added, accepted or removed: read the settings again."""
        self._forget_files()
        self.__dict__.pop("inventory", None)

    def targets(self, refresh: bool = False) -> list[Target]:
        return self.inventory.targets(refresh)

    def resolve(self, name: str, targets: list[Target] | None = None,
                via: str | None = None) -> tuple[Target, Way | None]:
        """The target `name` stands for. With no inventory cached, the accounts the name
        points at have their roles listed first (`Inventory.targeted`), not every account's:
        a name found there is the answer a full discovery would give (it lists every role of
        those accounts and reads every other source). A name not found there (a typo, a
        profile of an account not listed) is looked up after a full discovery, as before."""
        if targets is None and self.cached_inventory() is None:
            wanted = self.names.accounts_for(name, self.inventory.offline())
            partial = self.inventory.targeted(wanted)
            with contextlib.suppress(UnknownTargetError):
                return self.names.resolve(name, partial.targets, via)
        known = targets if targets is not None else self.targets()
        return self.names.resolve(name, known, via)

    def want_roles(self, account_ids: list[str]) -> None:
        """List these accounts' roles first in a discovery that is running (or the next)."""
        self.clients.wanted.want(account_ids)

    def signed_out(self) -> list[str]:
        """The Identity Center instances without a usable or refreshable token."""
        return [i.label for i in self.instances() if not self.signin.has_session(i)]

    def environment_settled_later(self, target: Target) -> bool:
        """Whether a source merged only when a discovery ends (Organizations' tags and OUs,
        AESR files, a switch role or profile naming the account) could still change what
        `target`'s environment is while its roles stream in."""
        settings = self.settings
        if settings.organizations_profile or settings.aesr_sources:
            return True
        account = target.account_id
        entries = [*settings.switch_roles,
                   *(entry for _, team in settings.team_switch_roles for entry in team)]
        return any(account in str(entry) for entry in entries) or any(
            account in values.get("role_arn", "") or values.get("sso_account_id") == account
            for values in self.aws_config.profiles.values())

    def guardrail(self, target: Target) -> str:
        """What to ask before acting on `target`: off, confirm or type-name."""
        if target.environment in self.settings.guarded:
            return self.settings.guardrail
        return "off"

    def region_for_default(self) -> str:
        return region_rule(None, "", self.environ)

    def region_for(self, target: Target, region: str | None) -> str:
        """The region to act in: the one asked for, the target's, the environment's, else
        the partition's default (a URL needs one). One rule with the warm path's."""
        return region_rule(region, target.region, self.environ)

    def configured_region(self, target: Target) -> str:
        """The region botocore would use for the target's profile: its own, else
        AWS_DEFAULT_REGION (botocore reads only that one; AWS CLI v2 also AWS_REGION); ''
        when none, shown as "—"."""
        return target.region or self.configured_default_region()

    def configured_default_region(self) -> str:
        """The region of a target that has none of its own, as botocore would use it; ''
        when none."""
        return self.environ.get("AWS_DEFAULT_REGION") or self.environ.get("AWS_REGION") or ""

    def credentials(self, target: Target, way: Way | None = None) -> Credentials:
        return self.resolver.for_target(target, way)

    def shell_environment(self, target: Target, region: str,
                          way: Way | None = None) -> dict[str, str]:
        from switcher.actions import shell

        return shell.credential_environment(target, self.credentials(target, way), region,
                                            self.environ)

    def console_method(self, target: Target, requested: str | None = None) -> ConsoleMethod:
        return self.console.method(target, requested)

    def console_url(self, target: Target, region: str, path: str = "",
                    way: Way | None = None, method: str | None = None,
                    logout_first: bool | None = None) -> str:
        return self.console.url(target, region, path, way, method, logout_first)

    def console_link(self, target: Target, region: str, path: str = "",
                     way: Way | None = None, method: str | None = None,
                     logout_first: bool | None = None) -> ConsoleLink:
        """The console URL with the warnings to show beside it."""
        return self.console.link(target, region, path, way, method, logout_first)

    def open_console(self, target: Target, region: str, path: str = "",
                     way: Way | None = None, method: str | None = None,
                     logout_first: bool | None = None,
                     on_warning: Callable[[str], None] | None = None) -> OneTimeRedirect:
        return self.console.open(target, region, path, way, method, logout_first, on_warning)

    def destinations(self, target: Target) -> list[str]:
        return list(self.settings.override_for(target.key, target.display_name).destinations)

    def save_destinations(self, target: Target, destinations: list[str]) -> None:
        from switcher.store.settings import save_destinations

        save_destinations(self.settings.path, target.key, destinations)
        self._forget_files()

    def import_keys(self, profiles: list[str] | None, remove_from_file: bool
                    ) -> tuple[list[str], Edited | None]:
        from switcher.services import keys

        self.forget_warm_credentials()
        result = keys.import_keys(self.aws_credentials, self.keystore, profiles,
                                  remove_from_file)
        if remove_from_file:
            self._forget_files()
        return result

    def profile_reach(self, config: AwsConfig) -> dict[str, str]:
        from switcher.sources.profiles import profiles_reaching

        return profiles_reaching(config, self.aws_credentials)

    def fetch_account_colors(self, targets: list[Target]) -> dict[str, str]:
        from switcher.sources.account_colors import learn_account_colors

        return learn_account_colors(targets, self.credentials, self.clients,
                                    self.account_colors)
