"""Warm credentials: what a target resolved to, its guard, and its temporary credentials, kept
between processes so that `credential-process`, `env`, `exec` and `shell` serve them again
without AWS (and without loading botocore or the workspace) while nothing has changed.

An entry is found by the request (the target as named, `--via`, and the environment variables
that choose files, endpoints or source credentials) and is used only while:
- every file the answer depended on is unchanged: ~/.aws/config and credentials, config.toml
  (the guard and the classification), the inventory cache (names and environments) and each
  SSO token file that was read (the identity);
- the credentials are not due for renewal (switcher.auth.renewal: a minute before botocore's
  advisory window, a quarter of the lifetime for shorter-lived ones);
- the file is ours (see switcher.store.credential_cache).
`switcher logout` and changes to keys in the keyring clear every entry.

No heavy imports here at run time: this is the hot path."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime, timezone

from switcher import paths
from switcher.auth.renewal import due
from switcher.store.credential_cache import (
    CredentialCache,
    Fingerprint,
    still_current,
)

TYPE_CHECKING = False  # typing itself costs a tenth of this path's time budget
if TYPE_CHECKING:
    from switcher.auth.secrets import KeyStore
    from switcher.model import Credentials

FORMAT_VERSION = 1
DEFAULT_REGION = "us-east-1"

# Variables that never change which credentials a request gets: regions, profile names that
# the target name overrides, and the markers of a switcher shell.
_IGNORED = frozenset({
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_PAGER",
    "AWS_CREDENTIAL_EXPIRATION", "AWS_DEFAULT_OUTPUT", "SWITCHER_TARGET",
    "SWITCHER_ACCOUNT_ID", "SWITCHER_ROLE_NAME", "SWITCHER_EXPIRATION",
    "SWITCHER_CREDENTIAL_ENDPOINT", "SWITCHER_PROMPT_LABEL", "SWITCHER_PROMPT_STYLE",
    "SWITCHER_BROWSER"})
# Secrets are part of the request only by their presence: the access key id beside them
# names the identity, and a hash of a secret in a file name would be one more copy of it.
_SECRET = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                     "AWS_CONTAINER_AUTHORIZATION_TOKEN"})
_PATHS = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")


def region_for(requested: str | None, target_region: str, environ: Mapping[str, str]) -> str:
    """As Workspace.region_for: the region asked for, the target's, the environment's, or
    the default (tests hold the two to the same answers)."""
    return (requested or target_region or environ.get("AWS_REGION")
            or environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION)


def _request_environment(environ: Mapping[str, str]) -> list[list[str]]:
    chosen = []
    for name, value in environ.items():
        if name in _PATHS or (name.startswith(("AWS_", "SWITCHER_")) and name not in _IGNORED):
            chosen.append([name, "(set)" if name in _SECRET else value])
    return sorted(chosen)


def dependencies(environ: Mapping[str, str]) -> list[str]:
    """The files any answer depends on (SSO token files are added as they are read)."""
    return [str(paths.aws_config_file(environ)), str(paths.aws_credentials_file(environ)),
            str(paths.config_dir(environ) / "config.toml"),
            str(paths.cache_dir(environ) / "inventory.json"),
            str(paths.state_dir(environ) / "teams.json")]


class WarmEntry:
    """A target as the last full resolution saw it, its guard, and its credentials. Reads
    like a Target (display_name, account_id, ...) and like Credentials (access_key_id, ...)
    to the functions that print them."""

    __slots__ = ("access_key_id", "account_id", "account_name", "color", "display_name",
                 "endpoint", "environment", "expiration", "guardrail", "key", "region",
                 "role_name", "secret_access_key", "session_token", "settings_path",
                 "unattended")

    def __init__(self, target: Mapping[str, object], access_key_id: str,
                 secret_access_key: str, session_token: str, expiration: datetime) -> None:
        def text(name: str) -> str:
            value = target.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"{name} is not text")
            return value

        self.display_name = text("display_name")
        self.account_id = text("account_id")
        self.account_name = text("account_name")
        self.role_name = text("role_name")
        self.key = text("key")
        self.environment = text("environment")
        """The environment's value (production, development, ...) as classified then."""
        self.color = text("color")
        self.region = text("region")
        self.guardrail = text("guardrail")
        """off, confirm or type-name, as config.toml said for this target."""
        self.settings_path = text("settings_path")
        self.unattended = target.get("unattended") is True
        """Whether config.toml lets credential-process serve it although it is guarded."""
        self.endpoint = target.get("endpoint") is True
        """config.toml's credential_endpoint (shell and exec)."""
        if self.guardrail not in ("off", "confirm", "type-name"):
            raise ValueError("unknown guardrail")
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.session_token = session_token
        self.expiration: datetime | None = expiration

    def __repr__(self) -> str:  # never the secrets
        return f"WarmEntry({self.display_name!r}, expiration={self.expiration!r})"


