"""When a live token renews: a margin before expiry that scales with its life, once for all
the calls refused together, and never again once renewal was refused."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from switcher.auth.live_token import LiveToken, renewal_margin
from switcher.auth.token_cache import EXPIRY_WINDOW, SsoInstance, SsoToken
from switcher.errors import NotSignedInError

START = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
INSTANCE = SsoInstance("https://example.invalid/start", "eu-west-1", "work")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _token(name: str, expires_at: datetime) -> SsoToken:
    return SsoToken(INSTANCE.start_url, INSTANCE.region, name, expires_at, "refresh")


class Renewals:
    """Hands out tokens of `life` from the clock's now, or None when `refuse` is set."""

    def __init__(self, clock: Clock, life: timedelta) -> None:
        self.clock, self.life = clock, life
        self.count = 0
        self.refuse = False
        self.lock = threading.Lock()

    def __call__(self, instance: SsoInstance, token: SsoToken) -> SsoToken | None:
        with self.lock:
            self.count += 1
            if self.refuse:
                return None
            return _token(f"token-{self.count}", self.clock() + self.life)


def test_the_margin_is_a_quarter_of_the_life_left_at_most_fifteen_minutes() -> None:
    assert renewal_margin(_token("a", START + timedelta(seconds=3)), START) == timedelta(
        seconds=0.75)
    assert renewal_margin(_token("b", START + timedelta(hours=8)), START) == EXPIRY_WINDOW
    assert renewal_margin(_token("c", START - timedelta(seconds=1)), START) == timedelta(0)


def test_a_token_is_renewed_a_margin_before_it_expires() -> None:
    clock = Clock()
    renew = Renewals(clock, timedelta(seconds=4))
    live = LiveToken(INSTANCE, _token("first", START + timedelta(seconds=4)), renew, clock)

    clock.now = START + timedelta(seconds=2.9)  # 1.1 s left of 4: more than a quarter
    assert live.current() == "first" and renew.count == 0
    clock.now = START + timedelta(seconds=3.1)  # 0.9 s left: within the margin
    assert live.current() == "token-1" and renew.count == 1
    assert live.current() == "token-1" and renew.count == 1  # good for another 3 s


def test_calls_refused_together_share_one_renewal() -> None:
    clock = Clock()
    renew = Renewals(clock, timedelta(hours=1))
    live = LiveToken(INSTANCE, _token("first", START + timedelta(hours=1)), renew, clock)
    answers: list[str] = []
    threads = [threading.Thread(target=lambda: answers.append(live.refused("first")))
               for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["token-1"] * 16 and renew.count == 1


def test_a_refused_renewal_ends_it_without_asking_again() -> None:
    clock = Clock()
    renew = Renewals(clock, timedelta(hours=1))
    renew.refuse = True
    live = LiveToken(INSTANCE, _token("first", START + timedelta(seconds=4)), renew, clock)
    clock.now = START + timedelta(seconds=3.5)
    assert live.current() == "first"  # early renewal failed: it still works a while
    assert live.current() == "first" and renew.count == 1  # not asked at every call
    with pytest.raises(NotSignedInError, match="switcher login"):
        live.refused("first")
    with pytest.raises(NotSignedInError):
        live.current()
    assert renew.count == 2 and live.gone


def test_a_token_without_renewal_is_used_until_refused() -> None:
    live = LiveToken(INSTANCE, _token("only", START + timedelta(seconds=1)), None, Clock())
    assert live.current() == "only"
    with pytest.raises(NotSignedInError):
        live.refused("only")
