"""Team files: what a team shares, in one TOML file fetched from an https URL (http only on
127.0.0.1), a local path or a git checkout. A team file holds data, never anything that runs
code or reaches local files; whatever else it holds is refused, whole, with one line.

```toml
name = "platform"                       # the default name in `switcher team add`

[[switch_roles]]                        # like config.toml's
account = "123456789012"
role = "Admin"                          # or with its path: "team/Admin"
display_name = "Shop prod"
color = "#f2b0a9"
region = "eu-west-1"
environment = "production"
source_profile = "jane-iam"             # a profile name in each member's ~/.aws/config
external_id = "shop"

[organizations]
role_name = "OrganizationAccountAccessRole"   # the role template for Organizations accounts

[environments.patterns]                 # regular expressions on account names
production = ["^live-"]
[environments.colors]                   # every environment but production's
staging = "#b68c14"

[targets."123456789012/Admin"]          # or "account-name/role"
environment = "production"
color = "#aa0000"                       # never shown on production: its colour stays
console = "switchrole"                  # federation | switchrole | portal
destinations = ["s3", "ec2/home#Instances:"]

[guardrails]                            # only ever stricter than the member's own
mode = "type-name"
environments = ["production", "staging"]
read_only_roles = { production = "ReadOnlyAccess" }
```
"""

from __future__ import annotations

import hashlib
import re
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from switcher.arn import ArnError, split_role_name
from switcher.environments import normalize_color
from switcher.errors import SwitcherError
from switcher.model import ACCOUNT_ID_PATTERN, Environment
from switcher.store.reading import read_regular
from switcher.text import visible

MAX_BYTES = 1024 * 1024
"""A team file is refused beyond 1 MiB (10,000 switch roles take about 1 MiB)."""
DEADLINE = 10.0
"""Seconds a URL has to answer in full."""
FILE_IN_CHECKOUT = "switcher-team.toml"
"""The file read when SOURCE is a folder (a git checkout)."""
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
GUARDRAIL_ORDER = ("off", "confirm", "type-name")
CONSOLE_METHODS = ("federation", "switchrole", "portal")
SWITCH_ROLE_KEYS = {"account", "account_id", "role", "role_name", "display_name", "color",
                    "region", "environment", "source_profile", "external_id"}
