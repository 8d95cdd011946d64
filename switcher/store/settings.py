"""switcher's own settings: `$XDG_CONFIG_HOME/switcher/config.toml`, read with tomlkit (which
also keeps comments when switcher writes it).

```toml
[aesr]
sources = ["~/aesr-config.ini", "https://intranet.example/aesr.ini"]

[[switch_roles]]                 # like the console's Switch Role form
account = "123456789012"
role = "Admin"                   # or with its path: "team/Admin"
display_name = "Shop prod"
color = "#f2b0a9"
region = "eu-west-1"
source_profile = "jane-iam"      # the AWS profile that assumes the role
environment = "production"       # optional: overrides classification

[organizations]
profile = "management"           # a profile in the management account
role_name = "OrganizationAccountAccessRole"

[environments.patterns]          # extra regular expressions on account names
production = ["^live-", "customer"]

[environments.colors]
production = "#d13212"

[targets."123456789012/Admin"]   # explicit environment or colour for one target
environment = "production"
color = "#ff0000"
console = "switchrole"           # federation | switchrole | portal
destinations = ["s3", "cloudwatch", "ec2/home#Instances:"]

[console]
method = "federation"
session_duration = 43200         # seconds; sent only where AWS allows it
logout_first = true              # sign the browser out of its current console session first

[guardrails]
mode = "confirm"                 # off | confirm | type-name (type the account name)
environments = ["production"]
read_only_roles = { production = "ReadOnlyAccess" }   # used when TARGET names only an account
credential_process_allowed = ["payments-prod/ReadOnlyAccess"]  # guarded, served unasked

[credentials]
keyring_cache = true             # keep temporary credentials in the OS keyring between runs

[app]
theme = "switcher-light"         # switcher-dark, switcher-light, aws-console, or your own
palette = "console"              # environment colours: accessible (the default) or console
frecency = false                 # keep the list in name order (favourites still first)

[shell]
credential_endpoint = true       # long sessions: SDKs refresh credentials by themselves

[browser]
command = "chromium --user-data-dir=~/.config/switcher/chrome/{environment} {url}"

[keys]                           # the app's keys, by binding id (the README lists them)
help = "f10"                     # never a printable key: typing always filters the list
shell = ["ctrl+s", "f8"]         # several keys for one command
```
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from switcher.environments import PALETTES, Rules, normalize_color
from switcher.errors import ConfigError
from switcher.model import Environment
from switcher.store.reading import read_regular_text

DEFAULT_ORGANIZATION_ROLE = "OrganizationAccountAccessRole"


@dataclass(frozen=True)
class TargetOverride:
    environment: str = ""
    color: str = ""
    console_method: str = ""
    destinations: tuple[str, ...] = ()
    """Favourite console pages of this target (aliases or paths)."""


@dataclass(frozen=True)
class Settings:
    path: Path
    aesr_sources: tuple[str, ...] = ()
    switch_roles: tuple[dict[str, Any], ...] = ()
    team_switch_roles: tuple[tuple[str, tuple[dict[str, str], ...]], ...] = ()
    """The switch roles of each accepted team file, by the team's name (its entries'
    environments are rules, `Rules.team_environments`, not settings)."""
    organizations_profile: str = ""
    organizations_role: str = DEFAULT_ORGANIZATION_ROLE
    rules: Rules = field(default_factory=Rules)
    overrides: dict[str, TargetOverride] = field(default_factory=dict)
    console_method: str = "federation"
    console_session_duration: int | None = None
    console_logout_first: bool = False
    guardrail: str = "confirm"
    """off | confirm | type-name: what opening a guarded environment asks first."""
    guarded: tuple[Environment, ...] = (Environment.PRODUCTION,)
    read_only_roles: dict[Environment, str] = field(default_factory=dict)
    """The role chosen when a TARGET names only the account (per environment)."""
    credential_process_allowed: tuple[str, ...] = ()
    """Guarded targets (account-name/role or account-id/role) that `switcher
    credential-process` may serve: it runs with no terminal to ask."""
    keyring_sessions: bool = False
    """Keep temporary credentials in the OS keyring between runs (never in a file)."""
    theme: str = ""
    """A theme name: switcher-dark, switcher-light, aws-console, textual's own, or one of
    the user's in <config dir>/themes/."""
    frecency: bool = True
    """Order the list by recent and frequent use (after favourites)."""
    credential_endpoint: bool = False
    """Shells and commands get credentials from a local endpoint instead of variables."""
    browser_command: str = ""
    """A command template: {url}, {environment}, {account_id}, {account_name}, {role},
    {color}, {container_url} (a Firefox container link)."""
    keys: dict[str, str] = field(default_factory=dict)
    """The app's keys remapped: binding id to Textual key names, comma-separated when several.
    Checked by the app, which knows the ids and which keys it may take."""
    warnings: tuple[str, ...] = ()

    def override_for(self, key: str, name_key: str = "") -> TargetOverride:
        return self.overrides.get(key) or self.overrides.get(name_key) or TargetOverride()


