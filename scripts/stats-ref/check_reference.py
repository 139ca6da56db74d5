#!/usr/bin/env python3
"""Recomputes the SciPy reference values from the committed datasets and
checks that they equal the committed reference.json (relative 1e-9; the
SciPy/NumPy version may differ from the one that wrote the file), so the
values the Rust tests compare against really are SciPy's.

The comparison is symmetric (a key or element missing on either side
fails) and the expected numbers of datasets and cases, and every vector's
length, are checked first: an empty or truncated reference cannot pass.

Usage: python3 scripts/stats-ref/check_reference.py [--committed FILE]
       (--committed checks FILE instead of the committed reference.json;
       the self-test in scripts/test.d/20-evidence.sh feeds it a truncated
       copy and expects exit 1)
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# What the committed files must hold (the Rust test records the same).
TWO_SAMPLE = {"lognormal_small": (5, 6), "lognormal_exact8": (8, 12), "lognormal_large": (40, 35),
              "ties_integer": (20, 25), "bimodal": (30, 30), "heavy_tail": (15, 18),
              "tiny_exact": (3, 4)}
PAIRED = {"rounds12": 12, "rounds60": 60, "rounds_ties": 12}
PVALUES = 10
QUANTILE_DATA = 101
QUANTILES = 8


def shape_errors(data, ref):
    bad = []
    for name, (nx, ny) in TWO_SAMPLE.items():
        pair = data.get(name)
        if not isinstance(pair, list) or len(pair) != 2 or [len(pair[0]), len(pair[1])] != [nx, ny]:
            bad.append(f"datasets.{name}: expected lengths ({nx}, {ny})")
    for name, n in PAIRED.items():
        if len(data.get("paired", {}).get(name, [])) != n:
            bad.append(f"datasets.paired.{name}: expected length {n}")
    if len(data.get("pvalues", [])) != PVALUES:
        bad.append(f"datasets.pvalues: expected length {PVALUES}")
    if len(data.get("quantile_data", [])) != QUANTILE_DATA:
        bad.append(f"datasets.quantile_data: expected length {QUANTILE_DATA}")
    if sorted(ref.get("two_sample", {})) != sorted(TWO_SAMPLE):
        bad.append(f"reference.two_sample: cases {sorted(ref.get('two_sample', {}))}, expected {sorted(TWO_SAMPLE)}")
    if sorted(ref.get("paired", {})) != sorted(PAIRED):
        bad.append(f"reference.paired: cases {sorted(ref.get('paired', {}))}, expected {sorted(PAIRED)}")
    for key in ("holm", "bh"):
        if len(ref.get(key, [])) != PVALUES:
            bad.append(f"reference.{key}: expected length {PVALUES}")
    if len(ref.get("quantiles", {})) != QUANTILES:
        bad.append(f"reference.quantiles: expected {QUANTILES} levels")
    if not isinstance(ref.get("geometric_mean"), float):
        bad.append("reference.geometric_mean: missing")
    return bad


def walk(a, b, path, bad):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k.endswith("_version"):
                continue
            if k not in b:
                bad.append(f"{path}.{k}: not in the fresh computation")
            elif k not in a:
                bad.append(f"{path}.{k}: missing from the committed reference")
            else:
                walk(a[k], b[k], f"{path}.{k}", bad)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            bad.append(f"{path}: length {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", bad)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        if abs(a - b) > 1e-9 * max(1.0, abs(a)):
            bad.append(f"{path}: committed {a} vs recomputed {b}")
    elif a != b:
        bad.append(f"{path}: committed {a!r} vs recomputed {b!r}")


def main():
    committed_path = HERE / "reference.json"
    if "--committed" in sys.argv:
        committed_path = Path(sys.argv[sys.argv.index("--committed") + 1])
    try:
        committed = json.loads(committed_path.read_text())
        data = json.loads((HERE / "datasets.json").read_text())
    except (OSError, ValueError) as e:
        print(f"cannot read the committed reference or datasets: {e}")
        return 1
    if not isinstance(committed, dict) or not isinstance(data, dict):
        print("reference.json and datasets.json must hold JSON objects")
        return 1
    bad = shape_errors(data, committed)
    if bad:
        print("committed SciPy reference or datasets incomplete:", *bad[:20], sep="\n  ")
        return 1
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "reference.json"
        subprocess.run([sys.executable, str(HERE / "make_reference.py"), "--out", str(out)], check=True)
        fresh = json.loads(out.read_text())
    bad = []
    walk(committed, fresh, "reference", bad)
    if bad:
        print("committed SciPy references differ from a fresh computation:", *bad[:20], sep="\n  ")
        return 1
    print(f"committed SciPy reference values reproduced (SciPy {fresh['scipy_version']}): "
          f"{len(TWO_SAMPLE)} two-sample cases, {len(PAIRED)} paired, {PVALUES} p-values, {QUANTILES} quantiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
