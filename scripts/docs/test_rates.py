#!/usr/bin/env python3
"""The intervals of rates.py against SciPy, and the trial bootstrap's
properties (run by scripts/test.d/80-docs.sh)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rates  # noqa: E402
from scipy.stats import binomtest  # noqa: E402


def main():
    worst = 0.0
    for n in (1, 4, 24, 96, 400):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            if not 0 <= k <= n:
                continue
            ref = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
            lo, hi = rates.exact(k, n)
            worst = max(worst, abs(lo - ref.low), abs(hi - ref.high))
    assert worst < 1e-9, f"Clopper-Pearson differs from SciPy by {worst}"
    # Identical trials: no spread; one trial with every miss: wider than
    # the binomial interval of the same counts (rows of a trial move together).
    assert rates.by_trial([4] * 24, [4] * 24) == (1.0, 1.0)
    ks = [4] * 23 + [0]
    clustered = rates.by_trial(ks, [4] * 24)
    spread = rates.by_trial([4] * 20 + [3] * 4, [4] * 24)
    assert clustered[0] < spread[0] <= 92 / 96 < clustered[1], (clustered, spread)
    assert rates.by_trial(ks, [4] * 24) == clustered, "seeded"
    print(f"rates: Clopper-Pearson equals SciPy's exact interval (max difference {worst:.1e}); "
          f"trial bootstrap of 92/96 in one trial {clustered}, spread over four {spread}")


if __name__ == "__main__":
    main()
