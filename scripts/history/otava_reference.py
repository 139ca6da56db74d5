#!/usr/bin/env python3
"""Change points of Apache Otava on shared synthetic series.

Writes JSON with the series (values and known shift indexes) and the change
point indexes Otava's original E-divisive means with the permutation test
finds (otava.change_point_divisive: PairDistanceCalculator,
PermutationsSignificanceTester), at the same level and number of
permutations that `pqbench history changes` uses in the comparison.
harness/tests/integration/history_otava.rs compares pqbench's indexes with these.

    PYTHONPATH=scripts/.cache/otava python3 scripts/history/otava_reference.py OUT.json
    (--series-only: the series without running Otava)

The committed scripts/history/otava-reference.json was made with
apache-otava 0.8.0; scripts/test.d/50-history.sh regenerates it when Otava
is installed and runs the Rust comparison on the fresh file.
"""
import json
import sys

import numpy as np

ALPHA = 0.01
PERMUTATIONS = 199


def series():
    """(name, values, true change indexes): relative noise sd 1 %, level
    shifts of 2 % to 10 %, lengths 30 to 150, plus two series without change."""
    specs = [
        ("one-up-5pct", [(40, 100.0), (40, 105.0)]),
        ("one-down-3pct", [(50, 100.0), (30, 97.0)]),
        ("two-steps", [(30, 100.0), (30, 104.0), (30, 101.0)]),
        ("three-steps", [(40, 100.0), (25, 110.0), (35, 106.0), (50, 100.0)]),
        ("early-shift", [(8, 100.0), (52, 104.0)]),
        ("late-shift", [(55, 100.0), (10, 96.0)]),
        ("small-2pct-long", [(75, 100.0), (75, 102.0)]),
        ("short-30", [(15, 100.0), (15, 106.0)]),
        ("up-then-back", [(35, 100.0), (20, 108.0), (35, 100.0)]),
        ("ramp-of-steps", [(20, 100.0), (20, 103.0), (20, 106.0), (20, 109.0)]),
        ("no-change-60", [(60, 100.0)]),
        ("no-change-120", [(120, 100.0)]),
    ]
    out = []
    for k, (name, levels) in enumerate(specs):
        rng = np.random.default_rng(1000 + k)
        values, changes, at = [], [], 0
        for length, level in levels:
            if at:
                changes.append(at)
            values.extend(level * (1.0 + 0.01 * rng.standard_normal(length)))
            at += length
        out.append({"name": name, "values": [float(v) for v in values], "true_changes": changes})
    return out


def otava_indexes(values):
    from otava.change_point_divisive.calculator import PairDistanceCalculator
    from otava.change_point_divisive.detector import ChangePointDetector
    from otava.change_point_divisive.significance_test import PermutationsSignificanceTester

    tester = PermutationsSignificanceTester(
        max_pvalue=ALPHA, permutations=PERMUTATIONS, calculator=PairDistanceCalculator, seed=1
    )
    detector = ChangePointDetector(significance_tester=tester, calculator=PairDistanceCalculator)
    return sorted(int(cp.index) for cp in detector.get_change_points(series=np.array(values)))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    only_series = "--series-only" in sys.argv
    data = {"alpha": ALPHA, "permutations": PERMUTATIONS, "series": series()}
    if not only_series:
        from importlib.metadata import version

        data["otava_version"] = version("apache-otava")
        for s in data["series"]:
            s["otava"] = otava_indexes(s["values"])
    with open(sys.argv[1], "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    for s in data["series"]:
        print(f"{s['name']:<18} true {s['true_changes']}  otava {s.get('otava')}")


if __name__ == "__main__":
    main()
