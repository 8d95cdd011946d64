"""Run every benchmark: `./dev bench` (add --with-throttle for the 20 requests/s case)."""

from __future__ import annotations

import sys

from bench import cache, cold_start, console, discovery, populate, tui


def main() -> None:
    print("== inventory cache ==")
    cache.main()
    print("== app ==")
    tui.main()
    print("== no cache ==")
    cold_start.main(runs=1)
    print("== console ==")
    console.main()
    print("== populate ==")
    populate.main()
    print("== discovery ==")
    discovery.main(sys.argv[1:])


if __name__ == "__main__":
    main()
