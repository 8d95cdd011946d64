"""`switcher list --refresh` when some accounts fail: the last known rest is listed and
marked, each failed account is said once (or all in one line when many), and the exit
status says the refresh was partial."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from switcher.cli.output import MANY_FAILED_ACCOUNTS, PARTIAL_REFRESH
from switcher.workspace import Workspace
from tests.conftest import Setup


def _list(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", "list", "--refresh", *options],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def few_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each failing call is tried twice, not nine times with botocore's back-off."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")


def test_a_partial_refresh_lists_the_last_known_rest_and_exits_partial(
        signed_in: Workspace, setup: Setup, few_attempts: None) -> None:
    full = signed_in.refresh()
    failing = [setup.account_id("storefront-prod"), setup.account_id("payments-dev")]
    setup.emulator.knobs.failing_accounts = failing

    listed = _list()

    assert listed.returncode == PARTIAL_REFRESH, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if line.strip()]
    assert len(rows) == len(full.targets)
    # Only Identity Center reached them: kept, and marked; a profile still reaches the rest.
    assert [row for row in rows if row.endswith("  [last known]")] == [
        row for row in rows if row.split()[0] in failing and "profile:" not in row]
    assert any(row.endswith("  [last known]") for row in rows)
    for account_id in failing:  # once: not a log line and a warning
        said = [line for line in listed.stderr.splitlines() if account_id in line]
        assert len(said) == 1, listed.stderr
    assert "kept from the last known inventory" in listed.stderr


def test_the_json_listing_marks_the_last_known_targets(
        signed_in: Workspace, setup: Setup, few_attempts: None) -> None:
    signed_in.refresh()
    failing = setup.account_id("storefront-prod")
    setup.emulator.knobs.failing_accounts = [failing]

    listed = _list("--json")

    assert listed.returncode == PARTIAL_REFRESH, listed.stderr
    rows = json.loads(listed.stdout)
    kept = {(row["account_id"], row["role"]) for row in rows if row["last_known"]}
    roles = setup.emulator.state.organization.accounts[failing].permission_sets
    by_profile = {row["role"] for row in rows if row["account_id"] == failing
                  and any(way["kind"] == "profile" for way in row["ways"])}
    assert by_profile  # (one of them is still reached, through a profile: not kept)
    assert kept == {(failing, role) for role in roles if role not in by_profile}
    assert not any(row["last_known"] for row in rows if row["account_id"] != failing)


def test_many_failed_accounts_are_said_in_one_line(
        signed_in: Workspace, setup: Setup, few_attempts: None) -> None:
    full = signed_in.refresh()
    accounts = [a.account_id for a in setup.emulator.state.organization.account_list()
                if a.permission_sets]
    failing = accounts[: MANY_FAILED_ACCOUNTS + 1]
    setup.emulator.knobs.failing_accounts = failing

    listed = _list()

    assert listed.returncode == PARTIAL_REFRESH, listed.stderr
    assert len([line for line in listed.stdout.splitlines() if line.strip()]) == len(
        full.targets)
    lines = listed.stderr.splitlines()
    summary = [line for line in lines if f"{len(failing)} accounts could not be listed" in line]
    assert len(summary) == 1
    assert all(sum(account_id in line for line in lines) <= 1 for account_id in failing)
    assert len(lines) < len(failing)


def test_a_complete_refresh_exits_zero(signed_in: Workspace) -> None:
    listed = _list()
    assert listed.returncode == 0, listed.stderr
    assert "[last known]" not in listed.stdout
