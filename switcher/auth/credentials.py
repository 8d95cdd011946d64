"""Credentials for a target: SSO role credentials, or a profile's chain (static keys,
credential_process, SSO, then any number of AssumeRole hops with ExternalId and MFA).

Assumed sessions are kept in memory until shortly before they expire, so the next hop through
the same profile neither calls STS again nor asks for another MFA code.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from switcher.auth.oidc import SignIn
from switcher.auth.renewal import due_at
from switcher.auth.secrets import KeyringError, KeyStore
from switcher.auth.token_cache import SsoInstance
from switcher.clients import ClientFactory
from switcher.errors import ConfigError, CredentialsError
from switcher.model import Credentials, SourceKind, Target, Way
from switcher.store.awsconfig import AwsConfig

log = logging.getLogger(__name__)
DEFAULT_STS_REGION = "us-east-1"

MfaPrompt = Callable[[str], str]
"""Asked with the MFA device's serial; answers the one-time code."""


def _no_mfa(serial: str) -> str:
    raise CredentialsError(f"An MFA code for {serial} is needed, but nothing can ask for it")


class CredentialResolver:
    def __init__(self, config: AwsConfig, credentials_file: AwsConfig, signin: SignIn,
                 clients: ClientFactory, mfa_prompt: MfaPrompt = _no_mfa,
                 keystore: KeyStore | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.keystore = keystore
        self.session_store: KeyStore | None = None
        """Where temporary credentials are also kept (the keyring), when the user opts in."""
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.config = config
        self.credentials_file = credentials_file
        self.signin = signin
        self.clients = clients
        self.mfa_prompt = mfa_prompt
        self._cache: dict[str, Credentials] = {}
        self._lock = threading.Lock()

    def for_target(self, target: Target, way: Way | None = None) -> Credentials:
        chosen = way or target.way
        if chosen.kind is SourceKind.SSO:
            instance = SsoInstance(chosen.start_url, chosen.sso_region, chosen.sso_session)
            return self._sso(instance, target.account_id, target.role_name)
        if chosen.kind is SourceKind.PROFILE:
            return self.for_profile(chosen.profile)
        if not chosen.source_profile:
            raise CredentialsError(
                f"{chosen.label} for {target.display_name} names no source profile to assume "
                "the role from; set source_profile (an AWS profile) for it")
        cached = self._cached(f"{chosen.label}:{target.key}")
        if cached is not None:
            return cached
        source = self.for_profile(chosen.source_profile)
        params: dict[str, Any] = {"RoleArn": target.role_arn,
                                  "RoleSessionName": f"switcher-{int(time.time())}"}
        if chosen.external_id:
            params["ExternalId"] = chosen.external_id
        credentials = self._assume_role(params, source, "", f"{chosen.label}")
        return self._remember(f"{chosen.label}:{target.key}", credentials)

    def _sso(self, instance: SsoInstance, account_id: str, role_name: str) -> Credentials:
        cache_key = f"sso:{instance.label}:{account_id}:{role_name}"
        cached = self._cached(cache_key)
        if cached is not None:
            return cached
        from botocore.exceptions import BotoCoreError, ClientError

        token = self.signin.live(instance)  # renewed if refused (revoked, clocks apart)
        sso = self.clients.client("sso", instance.region, unsigned=True)
        try:
            raw = token.call(sso.get_role_credentials, accountId=account_id,
                             roleName=role_name)["roleCredentials"]
        except (ClientError, BotoCoreError) as error:
            raise CredentialsError(f"IAM Identity Center refused credentials for "
                                   f"{account_id}/{role_name}: {error}") from None
        credentials = Credentials(raw["accessKeyId"], raw["secretAccessKey"], raw["sessionToken"],
                                  datetime.fromtimestamp(raw["expiration"] / 1000, tz=timezone.utc))
        return self._remember(cache_key, credentials)

    def _cached(self, key: str) -> Credentials | None:
        with self._lock:
            found = self._cache.get(key)
        if found is None and self.session_store is not None:
            try:
                found = self.session_store.load_session(key)
            except KeyringError:
                found = None
            if found is not None and self._fresh(found):
                with self._lock:
                    self._cache[key] = found
        if found is None or found.expiration is None:
            return found
        return found if self._fresh(found) else None

    @staticmethod
    def _fresh(credentials: Credentials) -> bool:
        """Not yet due for renewal (switcher.auth.renewal), so what the credential endpoint
        and credential-process hand to an SDK is outside its refresh window."""
        expiration = credentials.expiration
        return expiration is None or not due_at(credentials.issued, expiration,
                                                datetime.now(timezone.utc))

    def _remember(self, key: str, credentials: Credentials) -> Credentials:
        if credentials.expiration is not None and credentials.issued is None:
            credentials = replace(credentials, issued=datetime.now(timezone.utc))
        with self._lock:
            self._cache[key] = credentials
        if self.session_store is not None:
            try:
                self.session_store.save_session(key, credentials)
            except KeyringError as error:
                log.warning("could not keep the session in the keyring: %s", error)
        return credentials

    def for_profile(self, name: str, _seen: tuple[str, ...] = ()) -> Credentials:
        if name in _seen:
            chain = " -> ".join((*_seen, name))
            raise ConfigError(f"{self.config.path}: source_profile loop: {chain}")
        values = self.config.profiles.get(name)
        keys = self.credentials_file.profiles.get(name, {})
        if values is None and not keys:
            stored = self._from_keyring(name)
            if stored is not None:
                return stored
            raise ConfigError(f"{self.config.path}: profile {name!r} does not exist")
        values = values or {}
        if values.get("role_arn"):
            return self._assume(name, values, (*_seen, name))
        if values.get("sso_account_id") and values.get("sso_role_name"):
            return self._sso(self._instance_of(name, values), values["sso_account_id"],
                             values["sso_role_name"])
        static = keys if keys.get("aws_access_key_id") else values
        if static.get("aws_access_key_id") and static.get("aws_secret_access_key"):
            found = Credentials(static["aws_access_key_id"], static["aws_secret_access_key"],
                                static.get("aws_session_token", ""))
            return self._with_mfa_session(name, values, found)
        if values.get("credential_process"):
            return self._process(name, values["credential_process"])
        stored = self._from_keyring(name)
        if stored is not None:
            return stored
        raise CredentialsError(f"Profile {name!r} has no credentials switcher can use "
                               f"(`switcher keys add {name}` stores an IAM user's keys)")

    def _from_keyring(self, name: str) -> Credentials | None:
        """Long-lived keys kept in the OS keyring, asked only when nothing else gives keys."""
        if self.keystore is None:
            return None
        try:
            return self.keystore.get(name)
        except KeyringError:
            return None

    def _instance_of(self, name: str, values: dict[str, str]) -> SsoInstance:
        session = values.get("sso_session")
        if session:
            settings = self.config.sso_sessions.get(session)
            if settings is None:
                raise ConfigError(f"{self.config.path}: profile {name!r} names sso_session "
                                  f"{session!r}, which is not defined")
            return SsoInstance(settings.get("sso_start_url", ""), settings.get("sso_region", ""),
                               session)
        return SsoInstance(values.get("sso_start_url", ""), values.get("sso_region", ""))

    def _assume(self, name: str, values: dict[str, str], seen: tuple[str, ...]) -> Credentials:
        cached = self._cached(f"profile:{name}")
        if cached is not None:
            return cached
        source_name = values.get("source_profile")
        if source_name and values.get("credential_source"):
            raise ConfigError(f"{self.config.path}: profile {name!r} has both source_profile "
                              "and credential_source")
        if values.get("credential_source"):
            source = self._credential_source(name, values["credential_source"])
        elif source_name:
            source = self.for_profile(source_name, seen)
        else:
            raise ConfigError(f"{self.config.path}: profile {name!r} has role_arn but neither "
                              "source_profile nor credential_source")
        params: dict[str, Any] = {
            "RoleArn": values["role_arn"],
            "RoleSessionName": values.get("role_session_name") or f"switcher-{int(time.time())}",
        }
        if values.get("external_id"):
            params["ExternalId"] = values["external_id"]
        if values.get("duration_seconds"):
            params["DurationSeconds"] = self._duration(name, values["duration_seconds"])
        if values.get("mfa_serial"):
            params["SerialNumber"] = values["mfa_serial"]
            params["TokenCode"] = self.mfa_prompt(values["mfa_serial"])
        credentials = self._assume_role(params, source, values.get("region", ""),
                                        f"profile {name!r}")
        return self._remember(f"profile:{name}", credentials)

    def _duration(self, name: str, value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{self.config.path}: profile {name!r}: duration_seconds must "
                              f"be a whole number of seconds, not {value!r}") from None

    def _credential_source(self, name: str, source: str) -> Credentials:
        """credential_source = Environment | Ec2InstanceMetadata | EcsContainer, through
        botocore's own providers."""
        from botocore import credentials as providers

        if source == "Environment":
            provider: Any = providers.EnvProvider(environ=dict(self.environ))
        elif source == "Ec2InstanceMetadata":
            provider = providers.InstanceMetadataProvider(
                iam_role_fetcher=providers.InstanceMetadataFetcher(timeout=2, num_attempts=1))
        elif source == "EcsContainer":
            provider = providers.ContainerProvider(environ=dict(self.environ))
        else:
            raise ConfigError(f"{self.config.path}: profile {name!r}: unknown credential_source "
                              f"{source!r} (Environment, Ec2InstanceMetadata or EcsContainer)")
        found = provider.load()
        if found is None:
            raise CredentialsError(f"credential_source {source} of profile {name!r} gave no "
                                   "credentials")
        frozen = found.get_frozen_credentials()
        return Credentials(frozen.access_key, frozen.secret_key, frozen.token or "")

    def _with_mfa_session(self, name: str, values: dict[str, str],
                          keys: Credentials) -> Credentials:
        """Long-lived keys of a profile with mfa_serial become an MFA-authenticated session
        (GetSessionToken), asked once and cached; without mfa_serial they are used as they
        are."""
        serial = values.get("mfa_serial")
        if not serial or keys.session_token:
            return keys
        cached = self._cached(f"session:{name}")
        if cached is not None:
            return cached
        from botocore.exceptions import BotoCoreError, ClientError

        sts = self.clients.client("sts", values.get("region") or DEFAULT_STS_REGION,
                                  credentials=keys)
        params: dict[str, Any] = {"SerialNumber": serial, "TokenCode": self.mfa_prompt(serial)}
        if values.get("duration_seconds"):
            params["DurationSeconds"] = self._duration(name, values["duration_seconds"])
        try:
            answer = sts.get_session_token(**params)["Credentials"]
        except ClientError as error:
            message = error.response.get("Error", {}).get("Message", str(error))
            raise CredentialsError(f"GetSessionToken for profile {name!r} failed: {message}"
                                   ) from None
        except BotoCoreError as error:
            raise CredentialsError(f"GetSessionToken for profile {name!r} failed: {error}"
                                   ) from None
        session = Credentials(answer["AccessKeyId"], answer["SecretAccessKey"],
                              answer["SessionToken"], answer["Expiration"])
        return self._remember(f"session:{name}", session)

    def _assume_role(self, params: dict[str, Any], source: Credentials, region: str,
                     what: str) -> Credentials:
        from botocore.exceptions import BotoCoreError, ClientError

        sts = self.clients.client("sts", region or DEFAULT_STS_REGION, credentials=source)
        try:
            answer = sts.assume_role(**params)["Credentials"]
        except ClientError as error:
            message = error.response.get("Error", {}).get("Message", str(error))
            raise CredentialsError(f"AssumeRole for {what} failed: {message}") from None
        except BotoCoreError as error:
            raise CredentialsError(f"AssumeRole for {what} failed: {error}") from None
        return Credentials(answer["AccessKeyId"], answer["SecretAccessKey"],
                           answer["SessionToken"], answer["Expiration"],
                           chained=bool(source.session_token))

    def _process(self, name: str, command: str) -> Credentials:
        try:
            finished = subprocess.run(shlex.split(command), capture_output=True, timeout=60,
                                      check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            raise CredentialsError(
                f"credential_process of profile {name!r} failed: {error}") from None
        if finished.returncode != 0:
            raise CredentialsError(f"credential_process of profile {name!r} exited with "
                                   f"{finished.returncode}")
        try:
            data = json.loads(finished.stdout)
            if data.get("Version") != 1:
                raise ValueError("Version must be 1")
            expiration = data.get("Expiration")
            return Credentials(data["AccessKeyId"], data["SecretAccessKey"],
                               data.get("SessionToken", ""),
                               datetime.fromisoformat(expiration.replace("Z", "+00:00"))
                               if expiration else None)
        except (ValueError, KeyError, AttributeError) as error:
            raise CredentialsError(f"credential_process of profile {name!r} printed bad JSON: "
                                   f"{error}") from None

    def console_credentials(self, credentials: Credentials, name: str) -> Credentials:
        """Long-lived IAM user keys cannot sign in to the console: trade them for a federation
        token (with an allow-all session policy, so the user's own policies apply)."""
        if credentials.session_token:
            return credentials
        from botocore.exceptions import BotoCoreError, ClientError

        sts = self.clients.client("sts", DEFAULT_STS_REGION, credentials=credentials)
        policy = json.dumps({"Version": "2012-10-17",
                             "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
        try:
            answer = sts.get_federation_token(Name=_federation_name(name), Policy=policy,
                                              DurationSeconds=43200)["Credentials"]
        except (ClientError, BotoCoreError) as error:
            raise CredentialsError(f"GetFederationToken failed: {error}") from None
        return Credentials(answer["AccessKeyId"], answer["SecretAccessKey"],
                           answer["SessionToken"], answer["Expiration"], federated=True)


def _federation_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "+=,.@-_" else "-" for c in name)[:32]
    return cleaned if len(cleaned) >= 2 else f"switcher-{cleaned}"
