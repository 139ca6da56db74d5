#!/usr/bin/env python3
"""Recomputes the SciPy reference values from the committed datasets and
checks that they equal the committed reference.json (relative 1e-9; the
SciPy/NumPy version may differ from the one that wrote the file), so the
values the Rust tests compare against really are SciPy's.

Usage: python3 scripts/stats-ref/check_reference.py
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def walk(a, b, path, bad):
    if isinstance(a, dict):
        for k in a:
            if k.endswith("_version"):
                continue
            if k not in b:
                bad.append(f"{path}.{k}: missing")
            else:
                walk(a[k], b[k], f"{path}.{k}", bad)
    elif isinstance(a, list):
        if len(a) != len(b):
            bad.append(f"{path}: length {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", bad)
    elif isinstance(a, float) or isinstance(b, float):
        if abs(a - b) > 1e-9 * max(1.0, abs(a)):
            bad.append(f"{path}: committed {a} vs recomputed {b}")
    elif a != b:
        bad.append(f"{path}: committed {a} vs recomputed {b}")


with tempfile.TemporaryDirectory() as d:
    out = Path(d) / "reference.json"
    subprocess.run([sys.executable, str(HERE / "make_reference.py"), "--out", str(out)], check=True)
    committed = json.loads((HERE / "reference.json").read_text())
    fresh = json.loads(out.read_text())
    bad = []
    walk(committed, fresh, "reference", bad)
    if bad:
        print("committed SciPy references differ from a fresh computation:", *bad[:20], sep="\n  ")
        sys.exit(1)
    print(f"committed SciPy reference values reproduced (SciPy {fresh['scipy_version']})")