class Request:
    """One request for a target's credentials, and its entry in the cache."""

    def __init__(self, target: str, via: str | None, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.fields: list[object] = [FORMAT_VERSION, target, via or "",
                                     _request_environment(environ)]
        import hashlib  # here: `switcher list` takes region_for from this module

        self.name = hashlib.sha256(json.dumps(self.fields).encode(
            "utf-8", "surrogateescape")).hexdigest()[:40]
        self.cache = CredentialCache(str(paths.cache_dir(environ)))

    def lookup(self, now: float | None = None) -> WarmEntry | None:
        """The warm entry, when it exists, is ours, matches this request, depends on files
        that have not changed since, and holds credentials not yet due for renewal."""
        data = self.cache.load(self.name)
        if data is None or data.get("request") != self.fields:
            return None
        try:
            issued, expires = float(data["issued"]), float(data["expires"])  # type: ignore[arg-type]
            target = data["target"]
            if not isinstance(target, dict):
                return None
            current = time.time() if now is None else now
            if due(issued, expires, current):
                return None
            if not still_current(data.get("depends")):
                return None
            expiration = datetime.fromtimestamp(expires, tz=timezone.utc)
            secrets = data["credentials"]
            if secrets == "keyring":
                return self._from_keyring(target, expiration)
            if not isinstance(secrets, list) or len(secrets) != 3 or not all(
                    isinstance(s, str) for s in secrets):
                return None
            return WarmEntry(target, secrets[0], secrets[1], secrets[2], expiration)
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            return None

    def _from_keyring(self, target: Mapping[str, object],
                      expiration: datetime) -> WarmEntry | None:
        from switcher.auth.secrets import KeyringError, KeyStore

        try:
            found = KeyStore().load_session(f"warm:{self.name}")
        except KeyringError:
            return None
        if found is None or found.expiration != expiration:
            return None
        return WarmEntry(target, found.access_key_id, found.secret_access_key,
                         found.session_token, expiration)

    @contextmanager
    def filling(self) -> Iterator[WarmEntry | None]:
        """Held while this process gets the credentials itself: another process that asks
        for the same entry meanwhile waits, then finds it here (yielded) instead."""
        with self.cache.locked(self.name):
            yield self.lookup()

    def remember(self, depends: list[Fingerprint], target: Mapping[str, object],
                 credentials: Credentials, issued: float,
                 keystore: KeyStore | None = None) -> bool:
        """Keep `credentials` (obtained at `issued`, epoch seconds) for this request; False
        when they cannot be kept (no expiry, as long-lived keys have, or a cache that cannot
        be written: the command goes on)."""
        if credentials.expiration is None:
            return False
        entry: dict[str, object] = {
            "request": self.fields, "depends": depends, "target": dict(target),
            "issued": issued, "expires": credentials.expiration.timestamp(),
            "credentials": [credentials.access_key_id, credentials.secret_access_key,
                            credentials.session_token]}
        try:
            if keystore is not None:
                from switcher.auth.secrets import KeyringError

                try:
                    keystore.save_session(f"warm:{self.name}", credentials)
                except KeyringError:
                    return False
                entry["credentials"] = "keyring"
            self.cache.save(self.name, entry)
        except OSError:
            return False
        return True


def forget_all(environ: Mapping[str, str] | None = None,
               keystore: KeyStore | None = None) -> int:
    """Delete every warm entry (logout, keys changed in the keyring); how many there were.
    Entries whose secrets are in the keyring lose them there too, when a keystore is given."""
    cache = CredentialCache(str(paths.cache_dir(os.environ if environ is None else environ)))
    if keystore is not None:
        from switcher.auth.secrets import KeyringError

        for name in cache.names():
            data = cache.load(name)
            if data is not None and data.get("credentials") == "keyring":
                with suppress(KeyringError):
                    keystore.remove_session(f"warm:{name}")
    return cache.clear()
