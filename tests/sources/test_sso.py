"""Discovery of every account and role from IAM Identity Center, through the emulator."""

from __future__ import annotations

import logging
import time

import pytest

from switcher.clients import ClientFactory
from switcher.emulator.state import TokenBucket
from switcher.model import SourceKind
from switcher.sources.sso import discover
from tests.conftest import Setup


def test_discovers_the_seeded_organisation(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    refresh = workspace.refresh()
    assert refresh.complete
    organization = setup.emulator.state.organization
    expected = {(a.account_id, p) for a in organization.account_list()
                for p in a.permission_sets}
    sso_targets = {(t.account_id, t.role_name) for t in refresh.targets
                   if any(w.kind is SourceKind.SSO for w in t.ways)}
    assert sso_targets == expected
    prod = next(t for t in refresh.targets if t.account_name == "storefront-prod"
                and t.role_name == "ReadOnlyAccess")
    assert prod.account_id == setup.account_id("storefront-prod")


def test_profiles_and_sso_reaching_one_target_merge_into_one(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace())
    targets = workspace.refresh().targets
    management = setup.account_id("acme-management")
    admin = [t for t in targets if t.account_id == management
             and t.role_name == "AdministratorAccess"]
    assert len(admin) == 1
    assert [w.kind for w in admin[0].ways] == [SourceKind.SSO, SourceKind.PROFILE]
    assert admin[0].profile_names == ("acme-management-administratoraccess",)
    assert admin[0].region == "eu-west-1"
    deployer = [t for t in targets if t.profile_names == ("shared-deployer",)]
    assert deployer and deployer[0].account_name == "acme-shared-services"


def test_discovers_a_2000_account_organisation(large_setup: Setup) -> None:
    workspace = large_setup.sign_in(large_setup.workspace(ClientFactory(
        identity_center_rate=10_000)))
    started = time.perf_counter()
    refresh = workspace.refresh()
    elapsed = time.perf_counter() - started
    assert refresh.complete
    assert len({t.account_id for t in refresh.targets}) == 2000
    assert len([t for t in refresh.targets if t.way.kind is SourceKind.SSO]) == 6000
    print(f"2,000 accounts, 6,000 roles discovered in {elapsed:.2f} s (throttle off, 0 ms)")


# Fault tests run with few attempts: botocore's back-off between them is what they would
# otherwise spend their time on.
FEW_ATTEMPTS = 3


def test_one_failing_account_does_not_fail_the_refresh(setup: Setup) -> None:
    workspace = setup.sign_in(setup.workspace(ClientFactory(max_attempts=FEW_ATTEMPTS)))
    complete = workspace.refresh()
    assert complete.complete and workspace.inventory_cache.load() is not None
    saved = workspace.inventory_cache.path.read_bytes()
    victim = setup.account_id("payments-dev")
    setup.emulator.knobs.failing_accounts = [victim]
    instance = workspace.instances()[0]
    discovery = discover(instance, workspace.signin.token(instance), workspace.clients)
    assert list(discovery.failed_accounts) == [victim]
    assert discovery.account_count == len(setup.emulator.state.organization.accounts)
    assert victim not in {t.account_id for t in discovery.targets}
    assert len({t.account_id for t in discovery.targets}) == discovery.account_count - 1
    partial = workspace.refresh()
    assert not partial.complete and victim in partial.failed_accounts
    assert workspace.inventory_cache.path.read_bytes() == saved  # partial never replaces


def test_an_always_failing_account_is_tried_by_botocore_alone(
        setup: Setup, caplog: pytest.LogCaptureFixture) -> None:
    """The standard retry mode's attempts are the only ones: no second pass on top, which
    made one broken account cost a refresh seconds of back-off."""
    workspace = setup.sign_in(setup.workspace(ClientFactory(max_attempts=FEW_ATTEMPTS)))
    victim = setup.account_id("payments-dev")
    setup.emulator.knobs.failing_accounts = [victim]
    setup.emulator.knobs.throttle = False  # a throttled try would be an attempt it never saw
    setup.emulator.state.role_listings.clear()
    refresh = workspace.refresh()
    listings = setup.emulator.state.role_listings
    assert listings[victim] == FEW_ATTEMPTS
    assert all(count == 1 for account_id, count in listings.items() if account_id != victim)
    assert refresh.failed_accounts == {victim: "InternalServerException"}
    assert not any(victim in warning for warning in refresh.warnings)  # reported once
    # The refresh's report says it (the CLI, the app); a warning logged too said it twice.
    logged = [r for r in caplog.records if victim in r.getMessage()
              and r.levelno >= logging.WARNING]
    assert not logged
    assert not refresh.complete
    assert victim not in {t.account_id for t in refresh.targets
                          if any(w.kind is SourceKind.SSO for w in t.ways)}


def test_throttled_discovery_finishes_without_failures(setup: Setup) -> None:
    setup.emulator.knobs.latency_ms = 30
    workspace = setup.sign_in(setup.workspace(ClientFactory(identity_center_rate=40)))
    setup.emulator.state.bucket = TokenBucket(4)  # a storm: far below what the client sends
    refresh = workspace.refresh()
    assert refresh.complete  # every throttled call was retried until it succeeded
    assert setup.emulator.state.throttled > 0


def test_credentials_asked_during_a_discovery_do_not_queue_behind_it(large_setup: Setup) -> None:
    """Enter pressed while 2,000 accounts' roles are being listed at Identity Center's
    20 requests/s: the credentials take the next free request, not the end of the queue."""
    import threading

    large_setup.emulator.knobs.throttle = True
    large_setup.emulator.state.bucket = TokenBucket(20)
    workspace = large_setup.sign_in(large_setup.workspace())
    refresh = threading.Thread(target=workspace.refresh, daemon=True)
    refresh.start()
    time.sleep(3)  # the limiter is saturated by the role listing by now
    before = large_setup.emulator.state.calls.get("sso.ListAccountRoles", 0)
    assert before > 20
    instance = workspace.instances()[0]
    token = workspace.signin.token(instance)
    sso = workspace.clients.client("sso", instance.region, unsigned=True)
    account_id = list(large_setup.emulator.state.organization.accounts)[-1]
    role = sso.list_account_roles(accessToken=token.access_token, accountId=account_id,
                                  maxResults=1)["roleList"][0]["roleName"]
    started = time.monotonic()
    sso.get_role_credentials(accessToken=token.access_token, accountId=account_id,
                             roleName=role)
    waited = time.monotonic() - started
    assert waited < 0.3, f"{waited:.2f}s behind the discovery"  # 1.2-3.1 s without priority
    assert large_setup.emulator.state.throttled == 0  # and the 20/s quota still holds
    assert refresh.is_alive()  # (the discovery was indeed still running)
    large_setup.emulator.knobs.throttle = False  # let it finish quickly
    workspace.clients.identity_center_limiter.rate = 10_000
    refresh.join(timeout=60)
