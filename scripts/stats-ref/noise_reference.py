#!/usr/bin/env python3
"""Recomputes the process-level variance of `pqbench compare --json` with
NumPy/SciPy, independently of the Rust code, and reports the worst relative
difference (between-replication SD, within-replication SD, minimal
detectable change).

Usage:
    pqbench compare BASE NEW --json cmp.json
    python3 scripts/stats-ref/noise_reference.py BASE NEW cmp.json

Definitions (harness/stats/src/replication_noise.rs): SDs of log
per-replication medians; within = RMS over replications of
sqrt(pi/2) * 1.4826 * MAD(log samples) / sqrt(n), pooled over the sides with
weights n - 1; MDC = exp(d * se) - 1 where d solves
nct.sf(tc, df, d) + nct.sf(tc, df, -d) = power, tc = t.ppf(1 - alpha/2, df),
df and se Welch's.
"""

import json
import math
import sys

import numpy as np
from scipy import optimize, stats


def side(result):
    med = np.log([np.median(p["samples"]) for p in result["processes"]])
    w = []
    for p in result["processes"]:
        x = np.log(p["samples"])
        if len(x) >= 2:
            mad = np.median(np.abs(x - np.median(x)))
            w.append((math.sqrt(math.pi / 2) * 1.482602218505602 * mad / math.sqrt(len(x))) ** 2)
    return med, (np.mean(w) if w else float("nan"))


def main():
    base, new, cmp_ = (json.load(open(p)) for p in sys.argv[1:4])
    b = {(r["id"], r["target"]): r for r in base["results"]}
    n = {(r["id"], r["target"]): r for r in new["results"]}
    worst, rows = 0.0, 0
    for row in cmp_["rows"]:
        z = row.get("replication_noise")
        if not z:
            continue
        key = (row["id"], row["target"])
        (mb, wb), (mn, wn) = side(b[key]), side(n[key])
        vb, vn = np.var(mb, ddof=1), np.var(mn, ddof=1)
        nb, nn = len(mb), len(mn)
        pool = lambda x, y: ((nb - 1) * x + (nn - 1) * y) / (nb + nn - 2)
        between, within = math.sqrt(pool(vb, vn)), math.sqrt(pool(wb, wn))
        se = math.sqrt(vb / nb + vn / nn)
        df = (vb / nb + vn / nn) ** 2 / ((vb / nb) ** 2 / (nb - 1) + (vn / nn) ** 2 / (nn - 1))
        a, pw = z["alpha_effective"], z["power"]
        tc = stats.t.ppf(1 - a / 2, df)
        d = optimize.brentq(lambda x: stats.nct.sf(tc, df, x) + stats.nct.sf(tc, df, -x) - pw, 0, 200)
        mdc = math.exp(d * se) - 1
        diffs = [abs(between - z["between"]) / between, abs(mdc - z["mdc"]) / mdc]
        if isinstance(z["within"], float) and within > 0:
            diffs.append(abs(within - z["within"]) / within)
        worst = max(worst, *diffs)
        rows += 1
    print(f"{rows} rows; worst relative difference {worst:.2e}")
    sys.exit(0 if rows and worst < 1e-6 else 1)


if __name__ == "__main__":
    main()
