#!/usr/bin/env python3
"""Reference values for Yuen's trimmed t-test in pqbench-stats (yuen.rs),
computed with SciPy's `ttest_ind(a, b, equal_var=False, trim=...)`.

Usage:
    python3 scripts/stats-ref/yuen_reference.py            # writes yuen_reference.json
    python3 scripts/stats-ref/yuen_reference.py --out F    # writes F instead

Cases: seeded normal samples (log per-replication medians around 0, 0.5 %
spread) of 2 to 25 values per side, some with one or two disturbed values
(+15 % to +55 % in log), trims 0, 0.1, 0.2 and 0.3; for each the statistic,
Welch df, two-sided p-value, the difference of trimmed means
(`scipy.stats.trim_mean`) and the 95 % interval (`confidence_interval`).
The Rust test `harness/stats/tests/yuen_reference.rs` recomputes them.
"""

import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent


def main():
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else HERE / "yuen_reference.json"
    rng = np.random.default_rng(20261130)
    cases = []
    for na, nb in [(2, 2), (3, 4), (5, 5), (6, 9), (10, 10), (12, 8), (16, 16), (20, 20), (25, 21)]:
        for disturbed in (0, 1, 2):
            a = rng.normal(0.01, 0.005, na)
            b = rng.normal(0.0, 0.005, nb)
            for k in range(min(disturbed, na - 1)):
                a[k] += np.log1p(rng.uniform(0.15, 0.55))
            for trim in (0.0, 0.1, 0.2, 0.3):
                g = [int(trim * n) for n in (na, nb)]
                if min(na - 2 * g[0], nb - 2 * g[1]) < 2:
                    continue
                r = stats.ttest_ind(a, b, equal_var=False, trim=trim)
                lo, hi = r.confidence_interval(0.95)
                cases.append({
                    "a": a.tolist(), "b": b.tolist(), "trim": trim,
                    "t": float(r.statistic), "df": float(r.df), "p": float(r.pvalue),
                    "estimate": float(stats.trim_mean(a, trim) - stats.trim_mean(b, trim)),
                    "lo": float(lo), "hi": float(hi),
                })
    data = {"scipy": scipy.__version__, "cases": cases}
    out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {out}: {len(cases)} cases (SciPy {scipy.__version__})")


if __name__ == "__main__":
    main()
