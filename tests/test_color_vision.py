"""The environments' colours stay apart for people with common colour-vision deficiencies:
the simulation and distance are checked against published values, then the palettes."""

from __future__ import annotations

import pytest

from switcher.color_vision import VISIONS, ciede2000, closest_pair, seen
from switcher.environments import (
    ACCESSIBLE_DISTANCE,
    ACCESSIBLE_PALETTE,
    CONSOLE_PALETTE,
    readable_foreground,
)
from switcher.model import Environment


@pytest.mark.parametrize(("first", "second", "expected"), [
    # Sharma, Wu and Dalal (2005), the CIEDE2000 test data: pairs 1, 7, 17, 34
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(
        first: tuple[float, float, float], second: tuple[float, float, float],
        expected: float) -> None:
    assert ciede2000(first, second) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(second, first) == pytest.approx(expected, abs=1e-4)


def test_the_simulations_lose_what_each_deficiency_loses() -> None:
    # The console's red and green are far apart, but not to a protanope or a deuteranope;
    # blue and bluish green stay apart for them, and come close for a tritanope.
    red_green = {"red": "#f2b0a9", "green": "#b7ca9d"}
    assert closest_pair(red_green)[0] > 30
    assert closest_pair(red_green, "protanopia")[0] < 10
    assert closest_pair(red_green, "deuteranopia")[0] < 3
    assert closest_pair(red_green, "tritanopia")[0] > 30
    blue_green = {"blue": "#0072b2", "green": "#009e73"}
    assert closest_pair(blue_green, "deuteranopia")[0] > 30
    assert closest_pair(blue_green, "tritanopia")[0] < 15
    white = seen("#ffffff", "deuteranopia")
    assert white[0] == pytest.approx(100, abs=0.5)  # white stays white


@pytest.mark.parametrize("vision", VISIONS)
def test_the_accessible_palette_keeps_environments_apart(vision: str) -> None:
    palette = {environment.value: color for environment, color in ACCESSIBLE_PALETTE.items()}
    distance, first, second = closest_pair(palette, vision)
    assert distance >= ACCESSIBLE_DISTANCE, (first, second)


def test_the_console_palette_does_not_and_is_kept_for_who_wants_it() -> None:
    palette = {environment.value: color for environment, color in CONSOLE_PALETTE.items()}
    assert closest_pair(palette, "deuteranopia")[0] < 5  # why the accessible one exists


def test_production_is_the_warmest_and_every_label_is_readable() -> None:
    redness = {environment: seen(color)[1] for environment, color in ACCESSIBLE_PALETTE.items()}
    assert max(redness, key=lambda environment: redness[environment]) is Environment.PRODUCTION
    for color in ACCESSIBLE_PALETTE.values():
        assert _contrast(color, readable_foreground(color)) >= 4.5


def _contrast(first: str, second: str) -> float:
    def luminance(color: str) -> float:
        def channel(index: int) -> float:
            value = int(color[1 + 2 * index : 3 + 2 * index], 16) / 255
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
