"""Themes from TOML files: the ones switcher ships (themes/, inside the package when
installed) and the user's own in `<config dir>/themes/`. A broken file is skipped with a
warning, never a crash."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from textual.theme import Theme

log = logging.getLogger(__name__)
DEFAULT_THEME = "switcher-dark"
FIELDS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground",
          "background", "surface", "panel", "boost", "dark", "luminosity_spread",
          "text_alpha", "variables")


def shipped_folder() -> Path:
    """themes/ inside the installed package, or beside the source tree when developing."""
    installed = Path(__file__).resolve().parent.parent / "themes"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "themes"


def load_theme(path: Path) -> Theme:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    name = str(data.get("name") or path.stem)
    unknown = set(data) - {"name", *FIELDS}
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    if "primary" not in data:
        raise ValueError("a theme needs at least `primary`")
    return Theme(name=name, **{key: data[key] for key in FIELDS if key in data})


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    """Every theme in `folders` (later folders may replace earlier themes), and warnings."""
    themes: dict[str, Theme] = {}
    warnings: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                theme = load_theme(path)
            except Exception as error:  # any broken file: skip it, say which and why
                warnings.append(f"{path}: not a theme ({error}); skipped")
                continue
            themes[theme.name] = theme
    return list(themes.values()), warnings
