"""config.toml: the `[keys]` table (the app checks the keys themselves)."""

from __future__ import annotations

from pathlib import Path

from switcher.store.settings import load_settings


def test_the_keys_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\n[keys]\nhelp = "f10"\ncopy_url = ["ctrl+l", "f8"]\nshell = 3\n')
    settings = load_settings(path)
    assert settings.keys == {"help": "f10", "copy_url": "ctrl+l,f8"}
    assert [w for w in settings.warnings if "keys.shell must be a key name" in w]
    assert load_settings(tmp_path / "none.toml").keys == {}
