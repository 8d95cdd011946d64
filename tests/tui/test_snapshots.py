"""Layout guards: the main screen in the dark and light themes, at 80x24 and 160x48.
(Regenerate after a deliberate change with `./dev test tests/tui/test_snapshots.py
--snapshot-update`, and look at the pictures in the report before committing them.)

The inventory comes from the cache, made from the seeded organisation, and the Identity Center
instance is signed out, so nothing on screen depends on timing."""

from __future__ import annotations

import os
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


def _seeded_targets() -> list[Target]:
    organization = seeded_organization()
    way = Way(SourceKind.SSO, sso_session="acme", start_url="https://acme.invalid/start",
              sso_region="us-east-1")
    return classify_all(merge_targets([
        Target(Account(a.account_id, a.name, a.email, organization.ou_path(a),
                       tuple(a.tags.items())), role, (way,))
        for a in organization.account_list() for role in a.permission_sets]))


@pytest.mark.parametrize("theme", ["switcher-dark", "switcher-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen_layout(isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
                            snap_compare: Any, theme: str, size: tuple[int, int]) -> None:
    for name, folder in (("SWITCHER_CONFIG_DIR", "config"), ("SWITCHER_CACHE_DIR", "cache"),
                         ("SWITCHER_STATE_DIR", "state")):
        monkeypatch.setenv(name, str(isolated_home / folder))
    aws_config = isolated_home / "aws-config"
    aws_config.write_text("[sso-session acme]\nsso_start_url = https://acme.invalid/start\n"
                          "sso_region = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_config))
    (isolated_home / "config").mkdir()
    (isolated_home / "config" / "config.toml").write_text(f'[app]\ntheme = "{theme}"\n')
    InventoryCache(isolated_home / "cache" / "inventory.json").save(_seeded_targets())
    app = SwitcherApp(Workspace(dict(os.environ)))

    async def settled(pilot: Any) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=settled)
