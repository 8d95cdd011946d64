"""Writing profiles for every target into an AWS config (`switcher populate`)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.cache import synthetic_targets
from switcher.store import populate


def main() -> None:
    print(f"{'populate':<34} {'profiles':>8} {'median':>8} {'min':>8} {'max':>8}")
    for accounts in (500, 2000):
        targets = synthetic_targets(accounts)
        times = []
        for _ in range(5):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "config"
                path.write_text("[default]\nregion = us-east-1\n")
                started = time.perf_counter()
                result, _ = populate.apply(path, targets, lambda _config: {})
                times.append(time.perf_counter() - started)
        print(f"{f'{accounts:,} accounts x 3 roles':<34} {len(result.profiles):>8,} "
              f"{statistics.median(times) * 1000:>6.0f}ms {min(times) * 1000:>6.0f}ms "
              f"{max(times) * 1000:>6.0f}ms")


if __name__ == "__main__":
    main()
