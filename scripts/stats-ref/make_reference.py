#!/usr/bin/env python3
"""Reference values for pqbench-stats, computed with SciPy/NumPy.

Usage:
    python3 scripts/stats-ref/make_reference.py            # writes reference.json
    python3 scripts/stats-ref/make_reference.py --datasets # (re)creates datasets.json first
    python3 scripts/stats-ref/make_reference.py --out F    # writes F instead (CI re-check)

`datasets.json` holds fixed datasets (generated once from seeded NumPy
generators and rounded to 6 decimals, then committed: the datasets are data,
not code). `reference.json` holds what SciPy/NumPy compute on them; the Rust
test `harness/stats/tests/scipy_reference.rs` recomputes every value and
compares to 1e-6 (relative, or absolute for values near 0).

Where SciPy has no function (Cliff's delta, Holm), the reference is a
brute-force NumPy computation written independently of the Rust code (an
O(m n) pair loop). The Hodges-Lehmann interval is checked against R's
`wilcox.test(conf.int = TRUE)` instead (scripts/stats-ref/hl_reference.R).
"""

import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent


def make_datasets():
    rng = np.random.default_rng(20261122)
    r = lambda a: [round(float(v), 6) for v in a]
    d = {
        # two-sample pairs: (x, y)
        "lognormal_small": [r(rng.lognormal(4.6, 0.05, 5)), r(rng.lognormal(4.62, 0.05, 6))],
        "lognormal_exact8": [r(rng.lognormal(0.0, 0.2, 8)), r(rng.lognormal(0.1, 0.2, 12))],
        "lognormal_large": [r(rng.lognormal(10.0, 0.1, 40)), r(rng.lognormal(10.02, 0.12, 35))],
        "ties_integer": [
            [float(v) for v in rng.integers(95, 105, 20)],
            [float(v) for v in rng.integers(96, 106, 25)],
        ],
        "bimodal": [
            r(np.where(rng.random(30) < 0.3, rng.normal(130, 2, 30), rng.normal(100, 2, 30))),
            r(np.where(rng.random(30) < 0.3, rng.normal(131, 2, 30), rng.normal(101, 2, 30))),
        ],
        "heavy_tail": [
            r(100 + np.abs(rng.standard_t(2, 15)) * 5),
            r(100 + np.abs(rng.standard_t(2, 18)) * 5),
        ],
        "tiny_exact": [[1.2, 3.4, 2.2], [4.1, 5.0, 2.9, 6.3]],
        # paired ratios (one per A/B round)
        "paired": {
            "rounds12": r(np.exp(rng.normal(0.01, 0.02, 12))),
            "rounds60": r(np.exp(rng.normal(-0.005, 0.01, 60))),
            "rounds_ties": [1.01, 0.99, 1.01, 1.02, 0.98, 1.03, 1.01, 1.0, 1.02, 0.99, 1.02, 1.01],
        },
        "pvalues": [0.001, 0.04, 0.03, 0.2, 0.0004, 0.5, 0.012, 0.049, 0.9, 0.0101],
        "quantile_data": r(rng.lognormal(3.0, 0.5, 101)),
    }
    (HERE / "datasets.json").write_text(json.dumps(d, indent=1) + "\n")


def cliffs(x, y):
    s = 0
    for xi in x:
        for yj in y:
            s += (yj > xi) - (yj < xi)
    return s / (len(x) * len(y))


def holm(p):
    p = np.asarray(p)
    m = len(p)
    o = np.argsort(p, kind="stable")
    adj = np.minimum(1, np.maximum.accumulate(p[o] * (m - np.arange(m))))
    out = np.empty(m)
    out[o] = adj
    return out.tolist()


def main():
    if "--datasets" in sys.argv or not (HERE / "datasets.json").exists():
        make_datasets()
    d = json.loads((HERE / "datasets.json").read_text())
    ref = {"scipy_version": scipy.__version__, "numpy_version": np.__version__, "two_sample": {}, "paired": {}}
    for name, pair in d.items():
        if name in ("paired", "pvalues", "quantile_data"):
            continue
        x, y = pair
        e = {}
        for method in ("auto", "asymptotic"):
            res = stats.mannwhitneyu(x, y, alternative="two-sided", method=method)
            e[f"mw_{method}"] = {"u": float(res.statistic), "p": float(res.pvalue)}
        if len(set(x + y)) == len(x + y) and min(len(x), len(y)) <= 8:
            res = stats.mannwhitneyu(x, y, method="exact")
            e["mw_exact"] = {"u": float(res.statistic), "p": float(res.pvalue)}
        lx, ly = np.log(x), np.log(y)
        w = stats.ttest_ind(lx, ly, equal_var=False)
        ci = w.confidence_interval(0.95)
        e["welch_log"] = {"t": float(w.statistic), "df": float(w.df), "p": float(w.pvalue), "lo": float(ci.low), "hi": float(ci.high)}
        e["cliffs_delta"] = cliffs(x, y)
        ref["two_sample"][name] = e
    for name, r in d["paired"].items():
        l = np.log(r)
        t = stats.ttest_1samp(l, 0.0)
        ci = t.confidence_interval(0.95)
        e = {"t": float(t.statistic), "df": float(t.df), "p": float(t.pvalue), "geomean": float(np.exp(l.mean())), "geomean_lo": float(np.exp(ci.low)), "geomean_hi": float(np.exp(ci.high))}
        nz = l[l != 0]
        has_ties = len(np.unique(np.abs(nz))) < len(nz) or len(nz) < len(l)
        if has_ties or len(nz) > 50:
            wr = stats.wilcoxon(l, method="asymptotic", correction=False, zero_method="wilcox")
            e["wilcoxon_method"] = "asymptotic"
        else:
            wr = stats.wilcoxon(l, method="exact")
            e["wilcoxon_method"] = "exact"
        e["wilcoxon"] = {"statistic": float(wr.statistic), "p": float(wr.pvalue)}
        k = int((l > 0).sum())
        n = int((l != 0).sum())
        e["sign_p"] = float(stats.binomtest(k, n, 0.5).pvalue)
        ref["paired"][name] = e
    p = d["pvalues"]
    ref["holm"] = holm(p)
    ref["bh"] = stats.false_discovery_control(p, method="bh").tolist()
    q = d["quantile_data"]
    ref["quantiles"] = {str(qq): float(np.quantile(q, qq)) for qq in (0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0)}
    ref["geometric_mean"] = float(stats.gmean(q))
    out = HERE / "reference.json"
    if "--out" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--out") + 1])
    out.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {out} (SciPy {scipy.__version__})")


if __name__ == "__main__":
    main()
