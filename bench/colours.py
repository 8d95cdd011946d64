"""How far apart the environments' colours stay for people with colour-vision deficiencies:
the smallest CIEDE2000 distance between any two environments, with normal vision and under
protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1.0), for each palette
`[app] palette` offers. The accessible palette is held to ACCESSIBLE_DISTANCE by a unit test.
Pure arithmetic: a fraction of a second, no emulator.

    python -m bench.colours
"""

from __future__ import annotations

from switcher.color_vision import VISIONS, closest_pair
from switcher.environments import ACCESSIBLE_DISTANCE, PALETTES


def main() -> None:
    print(f"smallest CIEDE2000 distance between two environments (threshold for the "
          f"accessible palette: {ACCESSIBLE_DISTANCE:g})")
    print(f"{'vision':<14}" + "".join(f"{name:>34}" for name in PALETTES))
    for vision in VISIONS:
        cells = []
        for palette in PALETTES.values():
            distance, first, second = closest_pair(
                {environment.value: color for environment, color in palette.items()}, vision)
            cells.append(f"{distance:6.1f} ({first} / {second})")
        print(f"{vision:<14}" + "".join(f"{cell:>34}" for cell in cells))


if __name__ == "__main__":
    main()
