#!/usr/bin/env python3
"""Scan throughput side by side: pqbench scanner, aho-corasick (same pattern
set), a memchr pass (bandwidth ceiling) -- measured by the Rust example
`throughput` in one process -- then yara-x (PyPI `yara-x`, Rust engine) with
equivalent rules (one rule per constant, one hex string per layout) on the
same image file, right after.

Usage: scripts/corpus/peers.py [--mib 64] [--reps 3]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        img, rules = os.path.join(d, "image.bin"), os.path.join(d, "rules.yar")
        subprocess.run(
            ["cargo", "run", "-q", "--release", "--locked", "-p", "pqbench-detect", "--example", "throughput",
             "--", "--mib", str(args.mib), "--dump", img, "--yara", rules],
            cwd=ROOT, check=True)
        try:
            import yara_x
        except ImportError:
            print("| yara-x | - | not installed (pip install yara-x) | - |")
            return
        t = time.perf_counter()
        compiled = yara_x.compile(Path(rules).read_text())
        build = time.perf_counter() - t
        data = Path(img).read_bytes()
        scanner = yara_x.Scanner(compiled)
        best, hits = float("inf"), 0
        for _ in range(args.reps):
            t = time.perf_counter()
            res = scanner.scan(data)
            best = min(best, time.perf_counter() - t)
            hits = sum(len(p.matches) for r in res.matching_rules for p in r.patterns)
        print(f"| yara-x {yara_x.__version__ if hasattr(yara_x, '__version__') else ''} (python wheel) | {hits} | "
              f"{len(data) / 1e6 / best:.0f} | {build * 1e3:.1f} ms |")


if __name__ == "__main__":
    sys.exit(main())
