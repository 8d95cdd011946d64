"""`python -m switcher` and the `switcher` console script."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["__complete"]:  # a shell waits on this: skip the command line's imports
        from switcher.target_names import answer

        sys.exit(answer(sys.argv[2:]))
    if sys.argv[1:2] in (["credential-process"], ["env"], ["exec"], ["list"]):
        # The warm front door: served from the credential or inventory cache without loading
        # the command line (or botocore); None when the full command line has to take it.
        from switcher.hotpath import warm_main

        status = warm_main(sys.argv[1:])
        if status is not None:
            sys.exit(status)
    from switcher.cli import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
