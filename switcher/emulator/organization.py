"""The fictional organisation the emulator serves: accounts, OUs, tags, roles and people.

Two shapes: a hand-made seed in the spirit of the common multi-account setup (a management
account, security and shared accounts, and Production / Staging / Development / Sandbox accounts
for two products), and a generator for organisations of any size.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

PERMISSION_SETS = ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "Billing")
ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole"
DEFAULT_START_URL = "https://d-9067emul8r.awsapps.com/start"
DEFAULT_SSO_REGION = "us-east-1"
DEMO_USER = "jane.doe"
# An IAM user with long-lived keys, as in setups with one IAM user per person.
IAM_USER = "jane.iam"
IAM_USER_ACCESS_KEY_ID = "AKIAEMULATORJANE0001"
IAM_USER_SECRET_ACCESS_KEY = "emulator/secret/jane/0000000000000000000000"
# Base32 TOTP seed of the IAM user's virtual MFA device (RFC 6238, 30 s, 6 digits).
IAM_USER_MFA_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class RoleSpec:
    """An IAM role inside an account."""

    name: str
    max_session_duration: int = 3600
    external_id: str = ""
    requires_mfa: bool = False
    path: str = "/"


@dataclass
class OrganizationalUnit:
    ou_id: str
    name: str
    parent_id: str


@dataclass
class EmulatedAccount:
    account_id: str
    name: str
    email: str
    parent_id: str
    tags: dict[str, str] = field(default_factory=dict)
    permission_sets: tuple[str, ...] = ()
    extra_roles: tuple[RoleSpec, ...] = ()
    account_color: str = "none"

    def role(self, role_name: str) -> RoleSpec | None:
        for permission_set in self.permission_sets:
            if role_name == sso_role_name(self.account_id, permission_set):
                return RoleSpec(role_name, max_session_duration=43200, path="/aws-reserved/")
        for spec in self.extra_roles:
            if spec.name == role_name:
                return spec
        return None


@dataclass
class Organization:
    organization_id: str
    root_id: str
    management_account_id: str
    units: dict[str, OrganizationalUnit]
    accounts: dict[str, EmulatedAccount]
    start_url: str = DEFAULT_START_URL
    sso_region: str = DEFAULT_SSO_REGION

    def ou_path(self, account: EmulatedAccount) -> str:
        names: list[str] = []
        parent = account.parent_id
        while parent in self.units:
            unit = self.units[parent]
            names.append(unit.name)
            parent = unit.parent_id
        return "/".join(["Root", *reversed(names)])

    def account_list(self) -> list[EmulatedAccount]:
        return list(self.accounts.values())


def sso_role_name(account_id: str, permission_set: str) -> str:
    """The IAM role Identity Center creates for a permission set: AWSReservedSSO_<name>_<hash>."""
    digest = hashlib.sha256(f"{account_id}:{permission_set}".encode()).hexdigest()[:16]
    return f"AWSReservedSSO_{permission_set}_{digest}"


def _account_id(rng: random.Random, used: set[str]) -> str:
    while True:
        candidate = str(rng.randrange(10**11, 10**12 - 1)).rjust(12, "0")
        if candidate not in used:
            used.add(candidate)
            return candidate


def seeded_organization(seed: int = 7) -> Organization:
    """The demo organisation: management, security, shared and two products in four stages."""
    rng = random.Random(seed)
    used: set[str] = set()
    root_id = "r-emu1"
    units = {
        "ou-emu1-security": OrganizationalUnit("ou-emu1-security", "Security", root_id),
        "ou-emu1-infra": OrganizationalUnit("ou-emu1-infra", "Infrastructure", root_id),
        "ou-emu1-workloads": OrganizationalUnit("ou-emu1-workloads", "Workloads", root_id),
        "ou-emu1-prod": OrganizationalUnit("ou-emu1-prod", "Prod", "ou-emu1-workloads"),
        "ou-emu1-nonprod": OrganizationalUnit("ou-emu1-nonprod", "NonProd", "ou-emu1-workloads"),
        "ou-emu1-sandbox": OrganizationalUnit("ou-emu1-sandbox", "Sandbox", root_id),
    }
    accounts: dict[str, EmulatedAccount] = {}

    def add(name: str, parent: str, tags: dict[str, str], sets: tuple[str, ...], color: str,
            extra: tuple[RoleSpec, ...] = ()) -> EmulatedAccount:
        account_id = _account_id(rng, used)
        roles = extra if parent == root_id else (RoleSpec(ORGANIZATION_ACCESS_ROLE), *extra)
        account = EmulatedAccount(account_id, name, f"aws+{name}@example.com", parent, tags,
                                  sets, roles, color)
        accounts[account_id] = account
        return account

    everyone = ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess")
    management = add("acme-management", root_id, {"environment": "management"},
                     ("AdministratorAccess", "ReadOnlyAccess", "Billing"), "purple",
                     (RoleSpec("OrganizationReader"),))
    add("acme-security", "ou-emu1-security", {"environment": "security"},
        ("ReadOnlyAccess", "AdministratorAccess"), "darkBlue",
        (RoleSpec("BreakGlass", requires_mfa=True),))
    add("acme-log-archive", "ou-emu1-security", {"environment": "security"},
        ("ReadOnlyAccess",), "darkBlue")
    add("acme-shared-services", "ou-emu1-infra", {"environment": "shared"},
        everyone, "teal", (RoleSpec("Deployer", external_id="acme-ci"),))
    stages = (
        ("prod", "ou-emu1-prod", "production", ("ReadOnlyAccess", "AdministratorAccess"), "red"),
        ("staging", "ou-emu1-nonprod", "staging", ("PowerUserAccess", "ReadOnlyAccess"), "orange"),
        ("dev", "ou-emu1-nonprod", "development", everyone, "green"),
        ("sandbox", "ou-emu1-sandbox", "sandbox", everyone, "lightBlue"),
    )
    for product in ("storefront", "payments"):
        for stage, parent, environment, sets, color in stages:
            add(f"{product}-{stage}", parent, {"environment": environment, "product": product},
                sets, color, (RoleSpec("Deployer", external_id=f"{product}-ci",
                                       max_session_duration=7200),))
    add("jane-playground", "ou-emu1-sandbox", {"owner": "jane.doe"}, everyone, "none")
    return Organization("o-emu1demo01", root_id, management.account_id, units, accounts)


def generated_organization(account_count: int, seed: int = 11) -> Organization:
    """A large organisation: `account_count` accounts, three permission sets each."""
    rng = random.Random(seed)
    used: set[str] = set()
    root_id = "r-gen1"
    stages = ("prod", "staging", "dev", "sandbox")
    units = {
        f"ou-gen1-{stage}": OrganizationalUnit(f"ou-gen1-{stage}", stage.capitalize(), root_id)
        for stage in stages
    }
    accounts: dict[str, EmulatedAccount] = {}
    management_id = _account_id(rng, used)
    accounts[management_id] = EmulatedAccount(
        management_id, "org-management", "aws+management@example.com", root_id,
        {"environment": "management"}, ("AdministratorAccess", "ReadOnlyAccess", "Billing"))
    for index in range(1, account_count):
        stage = stages[index % len(stages)]
        account_id = _account_id(rng, used)
        name = f"team-{index // len(stages):04d}-{stage}"
        accounts[account_id] = EmulatedAccount(
            account_id, name, f"aws+{name}@example.com", f"ou-gen1-{stage}",
            {"environment": stage}, ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess"),
            (RoleSpec(ORGANIZATION_ACCESS_ROLE),))
    return Organization("o-gen1large1", root_id, management_id, units, accounts)
