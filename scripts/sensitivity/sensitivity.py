#!/usr/bin/env python3
"""Sensitivity benchmark of the harness itself (NOT a unit test).

On a real workload (hash/sha256.digest/rustcrypto/64KiB) on this machine,
measures for pqbench `gate`, pqbench `ab` and criterion (default settings):

* the A/A false-alarm rate (nothing changed; "regressed" reported),
* the detection rate of an injected 1 % and 2 % slowdown,

over TRIALS trials each. The slowdown is real: the environment variable
PQBENCH_INJECT_SLOWDOWN_PCT makes the hash workload hash that many percent
more bytes (a documented harness-validation knob in
harness/workloads/src/hash.rs). Trials of all tools and conditions are
interleaved, so slow drift of the shared machine hits all of them alike.

Usage (from the repository root, after `cargo build --release -p pqbench`):

    python3 scripts/sensitivity/sensitivity.py --trials 20 --out /tmp/sens

Prints a Markdown table and writes every trial to OUT/trials.jsonl.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = "sha256.digest/rustcrypto/64KiB"
ID = "hash/" + BENCH


def sh(cmd, env=None, check_codes=(0,)):
    e = dict(os.environ)
    e.pop("PQBENCH_INJECT_SLOWDOWN_PCT", None)
    if env:
        e.update(env)
    p = subprocess.run(cmd, env=e, capture_output=True, text=True)
    if p.returncode not in check_codes:
        sys.stderr.write(f"command failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stdout}\n{p.stderr}\n")
        raise SystemExit(2)
    return p


def inject(pct):
    return {"PQBENCH_INJECT_SLOWDOWN_PCT": str(pct)} if pct else {}


def trial_gate(a, pct, work):
    base, new = work / "base.json", work / "new.json"
    run = [a.pqbench, "run", "-f", BENCH, "-p", str(a.gate_processes), "--bench-time", a.gate_bench_time]
    t0 = time.monotonic()
    sh(run + ["-o", str(base)])
    sh(run + ["-o", str(new)], env=inject(pct))
    g = sh([a.pqbench, "gate", str(base), str(new), "--tolerance", a.tolerance, "--json", str(work / "gate.json")], check_codes=(0, 1))
    wall = time.monotonic() - t0
    v = json.loads((work / "gate.json").read_text())
    row = v["comparison"]["rows"][0] if v["comparison"]["rows"] else {}
    ratio = row.get("stats", {}).get("ratios", {}).get("median", {}).get("estimate")
    return {"flagged": g.returncode == 1, "wall_s": wall, "ratio": ratio}


def trial_ab(a, pct, work):
    cand = a.pqbench if not pct else f"env PQBENCH_INJECT_SLOWDOWN_PCT={pct} {a.pqbench}"
    t0 = time.monotonic()
    r = sh([a.pqbench, "ab", "--baseline", a.pqbench, "--candidate", cand, "-f", BENCH,
            "--rounds", str(a.ab_rounds), "--min-rounds", str(a.ab_rounds), "--bench-time", a.ab_bench_time,
            "--tolerance", a.tolerance, "--json", str(work / "ab.json")], check_codes=(0, 1))
    wall = time.monotonic() - t0
    v = json.loads((work / "ab.json").read_text())
    row = v["rows"][0] if v["rows"] else {}
    ratio = (row.get("analysis") or {}).get("geomean", {}).get("estimate")
    return {"flagged": r.returncode == 1, "wall_s": wall, "ratio": ratio}


def criterion_binary():
    p = sh(["cargo", "bench", "--manifest-path", str(ROOT / "scripts/sensitivity/criterion-hash/Cargo.toml"),
            "--no-run", "--message-format=json"],
           env={"CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))})
    for line in p.stdout.splitlines():
        try:
            m = json.loads(line)
        except json.JSONDecodeError:
            continue
        if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "hash" and m.get("executable"):
            return m["executable"]
    raise SystemExit("criterion bench binary not found")


def trial_criterion(a, pct, work):
    home = work / "criterion-home"
    shutil.rmtree(home, ignore_errors=True)
    env = {"CRITERION_HOME": str(home)}
    t0 = time.monotonic()
    sh([a.criterion_bin, "--bench", "--save-baseline", "base"], env=env)
    r = sh([a.criterion_bin, "--bench", "--baseline", "base"], env={**env, **inject(pct)})
    wall = time.monotonic() - t0
    out = r.stdout + r.stderr
    ratio = None
    est = home / ID.replace("/", "_") / "change" / "estimates.json"
    for cand in home.rglob("change/estimates.json"):
        est = cand
    if est.exists():
        ratio = 1 + json.loads(est.read_text())["median"]["point_estimate"]
    return {"flagged": "Performance has regressed" in out, "wall_s": wall, "ratio": ratio}


TOOLS = {"gate": trial_gate, "ab": trial_ab, "criterion": trial_criterion}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--tools", default="gate,ab,criterion")
    ap.add_argument("--slowdowns", default="0,1,2", help="percent, comma-separated; 0 = A/A")
    ap.add_argument("--pqbench", default=str(ROOT / "target/release/pqbench"))
    ap.add_argument("--gate-processes", type=int, default=6)
    ap.add_argument("--gate-bench-time", default="2500ms", help="per side, all processes together")
    ap.add_argument("--ab-rounds", type=int, default=10)
    ap.add_argument("--ab-bench-time", default="200ms", help="per invocation")
    ap.add_argument("--tolerance", default="0.5%")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    tools = a.tools.split(",")
    slow = [float(s) for s in a.slowdowns.split(",")]
    slow = [int(s) if s.is_integer() else s for s in slow]
    out = Path(a.out or tempfile.mkdtemp(prefix="pqbench-sensitivity-"))
    out.mkdir(parents=True, exist_ok=True)
    if "criterion" in tools:
        a.criterion_bin = criterion_binary()
    log = (out / "trials.jsonl").open("a")
    results = {(t, s): [] for t in tools for s in slow}
    start = time.monotonic()
    for i in range(a.trials):
        for s in slow:
            for t in tools:
                work = out / "work" / t
                work.mkdir(parents=True, exist_ok=True)
                r = TOOLS[t](a, s, work)
                r.update({"tool": t, "slowdown_pct": s, "trial": i})
                results[(t, s)].append(r)
                log.write(json.dumps(r) + "\n")
                log.flush()
                print(f"[{time.monotonic() - start:7.0f}s] trial {i + 1}/{a.trials} {t:9s} +{s}%: "
                      f"{'FLAGGED' if r['flagged'] else 'ok     '} {r['wall_s']:.1f}s ratio {r['ratio']}",
                      file=sys.stderr, flush=True)
    settings = {
        "gate": f"`run -p {a.gate_processes} --bench-time {a.gate_bench_time}` x2 + `gate --tolerance {a.tolerance}`",
        "ab": f"`ab --rounds {a.ab_rounds} --bench-time {a.ab_bench_time} --tolerance {a.tolerance}`",
        "criterion": "defaults (3 s warm-up, 5 s measurement, 100 samples) x2, `--save-baseline`/`--baseline`",
    }
    head = "| tool | settings | wall s / comparison | " + " | ".join(
        "A/A false alarms" if s == 0 else f"+{s}% detected" for s in slow) + " |"
    print(head)
    print("|" + "---|" * (3 + len(slow)))
    for t in tools:
        walls = [r["wall_s"] for s in slow for r in results[(t, s)]]
        cells = []
        for s in slow:
            rs = results[(t, s)]
            k = sum(r["flagged"] for r in rs)
            cells.append(f"{k}/{len(rs)} ({100 * k / len(rs):.0f}%)")
        print(f"| {t} | {settings[t]} | {sum(walls) / len(walls):.1f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
