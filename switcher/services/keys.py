"""Moving IAM user keys out of ~/.aws/credentials into the OS keyring."""

from __future__ import annotations

from switcher.auth.secrets import KeyStore
from switcher.errors import CredentialsError
from switcher.store.awsconfig import AwsConfig
from switcher.store.awsfiles import redact_secrets, remove_sections
from switcher.store.editing import Edited


def import_keys(file: AwsConfig, keystore: KeyStore, profiles: list[str] | None,
                remove_from_file: bool) -> tuple[list[str], Edited | None]:
    """Copy each profile's long-lived keys into the keyring; with `remove_from_file`, then
    take them out of the file, after a backup whose secret values are redacted once the
    keyring copy is verified. Returns the profiles and the change of the file."""
    wanted = profiles or [name for name, values in file.profiles.items()
                          if values.get("aws_access_key_id")
                          and not values.get("aws_session_token")]
    imported: list[str] = []
    for name in wanted:
        values = file.profiles.get(name, {})
        if not values.get("aws_access_key_id") or not values.get("aws_secret_access_key"):
            raise CredentialsError(f"{file.path}: [{name}] has no long-lived keys to import")
        keystore.add(name, values["aws_access_key_id"], values["aws_secret_access_key"])
        imported.append(name)
    if not remove_from_file:
        return imported, None
    # one change, so one backup holds the secrets and is redacted below
    edited = remove_sections(file.path, imported)
    if edited.backup is not None:
        _verify(keystore, file, imported)
        redact_secrets(edited.backup, imported)
    return imported, edited


def _verify(keystore: KeyStore, file: AwsConfig, imported: list[str]) -> None:
    """The keyring gives back what the file held, before the backup's copy is redacted."""
    for name in imported:
        stored = keystore.get(name)
        values = file.profiles[name]
        if stored is None or (stored.access_key_id, stored.secret_access_key) != (
                values["aws_access_key_id"], values["aws_secret_access_key"]):
            raise CredentialsError(f"The keyring did not give back the keys of {name!r}; "
                                   "the backup keeps them")
