"""A named target with no inventory cached: its account's roles are listed first (through the
shared 20 requests/s limit), the command acts without waiting for every account's roles, and
such a partial discovery is never cached."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.organization import generated_organization
from switcher.emulator.state import Knobs
from switcher.sources import sso
from switcher.store.inventory import InventoryCache
from tests.conftest import Setup, _setup

ACCOUNTS = 400


@pytest.fixture
def throttled(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """400 accounts behind Identity Center's 20 requests/s: a full discovery takes 20 s."""
    yield from _setup(generated_organization(ACCOUNTS), Knobs(latency_ms=5), isolated_home,
                      monkeypatch)


def _cache(setup: Setup) -> Path:
    return Path(setup.environment["SWITCHER_CACHE_DIR"]) / "inventory.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "switcher", *args], capture_output=True,
                          text=True, timeout=60, env=dict(os.environ), check=False)


def test_the_cli_acts_on_a_named_target_after_listing_its_account_roles_alone(
        throttled: Setup) -> None:
    throttled.sign_in(throttled.workspace())
    name = "team-0098-staging"  # near the end: a full discovery lists it last
    account_id = throttled.account_id(name)
    started = time.monotonic()
    printed = _run("console", f"{name}/ReadOnlyAccess", "--print-url")
    elapsed = time.monotonic() - started
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("http")
    state = throttled.emulator.state
    assert list(state.role_listings) == [account_id]  # no other account's roles
    assert state.calls["sso.ListAccounts"] == -(-ACCOUNTS // sso.PAGE_SIZE)  # every page
    assert elapsed < ACCOUNTS / 20  # a full discovery could not be this fast at 20/s
    visited = state.credentials.values()
    assert any(c.account_id == account_id and "ReadOnlyAccess" in c.arn for c in visited)
    assert not _cache(throttled).exists()  # a part of the inventory is never cached


def test_a_profile_name_lists_the_roles_of_its_account_alone(throttled: Setup) -> None:
    throttled.sign_in(throttled.workspace())
    account_id = throttled.account_id("team-0050-dev")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    session = next(line.split()[1].rstrip("]") for line in config.read_text().splitlines()
                   if line.startswith("[sso-session "))
    with config.open("a") as file:
        file.write(f"\n[profile dev-reader]\nsso_session = {session}\n"
                   f"sso_account_id = {account_id}\nsso_role_name = ReadOnlyAccess\n")
    printed = _run("env", "dev-reader")
    assert printed.returncode == 0, printed.stderr
    assert "AWS_SESSION_TOKEN" in printed.stdout
    assert list(throttled.emulator.state.role_listings) == [account_id]


def test_a_name_not_among_the_listed_accounts_falls_back_to_a_full_discovery(
        setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    refused = _run("console", "no-such-account/ReadOnlyAccess", "--print-url")
    assert refused.returncode != 0
    assert "No target named" in refused.stderr
    # The full discovery that answered is complete, so it is cached, as before.
    assert _cache(setup).exists()
    assert len(setup.emulator.state.role_listings) == len([
        a for a in setup.emulator.state.organization.account_list() if a.permission_sets])
    assert workspace.cached_inventory() is not None


def test_a_targeted_discovery_leaves_the_cache_as_it_was(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    complete = workspace.refresh()
    assert complete.complete
    before = _cache(setup).read_bytes()
    wanted = workspace.names.accounts_for("payments-prod/ReadOnlyAccess",
                                          workspace.inventory.offline())
    partial = setup.workspace().inventory.targeted(wanted)
    assert not partial.complete
    assert {t.account_name for t in partial.targets if t.way.kind.value == "sso"} == {
        "payments-prod"}
    assert _cache(setup).read_bytes() == before
    assert len(setup.workspace().targets()) == len(complete.targets)  # nothing disappeared


def test_a_wanted_account_is_listed_before_the_rest_of_a_running_discovery(
        throttled: Setup) -> None:
    clients = ClientFactory()  # our own 20 requests/s, as a user has it
    workspace = throttled.sign_in(throttled.workspace(clients))
    late = throttled.account_id("team-0099-sandbox")
    listed = threading.Event()
    wished_at: list[int] = []

    def accounts_listed(_instance: object, _accounts: object) -> None:
        listed.set()

    def wish() -> None:
        listed.wait(30)
        time.sleep(0.5)  # the discovery is well under way
        wished_at.append(len(throttled.emulator.state.role_listings))
        workspace.want_roles([late])

    helper = threading.Thread(target=wish)
    helper.start()
    refresh = workspace.refresh(on_accounts=accounts_listed)
    helper.join()
    order = list(throttled.emulator.state.role_listings)
    assert refresh.complete and len(order) == ACCOUNTS
    # Without the wish it would come last; with it, right after the requests in flight.
    assert order.index(late) <= wished_at[0] + sso.ROLE_WORKERS + 2, (order.index(late),
                                                                      wished_at)
    assert InventoryCache(_cache(throttled)).load() is not None


def test_every_name_of_production_is_guarded_with_no_cache(setup: Setup) -> None:
    """The guard does not depend on how much was discovered: a profile with a neutral name
    is production through its account's name, which the targeted discovery lists."""
    from tests.cli.test_guardrails import NAME_FORMS, _settings
    from tests.services.test_resolve import NEUTRAL_PROFILES

    setup.sign_in(setup.workspace())
    prod = setup.account_id("payments-prod")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + NEUTRAL_PROFILES.format(prod=prod))
    _settings('[guardrails]\nread_only_roles = { production = "ReadOnlyAccess" }\n')
    for form in NAME_FORMS:
        name, *via = form.format(prod=prod).split()
        refused = subprocess.run(
            [sys.executable, "-m", "switcher", "console", name, *via, "--print-url"],
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
        assert refused.returncode == 1 and not refused.stdout, (form, refused.stderr)
        assert "PRODUCTION" in refused.stderr and "is guarded" in refused.stderr, (
            form, refused.stderr)
        unattended = _run("credential-process", name, *via)
        assert unattended.returncode == 1 and not unattended.stdout, (form, unattended.stderr)
        assert "credential-process cannot ask" in unattended.stderr
    assert set(setup.emulator.state.role_listings) == {prod}
    assert not _cache(setup).exists()
