"""The status bar: sign-in state of each Identity Center instance, how many targets are
shown, and what is going on. Everything it shows is kept in memory: the sign-in expiry is
read from the token cache by a worker (at start, after a sign-in or a refresh, and every half
minute), never while the user types; a timer redraws "time left" every half minute, and at
expiry the line says what happens next: renewing (a valid refresh token), or sign in needed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone

from textual.widgets import Static

from switcher.tui.text import counted, literal

EXPIRY_TICK = 30.0
"""Seconds between two redraws of "time left" (so it stays true and turns to "signed out")."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def status_text(expiries: Mapping[str, datetime | None], targets: int, extra: str,
                sign_in_key: str, now: datetime, marked: int = 0,
                renewable: Iterable[str] = (), width: int = 0) -> str:
    """The status line; with a `width` (80 columns leave 78), made to fit it: narrower
    separators, then shorter sign-in states, and only then cut with `…`. At expiry a sign-in
    says what happens next: "renewing" (a refresh token can renew it) or "sign in needed"."""
    renewing = set(renewable)
    # Shorter forms, tried in turn: separators, then the time left, then (last) the hint
    # of the sign-in key.
    for separator, signed_in, hint in (("  ·  ", 0, True), (" · ", 0, True), (" · ", 1, True),
                                       (" · ", 2, True), (" · ", 2, False)):
        parts = []
        for label, expiry in expiries.items():
            if expiry is None:
                parts.append(f"{label}: signed out ({sign_in_key} to sign in)" if hint
                             else f"{label}: signed out")
            elif expiry <= now:
                parts.append(f"{label}: renewing" if label in renewing
                             else f"{label}: sign in needed ({sign_in_key})" if hint
                             else f"{label}: sign in needed")
            else:
                minutes = int((expiry - now).total_seconds() // 60)
                left = f"{minutes // 60}h{minutes % 60:02d}m"
                parts.append([f"{label}: signed in, {left} left", f"{label}: {left} left",
                              f"{label}: {left}"][signed_in])
        parts.append(counted(targets, "target"))
        if marked:
            parts.append(f"{marked:,} marked")
        if extra:
            parts.append(extra)
        text = separator.join(parts)
        if not width or len(text) <= width:
            return text
    return text[: width - 1] + "…"


class StatusBar(Static):
    def __init__(self, sign_in_key: str, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.sign_in_key = sign_in_key
        self.expiries: dict[str, datetime | None] = {}
        """Each instance's label and when its sign-in ends (None: signed out)."""
        self.renewable: frozenset[str] = frozenset()
        """The instances whose refresh token is valid."""
        self.clock: Callable[[], datetime] = utc_now
        """The time "time left" is counted from (tests move it on)."""
        self.targets = 0
        self.marked = 0
        self.extra = ""

    def on_mount(self) -> None:
        self.set_interval(EXPIRY_TICK, self._draw)

    def show(self, targets: int | None = None, extra: str | None = None,
             marked: int | None = None) -> None:
        if targets is not None:
            self.targets = targets
        if marked is not None:
            self.marked = marked
        if extra is not None:
            self.extra = extra
        self._draw()

    def signed_in(self, expiries: Mapping[str, datetime | None],
                  renewable: frozenset[str] = frozenset()) -> None:
        self.expiries = dict(expiries)
        self.renewable = renewable
        self._draw()

    def _draw(self) -> None:
        self.update(literal(status_text(self.expiries, self.targets, self.extra,
                                        self.sign_in_key, self.clock(), self.marked,
                                        self.renewable, self.content_size.width)))

    def on_resize(self) -> None:
        self._draw()
