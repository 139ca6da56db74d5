#!/usr/bin/env python3
"""Independent NumPy check of the bootstrap ratios of `pqbench compare`.

Recomputes, for some rows of a comparison, the percentile bootstrap of the
ratios (new / base) of the pooled median, mean and p99 the naive way:
every replicate draws each side's replications with replacement, concatenates
their samples (a replication drawn twice appears twice; a side with a single
replication resamples its samples instead), and takes np.median / np.mean /
np.quantile(0.99) (NumPy's default "linear" rule). It shares no code with
pqbench, only the definition. The random streams differ, so bounds agree to
Monte-Carlo error only: each difference is printed in units of the NumPy
interval's width.

    pqbench compare BASE NEW --resamples 20000 --json cmp.json
    python3 scripts/stats-ref/bootstrap_reference.py BASE NEW cmp.json [--rows 12] [--resamples 4000]
"""
import argparse
import json

import numpy as np


def sides(path):
    with open(path) as f:
        d = json.load(f)
    return {
        f"{r['id']}@{r['target']}": [np.asarray(p["samples"], float) for p in r["processes"]]
        for r in d["results"]
        if r["processes"]
    }


def stats(v, tail):
    return np.median(v), np.mean(v), np.quantile(v, tail)


def replicate(groups, rng):
    if len(groups) == 1:
        g = groups[0]
        return g[rng.integers(0, len(g), len(g))]
    pick = rng.integers(0, len(groups), len(groups))
    return np.concatenate([groups[i] for i in pick])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("comparison", help="pqbench compare --json output")
    ap.add_argument("--rows", type=int, default=12)
    ap.add_argument("--resamples", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    base, new = sides(a.base), sides(a.new)
    with open(a.comparison) as f:
        cmp = json.load(f)
    conf = cmp["options"]["bootstrap"]["confidence"]
    tail = cmp["options"]["bootstrap"]["tail_quantile"]
    lo_q, hi_q = 100 * (1 - conf) / 2, 100 * (1 + conf) / 2
    rows = [r for r in cmp["rows"] if r.get("stats")][: a.rows]
    rng = np.random.default_rng(a.seed)
    worst_est, diffs = 0.0, []
    print(f"{'benchmark':48} {'stat':6} {'pqbench lo..hi':>22} {'numpy lo..hi':>22} {'d_lo/w':>7} {'d_hi/w':>7}")
    for r in rows:
        key = f"{r['id']}@{r['target']}"
        b, n = base[key], new[key]
        obs = np.array(stats(np.concatenate(n), tail)) / np.array(stats(np.concatenate(b), tail))
        reps = np.array(
            [
                np.array(stats(replicate(n, rng), tail)) / np.array(stats(replicate(b, rng), tail))
                for _ in range(a.resamples)
            ]
        )
        for k, name in enumerate(["median", "mean", "tail"]):
            got = r["stats"]["ratios"][name]
            lo, hi = np.percentile(reps[:, k], [lo_q, hi_q])
            w = max(hi - lo, 1e-300)
            worst_est = max(worst_est, abs(got["estimate"] - obs[k]) / obs[k])
            dlo, dhi = (got["lo"] - lo) / w, (got["hi"] - hi) / w
            diffs += [abs(dlo), abs(dhi)]
            print(
                f"{key[:48]:48} {name:6} {got['lo']:10.5f}..{got['hi']:<10.5f} {lo:10.5f}..{hi:<10.5f} {dlo:7.3f} {dhi:7.3f}"
            )
    d = np.array(diffs)
    print(
        f"\n{len(rows)} rows x 3 statistics: estimates agree to {worst_est:.1e} (relative); "
        f"bounds differ by median {np.median(d):.3f}, 95th percentile {np.percentile(d, 95):.3f}, "
        f"max {d.max():.3f} interval widths ({a.resamples} NumPy resamples)"
    )


if __name__ == "__main__":
    main()
