"""config.toml: settings written back (favourite pages) and the `[keys]` table (the app
checks the keys themselves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from switcher.errors import ConfigError
from switcher.store.settings import edit_destinations, load_settings


def test_an_added_destination_goes_last_once() -> None:
    assert edit_destinations([], "s3", None, "dev/Admin") == ["s3"]
    assert edit_destinations(["s3", "ec2/home"], "s3", None, "dev/Admin") == ["ec2/home", "s3"]
    assert edit_destinations(["s3"], "not a page at all", None, "dev/Admin") == [
        "s3", "not a page at all"]


def test_a_removed_destination_must_be_saved() -> None:
    assert edit_destinations(["s3", "ec2/home"], None, "s3", "dev/Admin") == ["ec2/home"]
    assert edit_destinations(["s3"], "ec2/home", "s3", "dev/Admin") == ["ec2/home"]
    with pytest.raises(ConfigError, match="'nope' is not saved for dev/Admin"):
        edit_destinations(["s3"], None, "nope", "dev/Admin")


def test_the_keys_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\n[keys]\nhelp = "f10"\ncopy_url = ["ctrl+l", "f8"]\nshell = 3\n')
    settings = load_settings(path)
    assert settings.keys == {"help": "f10", "copy_url": "ctrl+l,f8"}
    assert [w for w in settings.warnings if "keys.shell must be a key name" in w]
    assert load_settings(tmp_path / "none.toml").keys == {}


def test_the_palette_is_chosen_in_the_app_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_settings(path).rules.palette == "accessible"
    path.write_text('[app]\npalette = "console"\n')
    assert load_settings(path).rules.palette == "console"
    path.write_text('[app]\npalette = "rainbow"\n')
    settings = load_settings(path)
    assert settings.rules.palette == "accessible"
    assert [w for w in settings.warnings if "app.palette 'rainbow' is not one of" in w]
