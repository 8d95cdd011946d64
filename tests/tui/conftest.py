"""The app on the seeded organisation, from the cache and signed out: what the snapshot
tests and the Pilot tests that need no emulator start from."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from switcher.emulator.organization import seeded_organization
from switcher.environments import classify_all
from switcher.model import Account, SourceKind, Target, Way
from switcher.sources.merge import merge_targets
from switcher.store.inventory import InventoryCache
from switcher.tui.app import SwitcherApp
from switcher.workspace import Workspace

SWITCH_ROLE = Way(SourceKind.SWITCH_ROLE, source_profile="jane-iam", origin="config.toml",
                  display_name="dev power (manual)")


def _seeded_targets() -> list[Target]:
    """The seeded organisation as one Identity Center instance sees it."""
    organization = seeded_organization()
    way = Way(SourceKind.SSO, sso_session="acme", start_url="https://acme.invalid/start",
              sso_region="us-east-1")
    targets = classify_all(merge_targets([
        Target(Account(a.account_id, a.name, a.email, organization.ou_path(a),
                       tuple(a.tags.items())), role, (way,))
        for a in organization.account_list() for role in a.permission_sets]))
    return targets


def _switch_role_entry() -> str:
    """A second way into storefront-dev/PowerUserAccess, for the way picker: a switch role
    in config.toml (read on every run; the cache holds remote discovery only)."""
    account = next(a.account_id for a in seeded_organization().account_list()
                   if a.name == "storefront-dev")
    return (f'\n[[switch_roles]]\naccount = "{account}"\nrole = "PowerUserAccess"\n'
            f'display_name = "{SWITCH_ROLE.display_name}"\n'
            f'source_profile = "{SWITCH_ROLE.source_profile}"\n')


@pytest.fixture
def seeded_app(isolated_home: Path, monkeypatch: pytest.MonkeyPatch
               ) -> Callable[[str], SwitcherApp]:
    """An app on the seeded inventory (from the cache; signed out), in the theme asked."""
    for name, folder in (("SWITCHER_CONFIG_DIR", "config"), ("SWITCHER_CACHE_DIR", "cache"),
                         ("SWITCHER_STATE_DIR", "state")):
        monkeypatch.setenv(name, str(isolated_home / folder))
    aws_config = isolated_home / "aws-config"
    aws_config.write_text("[sso-session acme]\nsso_start_url = https://acme.invalid/start\n"
                          "sso_region = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_config))
    (isolated_home / "config").mkdir()
    InventoryCache(isolated_home / "cache" / "inventory.json").save(_seeded_targets())

    def make(theme: str) -> SwitcherApp:
        (isolated_home / "config" / "config.toml").write_text(
            f'[app]\ntheme = "{theme}"\n' + _switch_role_entry())
        return SwitcherApp(Workspace(dict(os.environ)))

    return make