TARGET_KEYS = {"environment", "color", "console", "destinations"}
MAX_PATTERN = 200
_NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)\s*[+*{]")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_PROFILE = re.compile(r"^[\w.@+=-]{1,128}$")

REFUSED = {
    "browser": "browser commands run programs",
    "shell": "shell settings change what runs in your shells",
    "credentials": "credential settings are yours alone",
    "credential_process": "credential_process runs a program",
    "credential_source": "credential sources are yours alone",
    "credential_endpoint": "credential endpoints hand out credentials",
    "endpoints": "endpoints decide where credentials are sent",
    "aesr": "AESR sources are local paths or URLs",
    "keys": "key bindings are yours alone",
    "app": "app settings are yours alone",
    "console": "console settings are yours alone",
    "command": "commands run programs",
    "credential_process_allowed": "it would let credential-process serve guarded targets "
                                  "unasked (a team file makes targets stricter, never weaker)",
}
"""Keys a team file may not hold, anywhere, and why (said when one is refused)."""


class TeamFileError(SwitcherError):
    """A team file that cannot be used: unreachable, too big, malformed or refused."""


@dataclass(frozen=True)
class TeamFile:
    """A team file's content, checked."""

    name: str = ""
    switch_roles: tuple[dict[str, str], ...] = ()
    organizations_role: str = ""
    patterns: dict[Environment, tuple[str, ...]] = field(default_factory=dict)
    colors: dict[Environment, str] = field(default_factory=dict)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    guardrail: str = ""
    guarded: tuple[Environment, ...] = ()
    read_only_roles: dict[Environment, str] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """What it adds, one line each (untrusted text made visible)."""
        lines = [f"{len(self.switch_roles)} switch role"
                 f"{'' if len(self.switch_roles) == 1 else 's'}"]
        lines += [f"  {visible(e.get('display_name') or '')} {e['account']}/{e['role']}"
                  f"{' (' + e['environment'] + ')' if e.get('environment') else ''}"
                  for e in self.switch_roles]
        if self.organizations_role:
            lines.append(f"Organizations role template: {self.organizations_role}")
        for environment, patterns in self.patterns.items():
            lines.append(f"names matching {', '.join(visible(p) for p in patterns)} are "
                         f"{environment.value}")
        for environment, color in self.colors.items():
            lines.append(f"{environment.value} is shown in {color}")
        for key, values in self.targets.items():
            lines.append(f"{visible(key)}: " + ", ".join(
                f"{name} {visible(str(value))}" for name, value in values.items()))
        if self.guardrail:
            lines.append(f"guardrail mode at least {self.guardrail}")
        if self.guarded:
            lines.append(f"guarded: {', '.join(e.value for e in self.guarded)}")
        for environment, role in self.read_only_roles.items():
            lines.append(f"read-only role in {environment.value}: {role}")
        return lines


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading the file -------------------------------------------------------------------------

def is_url(source: str) -> bool:
    return "://" in source or source.startswith(("http:", "https:", "file:"))


def check_url(url: str) -> None:
    """https anywhere, http only to this machine's loopback; nothing else (file:, ftp:)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1"):
        return
    raise TeamFileError(f"{visible(url)[:200]}: a team file comes from an https URL (http "
                        "only on 127.0.0.1), a local path or a git checkout")


def local_file(source: str) -> Path:
    """The file a local SOURCE names: the file itself, or `switcher-team.toml` in a folder."""
    path = Path(source).expanduser().absolute()
    return path / FILE_IN_CHECKOUT if path.is_dir() else path


def git_commit(path: Path) -> str:
    """The commit a git checkout holding `path` is at ('' when none), read from .git
    without running git."""
    for folder in path.parents:
        head = folder / ".git" / "HEAD"
        if not head.is_file():
            continue
        try:
            text = head.read_text(errors="replace").strip()
            if text.startswith("ref: "):
                ref = folder / ".git" / text[5:]
                text = ref.read_text(errors="replace").strip() if ref.is_file() else ""
        except OSError:
            return ""
        return text[:40] if re.fullmatch(r"[0-9a-f]{40}", text[:40]) else ""
    return ""


@dataclass(frozen=True)
class Fetched:
    data: bytes | None
    """None: not modified since `etag`."""
    etag: str = ""


def fetch(source: str, etag: str = "", deadline: float | None = None) -> Fetched:
    """The bytes of a team file, capped at MAX_BYTES, or TeamFileError with one line."""
    if not is_url(source):
        path = local_file(source)
        try:
            return Fetched(read_regular(path, MAX_BYTES))
        except OSError as error:
            reason = error.strerror or str(error)
            raise TeamFileError(f"cannot read {visible(str(path))}: {visible(reason)}"
                                ) from None
    check_url(source)
    return _download(source, etag, DEADLINE if deadline is None else deadline)


def _opener(loopback: bool) -> Any:
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        """Follows a redirect only to where a team file may come from."""

        def http_error_302(self, req: Any, fp: Any, code: int, msg: str,
                           headers: Any) -> Any:
            from urllib.parse import urljoin

            location = headers.get("location") or headers.get("uri") or ""
            target = urljoin(req.full_url, location)
            try:
                check_url(target)
            except TeamFileError:
                raise TeamFileError(f"redirected to {visible(target)[:200]}, which is not "
                                    "an https URL (nor http on 127.0.0.1)") from None
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    # Only HTTP and HTTPS: no file:, ftp: or data: handler to be redirected to.
    opener = urllib.request.OpenerDirector()
    # The environment's proxy is for the world, not for this machine's own 127.0.0.1.
    proxies = urllib.request.ProxyHandler({} if loopback else None)
    for handler in (proxies, urllib.request.UnknownHandler(),
                    urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), Redirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _download(url: str, etag: str, deadline: float) -> Fetched:
    import urllib.error
    import urllib.request
    from urllib.parse import urlsplit

    shown = visible(url)[:200]
    give_up = time.monotonic() + deadline
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    chunks: list[bytes] = []
    size = 0
    try:
        loopback = urlsplit(url).hostname in ("127.0.0.1", "::1")
        with _opener(loopback).open(request, timeout=deadline) as answer:
            length = answer.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_BYTES:
                raise TeamFileError(f"{shown} is larger than {MAX_BYTES // 1024} KiB")
            while chunk := answer.read1(64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise TeamFileError(f"{shown} is larger than {MAX_BYTES // 1024} KiB")
                if time.monotonic() > give_up:
                    raise TeamFileError(f"{shown} did not answer in full within "
                                        f"{deadline:g} s")
                chunks.append(chunk)
            new_etag = answer.headers.get("ETag", "")
    except urllib.error.HTTPError as error:
        if error.code == 304 and etag:
            return Fetched(None, etag)
        raise TeamFileError(f"cannot fetch {shown}: HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise TeamFileError(f"cannot fetch {shown}: {visible(str(error.reason))}") from None
    except TimeoutError:
        raise TeamFileError(f"{shown} did not answer within {deadline:g} s") from None
    except OSError as error:
        raise TeamFileError(f"cannot fetch {shown}: {visible(str(error))}") from None
    return Fetched(b"".join(chunks), new_etag if len(new_etag) < 200 else "")


# --- checking what it holds -------------------------------------------------------------------

def parse_team_file(data: bytes, origin: str) -> TeamFile:
    """The checked content of a team file, or TeamFileError naming the first problem."""
    return check_document(load_document(data, origin), origin)


def load_document(data: bytes, origin: str) -> dict[str, Any]:
    """A team file's TOML as it is, unchecked (TeamFileError when it is not TOML)."""
    shown = visible(origin)[:200]
    if len(data) > MAX_BYTES:
        raise TeamFileError(f"{shown} is larger than {MAX_BYTES // 1024} KiB")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TeamFileError(f"{shown}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise TeamFileError(f"{shown}: not a TOML file ({visible(str(error))})") from None
    except RecursionError:  # `a = [[[[...` a few hundred deep
        raise TeamFileError(f"{shown}: nested too deeply to be a team file") from None
    return document


def check_document(document: dict[str, Any], origin: str) -> TeamFile:
    """A team file's content checked: TeamFileError for the first key refused or wrong."""
    shown = visible(origin)[:200]
    try:
        _refuse(document, "")
        return _team_file(document)
    except ValueError as error:
        raise TeamFileError(f"{shown}: {error}") from None
    except RecursionError:  # `a.a.a.a… = 1` parses, thousands of tables deep
        raise TeamFileError(f"{shown}: nested too deeply to be a team file") from None


def _refuse(value: object, where: str) -> None:
    """ValueError for the first refused key, at any depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            at = f"{where}.{key}" if where else str(key)
            lowered = str(key).lower()
            if where == "targets":  # a target's name (a role may be called DataPath)
                _refuse(inner, at)
                continue
            reason = REFUSED.get(lowered) or (
                "local paths are refused" if lowered.endswith(("_file", "_path", "path"))
                else "")
            if reason and not (where.startswith("targets.") and lowered == "console"):
                raise ValueError(f"{visible(at)} is refused: {reason}")
            _refuse(inner, at)
    elif isinstance(value, list):
        for item in value:
            _refuse(item, where)


def _text(value: object, where: str, limit: int = 256) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{where} must be a string (at most {limit} characters)")
    return value


def _only(table: object, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{visible(where + '.' + unknown[0]).lstrip('.')} is not a team "
                         f"setting (a team file takes {', '.join(sorted(allowed))})")
    return table


def _environment(value: object, where: str) -> Environment:
    try:
        return Environment(_text(value, where))
    except ValueError:
        raise ValueError(f"{where}: {visible(str(value))[:40]!r} is not an environment "
                         f"({', '.join(e.value for e in Environment)})") from None


def _color(value: object, where: str) -> str:
    color = normalize_color(_text(value, where))
    if not color:
        raise ValueError(f"{where}: {visible(str(value))[:40]!r} is not a #rrggbb colour")
    return color


def _pattern(value: object, where: str) -> str:
    text = _text(value, where, MAX_PATTERN)
    if _NESTED_QUANTIFIER.search(text):
        raise ValueError(f"{where}: {visible(text)!r} repeats a repetition (it could take "
                         "for ever on a long name)")
    try:
        re.compile(text)
    except re.error as error:
        raise ValueError(f"{where}: bad pattern ({error})") from None
    return text


def _role_name(value: object, where: str) -> str:
    text = _text(value, where)
    try:
        split_role_name(text, where)
    except ArnError as error:
        raise ValueError(str(error)) from None
    return text


def _switch_role(entry: object, where: str) -> dict[str, str]:
    table = _only(entry, SWITCH_ROLE_KEYS, where)
    account = _text(table.get("account", table.get("account_id", "")), f"{where}.account")
    if not ACCOUNT_ID_PATTERN.match(account):
        raise ValueError(f"{where}.account must be a 12-digit account id")
    checked = {"account": account,
               "role": _role_name(table.get("role", table.get("role_name", "")),
                                  f"{where}.role")}
    if "display_name" in table:
        checked["display_name"] = _text(table["display_name"], f"{where}.display_name", 64)
    if "color" in table:
        checked["color"] = _color(table["color"], f"{where}.color")
    if "region" in table:
        region = _text(table["region"], f"{where}.region", 32)
        if not _REGION.match(region):
            raise ValueError(f"{where}.region: {visible(region)!r} is not a region name")
        checked["region"] = region
    if "environment" in table:
        checked["environment"] = _environment(table["environment"],
                                              f"{where}.environment").value
    for key in ("source_profile", "external_id"):
        if key in table:
            text = _text(table[key], f"{where}.{key}", 128)
            if not _PROFILE.match(text):
                raise ValueError(f"{where}.{key}: only letters, digits and _.@+=-")
            checked[key] = text
    return checked


def _target(key: str, table: object) -> dict[str, Any]:
    where = f"targets.{visible(key)}"
    values = _only(table, TARGET_KEYS, where)
    checked: dict[str, Any] = {}
    if "environment" in values:
        checked["environment"] = _environment(values["environment"], f"{where}.environment")
    if "color" in values:
        checked["color"] = _color(values["color"], f"{where}.color")
    if "console" in values:
        method = _text(values["console"], f"{where}.console")
        if method not in CONSOLE_METHODS:
            raise ValueError(f"{where}.console must be one of {', '.join(CONSOLE_METHODS)}")
        checked["console"] = method
    if "destinations" in values:
        pages = values["destinations"]
        if not isinstance(pages, list):
            raise ValueError(f"{where}.destinations must be a list of console pages")
        for page in pages:
            text = _text(page, f"{where}.destinations")
            if ":/" in text or text.startswith(("/", "\\")) or not text.isprintable():
                raise ValueError(f"{where}.destinations: {visible(text)[:80]!r} is not a "
                                 "console page (a service or a path like ec2/home)")
        checked["destinations"] = tuple(pages)
    return checked


def _team_file(document: Mapping[str, Any]) -> TeamFile:
    _only(document, {"name", "switch_roles", "organizations", "environments", "targets",
                     "guardrails"}, "")
    name = _text(document.get("name", ""), "name", 40)
    if name and not NAME.match(name):
        raise ValueError(f"name {visible(name)!r}: lower-case letters, digits, _ and -")
    roles = document.get("switch_roles", [])
    if not isinstance(roles, list):
        raise ValueError("switch_roles must be an array of tables ([[switch_roles]])")
    switch_roles = tuple(_switch_role(entry, f"switch_roles #{number}")
                         for number, entry in enumerate(roles, start=1))
    organizations = _only(document.get("organizations", {}), {"role_name"}, "organizations")
    organizations_role = (_role_name(organizations["role_name"], "organizations.role_name")
                          if "role_name" in organizations else "")
    environments = _only(document.get("environments", {}), {"patterns", "colors"},
                         "environments")
    patterns: dict[Environment, tuple[str, ...]] = {}
    for key, values in _only(environments.get("patterns", {}), {e.value for e in Environment},
                             "environments.patterns").items():
        where = f"environments.patterns.{key}"
        listed = values if isinstance(values, list) else [values]
        patterns[Environment(key)] = tuple(_pattern(value, where) for value in listed)
    colors: dict[Environment, str] = {}
    for key, value in _only(environments.get("colors", {}),
                            {e.value for e in Environment if e is not Environment.PRODUCTION},
                            "environments.colors").items():
        colors[Environment(key)] = _color(value, f"environments.colors.{key}")
    targets_table = document.get("targets", {})
    if not isinstance(targets_table, dict):
        raise ValueError("targets must be a table")
    targets = {_text(key, "a targets key", 200): _target(key, table)
               for key, table in targets_table.items()}
    guardrails = _only(document.get("guardrails", {}),
                       {"mode", "environments", "read_only_roles"}, "guardrails")
    guardrail = ""
    if "mode" in guardrails:
        guardrail = _text(guardrails["mode"], "guardrails.mode")
        if guardrail not in GUARDRAIL_ORDER:
            raise ValueError(f"guardrails.mode must be one of {', '.join(GUARDRAIL_ORDER)}")
    guarded_values = guardrails.get("environments", [])
    if not isinstance(guarded_values, list):
        raise ValueError("guardrails.environments must be a list of environments")
    guarded = tuple(_environment(v, "guardrails.environments") for v in guarded_values)
    read_only = {_environment(k, "guardrails.read_only_roles"):
                 _role_name(v, f"guardrails.read_only_roles.{k}")
                 for k, v in _only(guardrails.get("read_only_roles", {}),
                                   {e.value for e in Environment},
                                   "guardrails.read_only_roles").items()}
    return TeamFile(name, switch_roles, organizations_role, patterns, colors, targets,
                    guardrail, guarded, read_only)
