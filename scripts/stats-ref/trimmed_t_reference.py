#!/usr/bin/env python3
"""Reference values for the one-sample trimmed t-test in pqbench-stats
(`trimmed_one_sample_t`, yuen.rs; the `trimmed` test of the paired modes),
computed with SciPy's masked-array statistics: the trimmed mean of
`mstats.trimr`, the standard error of `mstats.trimmed_stde` and the interval
of `mstats.trimmed_mean_ci` (Tukey–McLaughlin: winsorized SD over
(1 - 2 trim) sqrt(n), df = n - 2g - 1). SciPy has no p-value for it; the
reference p is 2 t.sf(|tmean / stde|, df) from those two SciPy values.

Usage:
    python3 scripts/stats-ref/trimmed_t_reference.py          # writes trimmed_t_reference.json
    python3 scripts/stats-ref/trimmed_t_reference.py --out F  # writes F instead

Cases: seeded normal log ratios around +1 % (0.3 % spread), 3 to 30
values, some with one to three outlying replications (+-3 % to +-20 % in
log), trims 0.1, 0.2 and 0.3. The Rust test
`harness/stats/tests/trimmed_t_reference.rs` recomputes them.
"""

import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats
from scipy.stats import mstats

HERE = Path(__file__).resolve().parent


def main():
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else HERE / "trimmed_t_reference.json"
    rng = np.random.default_rng(20261201)
    cases = []
    for n in (3, 4, 5, 6, 8, 10, 12, 16, 20, 30):
        for outliers in (0, 1, 3):
            x = rng.normal(0.01, 0.003, n)
            for k in range(min(outliers, n - 2)):
                x[k] += rng.choice([-1, 1]) * rng.uniform(0.03, 0.2)
            for trim in (0.1, 0.2, 0.3):
                g = int(trim * n)
                if n - 2 * g < 2:
                    continue
                limits = (trim, trim)
                tmean = float(mstats.trimr(x, limits=limits, inclusive=(True, True)).mean())
                stde = float(mstats.trimmed_stde(x, limits=limits, inclusive=(True, True)))
                lo, hi = mstats.trimmed_mean_ci(x, limits=limits, inclusive=(True, True), alpha=0.05)
                df = n - 2 * g - 1
                t = tmean / stde
                cases.append({
                    "x": x.tolist(), "trim": trim, "estimate": tmean, "std_err": stde,
                    "df": df, "t": t, "p": float(2 * stats.t.sf(abs(t), df)),
                    "lo": float(lo), "hi": float(hi),
                })
    data = {"scipy": scipy.__version__, "cases": cases}
    out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {out}: {len(cases)} cases (SciPy {scipy.__version__})")


if __name__ == "__main__":
    main()
