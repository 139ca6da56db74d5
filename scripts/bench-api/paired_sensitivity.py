#!/usr/bin/env python3
"""Sensitivity of `cargo bench -- --baseline NAME --paired` (the lockstep
mode of the cargo bench API, harness/src/bench/lockstep/) at its defaults,
on the example crate's two benchmarks (`cargo_bench_gate::checksum` of 64
bytes, ~60 ns per operation, batch means; and 4096 bytes, ~4 µs): how often
an A/A comparison fails the gate, and how often an injected +1 % and +2 %
slowdown (`--candidate-slowdown`, busy work inside each of this build's
timed batches) is flagged as a regression. NOT a unit test; run it on a
quiet machine (about 7 minutes at 30 trials):

    python3 scripts/bench-api/paired_sensitivity.py --trials 30 \\
        --json results/peers/bench-paired-sensitivity.json

The baseline is saved once (`--save-baseline paired-sens`, which keeps a
copy of the executable); every trial then runs
`BINARY --bench --exact NAME --baseline paired-sens --paired -q
[--candidate-slowdown P%]` with the defaults otherwise (2 s per benchmark,
10 replications, tolerance 0.5 %, alpha 0.01). Trials of both benchmarks and
all three conditions are interleaved. Flagged = exit code 1. docs/cargo-bench.md's
table is generated from the JSON this writes.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "docs"))
import provenance  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cargo_artifacts  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "scripts", "sensitivity"))
from sensitivity import clopper_pearson  # noqa: E402

BENCHES = ["checksum/64", "checksum/4096"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--slowdowns", default="0,1,2", help="percent, comma-separated; 0 = A/A")
    ap.add_argument("--json", help="write the summary here (atomically)")
    a = ap.parse_args()
    slow = [int(s) for s in a.slowdowns.split(",")]
    exe = cargo_artifacts.bench_executable(["--locked", "-p", "cargo-bench-gate", "--bench", "checksum"], "checksum")
    scratch = tempfile.mkdtemp(prefix="pqbench-paired-sens-")
    env = dict(os.environ, PQBENCH_BASELINE_DIR=os.path.join(scratch, "baselines"),
               CARGO_TARGET_DIR=os.path.join(scratch, "target"))
    env.pop("CARGO_BENCH_GATE_SLOW", None)
    subprocess.run([exe, "--bench", "-q", "--save-baseline", "paired-sens"], env=env, check=True,
                   capture_output=True)
    report = os.path.join(scratch, "target", "pqbench", "paired", "checksum.json")
    cells = {(b, s): [] for b in BENCHES for s in slow}
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for i in range(a.trials):
        for s in slow:
            for b in BENCHES:
                cmd = [exe, "--bench", "--exact", b, "--baseline", "paired-sens", "--paired", "-q"]
                if s:
                    cmd += ["--candidate-slowdown", f"{s}%"]
                t = time.perf_counter()
                p = subprocess.run(cmd, env=env, capture_output=True, text=True)
                wall = time.perf_counter() - t
                if p.returncode not in (0, 1):
                    sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
                with open(report) as f:
                    row = json.load(f)["rows"][0]
                tm = (row.get("analysis") or {}).get("trimmed_mean") or {}
                r = {"flagged": p.returncode == 1, "wall_s": wall, "ratio": tm.get("estimate"),
                     "lo": tm.get("lo"), "hi": tm.get("hi"), "verdict": row.get("verdict")}
                cells[(b, s)].append(r)
                print(f"trial {i + 1}/{a.trials} {b} +{s}%: {'FLAGGED' if r['flagged'] else 'ok     '} "
                      f"{wall:.1f}s ratio {r['ratio']}", file=sys.stderr, flush=True)
    out = dict(provenance.stamp(), started=started,
               finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               settings="`--baseline NAME --paired` with the defaults (2 s per benchmark, 10 replications, "
                        "tolerance 0.5 %, alpha 0.01)",
               slowdowns_pct=slow, cells=[])
    for b in BENCHES:
        for s in slow:
            rs = cells[(b, s)]
            k, n = sum(r["flagged"] for r in rs), len(rs)
            lo, hi = clopper_pearson(k, n)
            ratios = [r["ratio"] for r in rs if r["ratio"] is not None]
            out["cells"].append({"bench": b, "slowdown_pct": s, "flagged": k, "trials": n,
                                 "ci95_low": lo, "ci95_high": hi,
                                 "wall_s_mean": sum(r["wall_s"] for r in rs) / n,
                                 "ratio_min": min(ratios, default=None), "ratio_max": max(ratios, default=None),
                                 "trials_detail": rs})
    for c in out["cells"]:
        print(f"{c['bench']:14s} +{c['slowdown_pct']}%: {c['flagged']}/{c['trials']} "
              f"[{100 * c['ci95_low']:.0f}, {100 * c['ci95_high']:.0f}] {c['wall_s_mean']:.1f} s")
    if a.json:
        provenance.write_json(a.json, out)


if __name__ == "__main__":
    main()
