"""Everything the emulator remembers between requests: clients, tokens, credentials, sessions."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from switcher.emulator.organization import (
    DEMO_USER,
    IAM_USER,
    IAM_USER_ACCESS_KEY_ID,
    IAM_USER_MFA_SEED,
    IAM_USER_SECRET_ACCESS_KEY,
    EmulatedAccount,
    Organization,
)


@dataclass
class Knobs:
    """Faults and limits, set on the command line or by tests at run time."""

    latency_ms: float = 0.0
    throttle: bool = True
    requests_per_second: float = 20.0
    error_rate: float = 0.0
    token_ttl: int = 8 * 3600
    credential_ttl: int = 3600
    auto_approve: bool = True
    failing_accounts: list[str] = field(default_factory=list)
    """Accounts whose ListAccountRoles answers HTTP 500, to test partial failures."""
    reset_rate: float = 0.0
    """Fraction of API requests whose connection is closed without an answer."""
    failing_pages: int = 0
    """How many times a ListAccounts request for a page after the first fails (HTTP 500)
    before it succeeds: a pagination that breaks half way."""
    federation_latency_ms: float = 0.0
    """Extra delay of the console federation endpoint (a slow sign-in)."""


@dataclass
class Client:
    client_id: str
    client_secret: str
    grant_types: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    expires_at: float
    issuer_url: str = ""


@dataclass
class DeviceAuthorization:
    device_code: str
    user_code: str
    client_id: str
    start_url: str
    expires_at: float
    approved: bool = False
    redeemed: bool = False


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    expires_at: float
    used: bool = False


@dataclass
class AccessToken:
    token: str
    client_id: str
    start_url: str
    expires_at: float
    revoked: bool = False


@dataclass
class IssuedCredentials:
    """Credentials the emulator handed out (or knows, for IAM users), by access key id."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    account_id: str
    arn: str
    user_id: str
    kind: str  # iam-user | sso | assumed-role | session-token | federation
    expires_at: float | None
    chained: bool = False

    @property
    def temporary(self) -> bool:
        return self.kind != "iam-user"


@dataclass
class ConsoleSession:
    session_id: str
    account_id: str
    arn: str
    issuer: str
    expires_at: float
    display_name: str = ""
    color: str = ""
    via: str = "federation"


@dataclass
class SigninToken:
    token: str
    credentials: IssuedCredentials
    session_duration: int | None
    expires_at: float
    used: bool = False


class TokenBucket:
    """Identity Center's collective request limit: `rate` requests a second, bursts of `rate`."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


@dataclass
class EmulatorState:
    organization: Organization
    knobs: Knobs = field(default_factory=Knobs)
    clients: dict[str, Client] = field(default_factory=dict)
    devices: dict[str, DeviceAuthorization] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> client id
    credentials: dict[str, IssuedCredentials] = field(default_factory=dict)
    signin_tokens: dict[str, SigninToken] = field(default_factory=dict)
    console_sessions: dict[str, ConsoleSession] = field(default_factory=dict)
    console_visits: list[dict[str, str]] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    role_listings: dict[str, int] = field(default_factory=dict)
    """ListAccountRoles requests by account id (retries of one account included)."""
    throttled: int = 0
    injected_errors: int = 0
    resets: int = 0
    serving_seconds: float = 0.0
    """Time spent answering API and page requests (latency knobs included)."""
    lock: threading.RLock = field(default_factory=threading.RLock)
    user_name: str = DEMO_USER

    def __post_init__(self) -> None:
        self.instances: dict[str, Organization] = {self.organization.start_url: self.organization}
        self.bucket = TokenBucket(self.knobs.requests_per_second)
        self.iam_user_mfa_seed = IAM_USER_MFA_SEED
        management = self.organization.management_account_id
        self.iam_user_mfa_serial = f"arn:aws:iam::{management}:mfa/{IAM_USER}"
        self.credentials[IAM_USER_ACCESS_KEY_ID] = IssuedCredentials(
            IAM_USER_ACCESS_KEY_ID, IAM_USER_SECRET_ACCESS_KEY, "", management,
            f"arn:aws:iam::{management}:user/{IAM_USER}", "AIDAEMULATORJANE0001", "iam-user", None)

    def add_instance(self, organization: Organization) -> None:
        """Another IAM Identity Center instance (its own start URL and assignments)."""
        self.instances[organization.start_url] = organization

    def find_account(self, account_id: str) -> EmulatedAccount | None:
        for organization in self.instances.values():
            if account_id in organization.accounts:
                return organization.accounts[account_id]
        return None

    def count(self, operation: str) -> None:
        with self.lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1

    def issue_credentials(self, account_id: str, arn: str, user_id: str, kind: str,
                          duration: int, chained: bool = False) -> IssuedCredentials:
        prefix = "ASIA" if kind != "iam-user" else "AKIA"
        issued = IssuedCredentials(
            access_key_id=prefix + secrets.token_hex(8).upper(),
            secret_access_key=secrets.token_urlsafe(30),
            session_token="EMU" + secrets.token_urlsafe(96),
            account_id=account_id, arn=arn, user_id=user_id, kind=kind,
            expires_at=time.time() + duration, chained=chained)
        with self.lock:
            self.credentials[issued.access_key_id] = issued
        return issued

    def valid_token(self, token: str) -> AccessToken | None:
        found = self.tokens.get(token)
        if found is None or found.revoked or found.expires_at <= time.time():
            return None
        return found

    def issue_access_token(self, client_id: str, start_url: str) -> tuple[AccessToken, str]:
        token = AccessToken("emu-at-" + secrets.token_urlsafe(48), client_id, start_url,
                            time.time() + self.knobs.token_ttl)
        refresh = "emu-rt-" + secrets.token_urlsafe(48)
        with self.lock:
            self.tokens[token.token] = token
            self.refresh_tokens[refresh] = f"{client_id} {start_url}"
        return token, refresh
