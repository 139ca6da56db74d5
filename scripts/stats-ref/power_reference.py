#!/usr/bin/env python3
"""Reference values for the t-test power in pqbench-stats (t_power.rs),
computed with SciPy's noncentral t (`scipy.stats.nct`).

Usage:
    python3 scripts/stats-ref/power_reference.py            # writes power_reference.json
    python3 scripts/stats-ref/power_reference.py --out F    # writes F instead

Cases: the noncentral t CDF on a grid of (t, df, nc) including fractional
(Welch) df; the power of the two-sided t test, 1 - nct.cdf(tc) + nct.cdf(-tc)
with tc = t.ppf(1 - alpha/2, df) (the lower tail as
nct.sf(tc, df, -nc)); the standardised shift with 80 % / 90 %
power (scipy.optimize.brentq on that power); and the replications per side
Welch's test needs (a plain loop over n, independent of the Rust bisection).
The Rust test `harness/stats/tests/power_reference.rs` recomputes them.
"""

import json
import sys
from pathlib import Path

import scipy
from scipy import optimize, stats

HERE = Path(__file__).resolve().parent


def power(nc, df, alpha):
    tc = stats.t.ppf(1 - alpha / 2, df)
    # P(T' < -tc; nc) written as P(T' > tc; -nc): SciPy's nct.cdf returns
    # NaN far in the lower tail, its sf does not.
    return float(stats.nct.sf(tc, df, nc) + stats.nct.sf(tc, df, -nc))


def welch_df(va, na, vb, nb):
    a, b = va / na, vb / nb
    return (a + b) ** 2 / (a * a / (na - 1) + b * b / (nb - 1))


def needed(delta, va, vb, alpha, pw, max_n):
    for n in range(2, max_n + 1):
        se = ((va + vb) / n) ** 0.5
        if power(abs(delta) / se, welch_df(va, n, vb, n), alpha) >= pw:
            return n
    return None


def main():
    out = HERE / "power_reference.json"
    if "--out" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--out") + 1])
    cdf = [
        {"t": t, "df": df, "nc": nc, "cdf": float(stats.nct.cdf(t, df, nc))}
        for t in (-3.0, -1.2, 0.0, 0.7, 2.5, 6.0)
        for df in (1.0, 1.7, 3.0, 8.4, 18.0, 60.0)
        for nc in (-2.0, 0.0, 1.5, 4.0)
    ]
    pw = [
        {"nc": nc, "df": df, "alpha": a, "power": power(nc, df, a)}
        for nc in (0.5, 2.0, 3.5, 6.0)
        for df in (1.3, 4.0, 9.7, 38.0)
        for a in (0.05, 0.001)
    ]
    det = []
    for df in (2.5, 4.0, 6.2, 18.0, 100.0):
        for a in (0.05, 0.01, 0.001):
            for p in (0.8, 0.9):
                hi = 1.0
                while power(hi, df, a) < p:
                    hi *= 1.5
                nc = optimize.brentq(lambda d: power(d, df, a) - p, 0.0, hi, xtol=1e-12)
                det.append({"df": df, "alpha": a, "power": p, "nc": nc})
    need = [
        {"delta": d, "va": va, "vb": vb, "alpha": a, "power": 0.8, "max_n": 2000,
         "n": needed(d, va, vb, a, 0.8, 2000)}
        for d in (0.005, 0.02)
        for (va, vb) in ((1e-4, 1e-4), (4e-4, 1e-5), (2.5e-5, 2.5e-5))
        for a in (0.05, 0.005)
    ]
    ref = {
        "scipy": scipy.__version__,
        "cdf": cdf,
        "power": pw,
        "detectable_nc": det,
        "replications_needed": need,
    }
    out.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {out}: {len(cdf)} cdf, {len(pw)} power, {len(det)} detectable, {len(need)} needed")


if __name__ == "__main__":
    main()