def _table(document: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table")
    return value


def _strings(value: object, where: str, path: Path) -> list[str]:
    """A list of strings (one string counts as a list of one), or a ConfigError."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ConfigError(f"{path}: {where} must be a string or a list of strings")


def _choice(table: dict[str, Any], name: str, allowed: tuple[str, ...], path: Path,
            warnings: list[str]) -> str:
    """One of `allowed` (the first is the default); anything else warns and gives the
    default."""
    value = str(table.get(name.rsplit(".", 1)[-1], allowed[0]))
    if value not in allowed:
        warnings.append(f"{path}: {name} {value!r} is not one of {', '.join(allowed)}; "
                        f"{allowed[0]} is used")
        return allowed[0]
    return value


def _keys(document: dict[str, Any], path: Path, warnings: list[str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, value in _table(document, "keys", path).items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            warnings.append(f"{path}: keys.{name} must be a key name (like \"ctrl+t\") or a "
                            "list of them; ignored")
            continue
        keys[str(name)] = value
    return keys


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings(path)
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        document: dict[str, Any] = tomlkit.parse(read_regular_text(path)).unwrap()
    except ParseError as error:
        raise ConfigError(f"{path}:{error.line}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    warnings: list[str] = []
    aesr = _table(document, "aesr", path)
    sources = _strings(aesr.get("sources", []), "aesr.sources", path)
    switch_roles = document.get("switch_roles", [])
    if not isinstance(switch_roles, list) or not all(isinstance(e, dict) for e in switch_roles):
        raise ConfigError(f"{path}: switch_roles must be an array of tables ([[switch_roles]])")
    organizations = _table(document, "organizations", path)
    environments = _table(document, "environments", path)
    patterns: dict[Environment, tuple[re.Pattern[str], ...]] = {}
    for name, values in _table(environments, "patterns", path).items():
        try:
            environment = Environment(name)
            compiled = tuple(re.compile(v, re.IGNORECASE) for v in
                             _strings(values, f"environments.patterns.{name}", path))
        except ValueError:
            warnings.append(f"{path}: environments.patterns.{name}: unknown environment; "
                            "ignored")
            continue
        except re.error as error:
            warnings.append(f"{path}: environments.patterns.{name}: bad pattern ({error}); "
                            "ignored")
            continue
        patterns[environment] = compiled
    colors: dict[Environment, str] = {}
    for name, value in _table(environments, "colors", path).items():
        color = normalize_color(str(value))
        if name in Environment._value2member_map_ and color:
            colors[Environment(name)] = color
        else:
            warnings.append(f"{path}: environments.colors.{name} = {value!r} is not a known "
                            "environment and #rrggbb colour; ignored")
    overrides: dict[str, TargetOverride] = {}
    for key, value in _table(document, "targets", path).items():
        if not isinstance(value, dict):
            warnings.append(f"{path}: targets.{key} must be a table; ignored")
            continue
        overrides[str(key)] = TargetOverride(
            str(value.get("environment", "")), str(value.get("color", "")),
            str(value.get("console", "")),
            tuple(_strings(value.get("destinations", []), f"targets.{key}.destinations", path)))
    console_settings = _table(document, "console", path)
    method = _choice(console_settings, "console.method", ("federation", "switchrole", "portal"),
                     path, warnings)
    duration = console_settings.get("session_duration")
    if duration is not None and not (isinstance(duration, int) and 900 <= duration <= 43200):
        warnings.append(f"{path}: console.session_duration must be 900 to 43200 seconds; "
                        "ignored")
        duration = None
    palette = _choice(_table(document, "app", path), "app.palette", tuple(PALETTES), path,
                      warnings)
    guardrails = _table(document, "guardrails", path)
    guardrail = _choice(guardrails, "guardrails.mode", ("confirm", "type-name", "off"), path,
                        warnings)
    guarded: list[Environment] = []
    for name in _strings(guardrails.get("environments", ["production"]),
                         "guardrails.environments", path):
        if str(name) in Environment._value2member_map_:
            guarded.append(Environment(str(name)))
        else:
            warnings.append(f"{path}: guardrails.environments: unknown environment {name!r}")
    read_only = {Environment(str(k)): str(v)
                 for k, v in _table(guardrails, "read_only_roles", path).items()
                 if str(k) in Environment._value2member_map_}
    return Settings(
        path=path,
        guardrail=guardrail,
        guarded=tuple(guarded),
        read_only_roles=read_only,
        credential_process_allowed=tuple(_strings(
            guardrails.get("credential_process_allowed", []),
            "guardrails.credential_process_allowed", path)),
        aesr_sources=tuple(str(s) for s in sources),
        switch_roles=tuple(switch_roles),
        organizations_profile=str(organizations.get("profile", "")),
        organizations_role=str(organizations.get("role_name", DEFAULT_ORGANIZATION_ROLE)),
        rules=Rules(patterns, colors, palette),
        overrides=overrides,
        console_method=method,
        console_session_duration=duration,
        console_logout_first=bool(console_settings.get("logout_first", False)),
        browser_command=str(_table(document, "browser", path).get("command", "")),
        keyring_sessions=bool(_table(document, "credentials", path).get("keyring_cache",
                                                                         False)),
        frecency=bool(_table(document, "app", path).get("frecency", True)),
        theme=str(_table(document, "app", path).get("theme", "")),
        credential_endpoint=bool(_table(document, "shell", path).get("credential_endpoint",
                                                                     False)),
        keys=_keys(document, path, warnings),
        warnings=tuple(warnings),
    )


def update_setting(path: Path, tables: tuple[str, ...], key: str, value: object) -> None:
    """Set one value in config.toml (`tables` leads to its table, made when missing), keeping
    every comment and every other setting as it was."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    from switcher.store.atomic import write_private

    try:
        document = tomlkit.parse(read_regular_text(path)) if path.exists() else (
            tomlkit.document())
    except ParseError as error:
        raise ConfigError(f"{path}:{error.line}: {error}") from None
    table: Any = document
    for depth, name in enumerate(tables):
        inner = table.get(name)
        if inner is None:
            inner = tomlkit.table(is_super_table=depth < len(tables) - 1)
            table[name] = inner
        if not isinstance(inner, dict):
            raise ConfigError(f"{path}: {'.'.join(tables[: depth + 1])} must be a table")
        table = inner
    table[key] = value
    write_private(path, tomlkit.dumps(document))


def save_destinations(path: Path, target_key: str, destinations: list[str]) -> None:
    """Set `[targets."KEY"] destinations` in config.toml."""
    update_setting(path, ("targets", target_key), "destinations", destinations)


def edit_destinations(saved: Sequence[str], add: str | None, remove: str | None,
                      target_name: str) -> list[str]:
    """A target's favourite pages with `add` put last (any alias or console path: a wrong one
    fails when it is opened, not here), then `remove` taken out."""
    edited = list(saved)
    if add:
        edited = [*[d for d in edited if d != add], add]
    if remove:
        if remove not in edited:
            raise ConfigError(f"{remove!r} is not saved for {target_name}")
        edited = [d for d in edited if d != remove]
    return edited
