"""`python -m switcher` and the `switcher` console script."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["__complete"]:  # a shell waits on this: skip the command line's imports
        from switcher.target_names import answer

        sys.exit(answer(sys.argv[2:]))
    from switcher.cli import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
