"""Where files live. Every path can be moved by an environment variable, so tests and the
demo run in a temporary home and never touch the user's real files."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _home(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or Path.home())


def _xdg(environ: Mapping[str, str], variable: str, default: str) -> Path:
    base = environ.get(variable)
    return Path(base) if base else _home(environ) / default


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    if env.get("SWITCHER_CONFIG_DIR"):
        return Path(env["SWITCHER_CONFIG_DIR"])
    return _xdg(env, "XDG_CONFIG_HOME", ".config") / "switcher"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    if env.get("SWITCHER_CACHE_DIR"):
        return Path(env["SWITCHER_CACHE_DIR"])
    return _xdg(env, "XDG_CACHE_HOME", ".cache") / "switcher"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    if env.get("SWITCHER_STATE_DIR"):
        return Path(env["SWITCHER_STATE_DIR"])
    return _xdg(env, "XDG_STATE_HOME", ".local/state") / "switcher"


_VARIABLE = re.compile(r"\$(\w+|\{[^}]*\})", re.ASCII)


def expand(path: str, environ: Mapping[str, str]) -> Path:
    """`$NAME`, `${NAME}` and then `~` expanded as botocore does (os.path.expandvars, then
    expanduser: unknown variables are left as they are), from `environ`."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1).removeprefix("{").removesuffix("}")
        return environ.get(name, match.group(0))

    expanded = _VARIABLE.sub(value, path)
    if expanded.startswith("~") and (expanded == "~" or expanded.startswith("~/")):
        return _home(environ) / expanded[2:]
    return Path(os.path.expanduser(expanded))


def aws_config_file(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    return expand(env.get("AWS_CONFIG_FILE") or str(_home(env) / ".aws/config"), env)


def aws_credentials_file(environ: Mapping[str, str] | None = None) -> Path:
    env = _env(environ)
    default = str(_home(env) / ".aws/credentials")
    return expand(env.get("AWS_SHARED_CREDENTIALS_FILE") or default, env)


def sso_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The AWS CLI's SSO token cache. SWITCHER_SSO_CACHE_DIR moves it (the AWS CLI itself always
    uses ~/.aws/sso/cache, so only a moved HOME moves it for both)."""
    env = _env(environ)
    if env.get("SWITCHER_SSO_CACHE_DIR"):
        return Path(env["SWITCHER_SSO_CACHE_DIR"])
    return _home(env) / ".aws/sso/cache"
