"""One renewal rule for every cache of temporary credentials, set against botocore's own
refresh logic (its RefreshableCredentials on a simulated clock: the bench's model)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bench.credential_renewal import old_rule, simulate
from switcher.auth.credentials import CredentialResolver
from switcher.auth.renewal import (
    MIN_LEFT,
    RENEW_BEFORE,
    SDK_ADVISORY_WINDOW,
    due,
    renewal_margin,
)
from switcher.model import Credentials


@pytest.mark.parametrize("lifetime", [3600, 12 * 3600, 1800, 1300])
def test_what_is_handed_out_is_outside_botocores_window(lifetime: int) -> None:
    assert renewal_margin(lifetime) == RENEW_BEFORE > SDK_ADVISORY_WINDOW


@pytest.mark.parametrize("lifetime", [60, 120, 900, 1200])
def test_short_lifetimes_are_renewed_with_a_quarter_left(lifetime: int) -> None:
    assert renewal_margin(lifetime) == lifetime / 4
    assert not due(1000.0, 1000.0 + lifetime, 1000.0 + lifetime * 0.74)
    assert due(1000.0, 1000.0 + lifetime, 1000.0 + lifetime * 0.75)


def test_credentials_about_to_expire_are_never_handed_out() -> None:
    assert renewal_margin(2) == MIN_LEFT  # the emulator's 2-second credentials: always new
    assert due(1000.0, 1002.0, 1000.0)
    assert renewal_margin(4) == MIN_LEFT


def test_near_the_end_of_an_hour_sdk_calls_stop_coming_back_to_the_endpoint() -> None:
    before = simulate(old_rule, 3600)
    now = simulate(due, 3600)
    assert before.endpoint_calls / before.sdk_calls > 0.1  # the finding: every late call
    assert now.endpoint_calls <= 4  # one per credentials' life, about
    assert now.renewals <= before.renewals


def test_short_lived_credentials_are_not_fetched_from_aws_on_every_sdk_call() -> None:
    now = simulate(due, 60)
    assert now.renewals < now.sdk_calls / 5


def test_the_resolver_and_the_keyring_use_the_rule() -> None:
    now = datetime.now(timezone.utc)
    hour = Credentials("ASIA1", "s", "t", now + timedelta(minutes=17),
                       issued=now - timedelta(minutes=43))
    assert CredentialResolver._fresh(hour)
    assert not CredentialResolver._fresh(
        Credentials("ASIA1", "s", "t", now + timedelta(minutes=14),
                    issued=now - timedelta(minutes=46)))
    short = Credentials("ASIA2", "s", "t", now + timedelta(seconds=40),
                        issued=now - timedelta(seconds=20))
    assert CredentialResolver._fresh(short)
