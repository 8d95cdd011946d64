"""The command table and `[keys]`: no printable key starts an action, and each kind of
mistake in config.toml gives one warning and keeps the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.keys import key_to_character

from switcher.tui.command_table import (
    ALL,
    BY_ID,
    COMMANDS,
    DEFAULT_KEYS,
    ESSENTIAL,
    MENU,
    PALETTE,
    app_bindings,
    key_display,
    resolve_keys,
    screen_bindings,
)
from switcher.tui.widgets.footer import fitting
from switcher.tui.widgets.status import status_text


def _printable(key: str) -> bool:
    character = key if len(key) == 1 else key_to_character(key)
    return character is not None and character.isprintable()


def test_no_default_key_is_printable_or_taken_twice() -> None:
    keys = [key for command in ALL for key in command.key.split(",")]
    assert not [key for key in keys if _printable(key)]
    assert len(keys) == len(set(keys))
    assert not resolve_keys({c.id: c.key for c in ALL}).warnings  # the defaults pass the check


def test_the_table_makes_the_bindings() -> None:
    bound = {b.id: b for b in [*screen_bindings(), *app_bindings()] if not isinstance(b, tuple)}
    assert set(bound) == set(BY_ID)
    assert {bound[i].key for i in bound} == {c.key for c in ALL}
    assert bound["quit"].priority and bound["palette"].priority
    assert "mark" in {c.id for c in COMMANDS if PALETTE in c.places}  # once missing
    assert {"help", "quit"} == ESSENTIAL
    assert {"console", "shell", "mark", "copy_env", "copy_url", "destination", "way",
            "favourite", "region"} <= {c.id for c in COMMANDS if MENU in c.places}


def test_key_display() -> None:
    assert key_display("ctrl+s") == "Ctrl+S"
    assert key_display("f1") == "F1"
    assert key_display("enter") == "Enter"
    assert key_display("pagedown,ctrl+n") == "PgDn / Ctrl+N"


def test_a_remap_is_taken() -> None:
    keys = resolve_keys({"help": "f2", "region": "F9", "shell": "Ctrl+T", "mark": "ctrl+s"})
    assert keys.keymap == {"help": "f2", "region": "f9", "shell": "ctrl+t", "mark": "ctrl+s"}
    assert keys.display("help") == "F2" and not keys.warnings
    assert resolve_keys({"copy_url": "ctrl+l,f8"}).keys["copy_url"] == "ctrl+l,f8"
    assert resolve_keys({"shell": "f9, F9"}).keymap == {"shell": "f9"}


@pytest.mark.parametrize(("wanted", "warning"), [
    ({"sheel": "f9"}, '[keys] sheel: no such command'),
    ({"shell": "s"}, '[keys] shell = "s": "s" is a printable key: typing always goes to the '
                     'filter; Ctrl+S is kept'),
    ({"help": "?"}, '"?" is a printable key'),
    ({"help": "question_mark"}, '"question_mark" is a printable key'),
    ({"mark": "space"}, '"space" is a printable key'),
    ({"mark": "shift+x"}, '"shift+x" is a printable key'),
    ({"shell": "ctrl+a"}, '"ctrl+a" is the filter box\'s key (go to start); Ctrl+S is kept'),
    ({"shell": "ctrl+i"}, '"ctrl+i" reaches the app as Tab in most terminals'),
    ({"shell": "ctrl+shft+s"}, '"ctrl+shft+s" is not a key name'),
    ({"shell": "ctrl+t"}, "[keys] shell = Ctrl+T: that is mark's key; shell keeps Ctrl+S"),
    ({"shell": "f9", "mark": "f9"}, "[keys] shell and mark are given the same key, F9: one key, "
                                    "one command; shell keeps Ctrl+S, mark keeps Ctrl+T"),
])
def test_each_mistake_gives_one_warning_and_keeps_the_default(wanted: dict[str, str],
                                                              warning: str) -> None:
    keys = resolve_keys(wanted)
    assert len(keys.warnings) == 1 and warning in keys.warnings[0], keys.warnings
    assert keys.keys == DEFAULT_KEYS.keys and not keys.keymap


def test_a_clash_undone_can_make_another() -> None:
    # shell goes back to Ctrl+S, which copy_env wanted: copy_env keeps its own key too.
    keys = resolve_keys({"shell": "ctrl+t", "copy_env": "ctrl+s", "help": "f10"})
    assert keys.keymap == {"help": "f10"} and len(keys.warnings) == 2


def test_the_footer_keeps_help_and_quit() -> None:
    items = [("console", 11), ("shell", 10), ("menu", 12), ("region", 11), ("help", 9),
             ("quit", 9)]
    assert fitting(items, 80) == ["console", "shell", "menu", "region", "help", "quit"]
    assert fitting(items, 40) == ["console", "shell", "help", "quit"]
    assert fitting(items, 10) == ["help", "quit"]


def test_status_text_counts_down_and_says_what_expiry_means() -> None:
    from datetime import datetime, timedelta, timezone

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    later = {"acme": now + timedelta(minutes=65, seconds=30), "other": None}
    assert status_text(later, 3, "", "F6", now) == (
        "acme: signed in, 1h05m left  ·  other: signed out (F6 to sign in)  ·  3 targets")
    assert status_text(later, 3, "discovering…", "F6", now + timedelta(hours=2)).startswith(
        "acme: sign in needed (F6)")


def test_status_text_fits_80_columns_while_listing_roles() -> None:
    from datetime import datetime, timedelta, timezone

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    expiries = {"emulator": now + timedelta(hours=7, minutes=56)}
    extra = "emulator: 2,000 accounts, listing roles…"
    text = status_text(expiries, 6376, extra, "F6", now, width=78)  # 80 less the padding
    assert len(text) <= 78 and text.endswith(extra) and "emulator: 7h56m" in text
    assert status_text(expiries, 3, "", "F6", now, width=78) == (
        "emulator: signed in, 7h56m left  ·  3 targets")  # room: said in full
    many = {f"instance-{n}": None for n in range(5)}
    cut = status_text(many, 3, extra, "F6", now, width=78)
    assert len(cut) == 78 and cut.endswith("…")


def test_the_readme_lists_every_key() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for command in ALL:
        assert f"| `{command.id}` | {key_display(command.key)} | {command.help} |" in readme
    assert not resolve_keys({"help": "f10", "shell": "ctrl+s,f8"}).warnings  # its example
