"""Textual's own leaks, closed where the app starts (textual 8.2).

`StylesCache.get_inner_outer` is an lru_cache on a method, so its key holds the instance:
the style cache of every widget ever drawn (with the lines it had cached) stayed alive after
the widget was removed, up to 1,024 of them. Every dialog opened, and the footer composed again
on each, made new widgets. The answer depends on the two colours only: cached by them alone."""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return (Style(background=base_background + background), Style(background=base_background))


def _get_inner_outer(_cache: StylesCache, base_background: Color,
                     background: Color) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def apply() -> None:
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
