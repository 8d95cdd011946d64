"""Layout guards: the main screen in the dark and light themes, at 80x24 and 160x48, and every
modal screen at 80x24 (each must fit or scroll there). Regenerate after a deliberate change
with `./dev test tests/tui/test_snapshots.py --snapshot-update`, and look at the pictures in
the report before committing them.

The inventory comes from the cache, made from the seeded organisation, and the Identity Center
instance is signed out, so nothing on screen depends on timing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from switcher.emulator.organization import seeded_organization
from switcher.environments import classify_all
from switcher.model import Account, SourceKind, Target, Way
from switcher.sources.merge import merge_targets
from switcher.store.inventory import InventoryCache
from switcher.tui.app import SwitcherApp
from switcher.workspace import Workspace
from tests.tui.test_app import until

SWITCH_ROLE = Way(SourceKind.SWITCH_ROLE, source_profile="jane-iam", origin="config.toml",
                  display_name="dev power (manual)")


def _seeded_targets() -> list[Target]:
    """The seeded organisation as one Identity Center instance sees it; one target has a
    second way in (a switch role), for the way picker."""
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


async def _settled(pilot: Any) -> None:
    """Start-up work done: the refresh (signed out: a notice says so) and the sign-in read."""
    app = pilot.app
    await until(pilot, lambda: app._notifications and "signed out" in str(
        app.screen.query_one("#status").render()))
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("theme", ["switcher-dark", "switcher-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen_layout(seeded_app: Callable[[str], SwitcherApp], snap_compare: Any,
                            theme: str, size: tuple[int, int]) -> None:
    assert snap_compare(seeded_app(theme), terminal_size=size, run_before=_settled)


async def _mfa(pilot: Any) -> None:
    from switcher.tui.screens.mfa import MfaScreen

    pilot.app.push_screen(MfaScreen("arn:aws:iam::123456789012:mfa/jane-iam"))


MODALS: dict[str, tuple[str, ...] | Callable[[Any], Any]] = {
    "help": ("f1",),
    "help-scrolled-to-the-end": ("f1", "end"),
    "actions": ("ctrl+o",),
    "region": ("f2",),
    "page": (*"payments-dev read", "ctrl+g"),
    "way": (*"storefront-dev power", "f4"),
    "confirm": (*"payments-prod read", "enter"),
    "mfa": _mfa,
}


@pytest.mark.parametrize("modal", list(MODALS))
def test_modal_screen_at_80x24(seeded_app: Callable[[str], SwitcherApp], snap_compare: Any,
                               modal: str) -> None:
    then = MODALS[modal]

    async def opened(pilot: Any) -> None:
        await _settled(pilot)
        if callable(then):
            await then(pilot)
        else:
            await pilot.press(*then)
        await pilot.pause()

    assert snap_compare(seeded_app("switcher-dark"), terminal_size=(80, 24), run_before=opened)
