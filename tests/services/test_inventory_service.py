"""The inventory service: the same keep-the-last-known rule for the CLI and the app."""

from __future__ import annotations

import subprocess
import sys

from switcher.workspace import Workspace
from tests.conftest import Setup


def test_a_partial_refresh_keeps_the_last_known_targets_of_the_failed_accounts(
        signed_in: Workspace, setup: Setup) -> None:
    full = signed_in.refresh()
    assert full.complete and not full.kept
    failing = setup.account_id("storefront-prod")
    setup.emulator.knobs.failing_accounts = [failing]

    partial = signed_in.refresh()

    assert not partial.complete and list(partial.failed_accounts) == [failing]
    assert {t.key for t in partial.targets} == {t.key for t in full.targets}
    assert partial.kept and {t.account_id for t in partial.kept} == {failing}
    assert all(any(w.sso_session for w in t.ways) for t in partial.kept)


def test_a_target_gone_from_a_source_that_answered_is_not_kept(
        signed_in: Workspace, setup: Setup) -> None:
    full = signed_in.refresh()
    failing = setup.account_id("storefront-prod")
    gone = next(t for t in full.targets if t.account_id != failing and len(t.ways) == 1
                and t.way.sso_session)
    account = setup.emulator.state.organization.accounts[gone.account_id]
    account.permission_sets = tuple(p for p in account.permission_sets
                                    if p != gone.role_name)
    setup.emulator.knobs.failing_accounts = [failing]

    partial = signed_in.refresh()

    assert gone.key not in {t.key for t in partial.targets}


def test_list_refresh_after_a_partial_failure_keeps_and_says_the_last_known_targets(
        signed_in: Workspace, setup: Setup) -> None:
    full = signed_in.refresh()
    failing = setup.account_id("storefront-prod")
    setup.emulator.knobs.failing_accounts = [failing]

    listed = subprocess.run([sys.executable, "-m", "switcher", "list", "--refresh"],
                            capture_output=True, text=True, timeout=120, check=False)

    rows = [line for line in listed.stdout.splitlines() if line.strip()]
    assert len(rows) == len(full.targets)
    of_failing = [row for row in rows if row.startswith(failing)]
    kept = [row for row in of_failing if row.endswith("sso:emulator  [last known]")]
    assert not [row for row in of_failing if row.split()[-1] == "sso:emulator"]
    # Reached by a profile too: listed once, with its account name and the SSO way kept.
    both = [row for row in of_failing if "profile:" in row]
    assert both and all("storefront-prod" in row and "sso:emulator" in row for row in both)
    assert kept
    assert "kept from the last known inventory" in listed.stderr


def test_an_inventory_cache_that_cannot_be_written_is_a_warning(
        setup: Setup) -> None:
    import os
    from pathlib import Path

    cache_dir = Path(os.environ["SWITCHER_CACHE_DIR"])
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    cache_dir.write_text("not a folder")  # writing under it fails, as on a full disk
    workspace = setup.sign_in(setup.workspace())

    refresh = workspace.refresh()

    assert refresh.complete and refresh.targets
    assert any("could not be written" in w for w in refresh.warnings)
    listed = subprocess.run([sys.executable, "-m", "switcher", "list"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == len(refresh.targets)
    assert "could not be written" in listed.stderr
