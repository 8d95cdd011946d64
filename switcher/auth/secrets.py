"""Long-lived IAM user keys in the OS keyring (the `keyring` package), never in files of ours.

The keyring cannot list its entries, so the names of the profiles we hold keys for are kept
there too, in one index entry.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

from switcher.errors import SwitcherError
from switcher.model import Credentials

SERVICE = "switcher"
INDEX = "index"


class KeyringError(SwitcherError):
    """The OS keyring is missing or refused."""


def _keyring() -> Any:
    import keyring

    return keyring


def _guard(action: str) -> Any:
    """The keyring module, or a clear error when no backend is usable."""
    keyring = _keyring()
    from keyring.errors import NoKeyringError

    try:
        backend = keyring.get_keyring()
    except NoKeyringError as error:
        raise KeyringError(f"No OS keyring to {action}: {error}") from None
    if type(backend).__name__ == "Keyring" and "fail" in type(backend).__module__:
        raise KeyringError(f"No OS keyring to {action}: install a keyring backend (e.g. "
                           "gnome-keyring, KWallet, macOS Keychain) or set one with "
                           "PYTHON_KEYRING_BACKEND")
    return keyring


class KeyStore:
    def _call(self, action: str, name: str, *args: str) -> Any:
        keyring = _guard(action)
        from keyring.errors import KeyringError as BackendError

        try:
            return getattr(keyring, name)(SERVICE, *args)
        except BackendError as error:
            raise KeyringError(f"The OS keyring refused to {action}: {error}") from None

    def profiles(self) -> list[str]:
        raw = self._call("list keys", "get_password", INDEX)
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            names = []
        return sorted(str(n) for n in names)

    def _save_index(self, names: list[str]) -> None:
        self._call("store keys", "set_password", INDEX, json.dumps(sorted(set(names))))

    def add(self, profile: str, access_key_id: str, secret_access_key: str) -> None:
        if not access_key_id.strip() or not secret_access_key.strip():
            raise SwitcherError("Both the access key id and the secret access key are needed")
        payload = json.dumps({"AccessKeyId": access_key_id.strip(),
                              "SecretAccessKey": secret_access_key.strip()})
        self._call("store keys", "set_password", f"profile:{profile}", payload)
        self._save_index([*self.profiles(), profile])

    def get(self, profile: str) -> Credentials | None:
        raw = self._call("read keys", "get_password", f"profile:{profile}")
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return Credentials(str(data["AccessKeyId"]), str(data["SecretAccessKey"]), "")
        except (ValueError, KeyError, TypeError):
            raise KeyringError(f"The keyring entry for {profile!r} is damaged; "
                               f"`switcher keys add {profile}` again") from None

    def save_session(self, key: str, credentials: Credentials) -> None:
        """Temporary credentials (opt-in), kept until they expire."""
        if credentials.expiration is None:
            return
        payload = json.dumps({"AccessKeyId": credentials.access_key_id,
                              "SecretAccessKey": credentials.secret_access_key,
                              "SessionToken": credentials.session_token,
                              "Expiration": credentials.expiration.isoformat(),
                              "Chained": credentials.chained,
                              "Federated": credentials.federated,
                              "Issued": credentials.issued.isoformat() if credentials.issued
                              else None})
        self._call("store a session", "set_password", f"session:{key}", payload)

    def load_session(self, key: str) -> Credentials | None:
        raw = self._call("read a session", "get_password", f"session:{key}")
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return Credentials(str(data["AccessKeyId"]), str(data["SecretAccessKey"]),
                               str(data["SessionToken"]),
                               datetime.fromisoformat(str(data["Expiration"])),
                               bool(data.get("Chained")), bool(data.get("Federated")),
                               datetime.fromisoformat(str(data["Issued"])) if data.get("Issued")
                               else None)
        except (ValueError, KeyError, TypeError):
            return None

    def remove_session(self, key: str) -> None:
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            self._call("remove a session", "delete_password", f"session:{key}")

    def remove(self, profile: str) -> bool:
        if self.get(profile) is None:
            return False
        from keyring.errors import PasswordDeleteError

        try:
            self._call("remove keys", "delete_password", f"profile:{profile}")
        except PasswordDeleteError:
            return False
        self._save_index([name for name in self.profiles() if name != profile])
        return True
