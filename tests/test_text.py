"""The one sanitiser for untrusted text: what it escapes, and that it is stable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from switcher.text import clean_name, visible


def test_control_bidi_and_zero_width_characters_are_shown_escaped() -> None:
    assert visible("prod\x1b[2J\x1b]0;owned\x07") == "prod\\x1b[2J\\x1b]0;owned\\x07"
    assert visible("a\nb\rc\td") == "a\\x0ab\\x0dc\\x09d"
    assert visible("\x9b31m\x7f") == "\\x9b31m\\x7f"
    assert visible("dev\u202eprod") == "dev\\u202eprod"
    assert visible("pro\u200bd\ufeff\u2066") == "pro\\u200bd\\ufeff\\u2066"
    assert visible("[bold]Ünïcode ok[/bold] 本番") == "[bold]Ünïcode ok[/bold] 本番"


def test_names_from_sources_are_capped() -> None:
    assert clean_name("x" * 1000, limit=10) == "x" * 9 + "…"
    assert clean_name("short") == "short"


@given(st.text())
def test_the_result_holds_no_unsafe_character_and_is_stable(text: str) -> None:
    shown = visible(text)
    assert all(ch.isprintable() or ch == " " or ord(ch) > 0xFFFF or ch in "\u00a0"
               or not _unsafe(ch) for ch in shown)
    assert not any(_unsafe(ch) for ch in shown)
    assert visible(shown) == shown


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u061c\u200e\u200f\u2060\ufeff\u180e"
            "\u2028\u2029" or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
            or 0x200B <= code <= 0x200D)
