#!/usr/bin/env python3
"""Harness cost of `cargo bench` under pqbench and under criterion, on the
same function and inputs (`cargo_bench_gate::checksum` of 64 and 4096 bytes),
each with its default settings; docs/cargo-bench.md's table is generated
from the JSON this writes:

    python3 scripts/bench-api/harness_cost.py --json results/peers/bench-api-cost.json

Steps (release builds, run on a quiet machine; about a minute and a half):
1. pqbench: the example crate's bench executable (`examples/cargo-bench-gate`)
   run with `--save-baseline a`, again with `--save-baseline b` (an A/A
   pair), then `--baseline a --unpaired` (measure and gate against the
   stored results) and `--baseline a` (the default: paired with the
   executable saved with a); each timed.
   `pqbench gate a b --json` gives the A/A verdicts and intervals. A run
   with `--bench-time 1ms` gives the harness's own cost.
2. criterion 0.8.2: `benches/benches/criterion_checksum.rs` (the same
   function) run twice with its defaults; the second run's change interval
   of the mean and its verdict line are read back.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "docs"))
import provenance  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cargo_artifacts  # noqa: E402


def bench_exe(package, bench):
    """Builds PACKAGE's bench target BENCH and returns its executable."""
    return cargo_artifacts.bench_executable(["--locked", "-p", package, "--bench", bench], bench)


def timed(cmd, env, cwd=ROOT):
    """Runs CMD; returns (seconds, exit code, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - t, p.returncode, p.stdout


def pqbench_side(exe, pqbench, scratch):
    env = dict(os.environ, CI="1", PQBENCH_BASELINE_DIR=os.path.join(scratch, "baselines"))
    runs = {}
    for name, args in [("save a", ["--save-baseline", "a"]), ("save b", ["--save-baseline", "b"]),
                       ("gate against a", ["--baseline", "a", "--unpaired"]),
                       ("paired gate against a", ["--baseline", "a"]), ("budget 1ms", ["--bench-time", "1ms"])]:
        secs, code, _ = timed([exe, "--bench"] + args, env)
        runs[name] = {"seconds": secs, "exit": code}
    base = os.path.join(scratch, "baselines")
    files = [os.path.join(base, n, "checksum.json") for n in ("a", "b")]
    gate_json = os.path.join(scratch, "gate.json")
    g = subprocess.run([pqbench, "gate", *files, "--json", gate_json], capture_output=True, text=True)
    if g.returncode not in (0, 1):
        sys.exit(f"pqbench gate exited {g.returncode}: {g.stderr}")
    rows = []
    for r in json.load(open(gate_json))["comparison"]["rows"]:
        est = (r.get("stats") or {}).get("estimate") or {}
        row = {"id": r["id"], "verdict": r["verdict"], "ratio": est.get("estimate"),
               "low": est.get("lo"), "high": est.get("hi"), "method": "test"}
        exact = r.get("exact")
        if exact:  # medians identical in every replication: ratio within the resolution
            q = exact.get("resolution", 0.0)
            row.update(ratio=exact["ratio"], low=exact["ratio"] * (1 - q), high=exact["ratio"] * (1 + q),
                       method=exact["class"])
        rows.append(row)
    return {"runs": runs, "gate_exit": g.returncode, "aa_rows": rows}


def criterion_side(exe, scratch):
    env = dict(os.environ, CARGO_TARGET_DIR=scratch)
    runs = []
    for _ in range(2):
        secs, code, out = timed([exe, "--bench"], env, cwd=scratch)
        runs.append({"seconds": secs, "exit": code, "stdout": out})
    rows = []
    for n in ("64", "4096"):
        path = os.path.join(scratch, "criterion", "checksum", n, "change", "estimates.json")
        ci = json.load(open(path))["mean"]["confidence_interval"]
        verdict = next((line.strip() for line in runs[1]["stdout"].split(f"checksum/{n}", 1)[-1].splitlines()
                        if any(w in line for w in ("improved", "regressed", "No change", "noise threshold"))),
                       "?")
        rows.append({"id": f"checksum/{n}", "low": 1 + ci["lower_bound"], "high": 1 + ci["upper_bound"],
                     "verdict": verdict})
    for r in runs:
        del r["stdout"]
    return {"runs": runs, "aa_rows": rows}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", required=True, help="results file to write")
    ap.add_argument("--pqbench", default=os.path.join(ROOT, "target", "release", "pqbench"))
    a = ap.parse_args()
    pq_exe = bench_exe("cargo-bench-gate", "checksum")
    crit_exe = bench_exe("pqbench-benches", "criterion_checksum")
    data = provenance.stamp()
    scratch = tempfile.mkdtemp(prefix="harness-cost-")
    try:
        data["pqbench"] = pqbench_side(pq_exe, a.pqbench, scratch)
        data["criterion"] = criterion_side(crit_exe, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    provenance.write_json(a.json, data)
    print(json.dumps({k: data[k] for k in ("pqbench", "criterion")}, indent=1))


if __name__ == "__main__":
    main()
