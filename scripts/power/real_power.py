#!/usr/bin/env python3
"""Power and false alarms of `pqbench gate` at the defaults, from real runs.

Each trial runs `pqbench run` (its defaults: 10 replications, --bench-time
2s, ...) on a small suite once as the base and once per condition: a second
unchanged run (A/A) and runs with the harness-validation slowdown
PQBENCH_INJECT_SLOWDOWN_PCT=p for every p in --shifts (default +1 % and
+3 %). The slowdown is real work: the hash workloads hash p % more bytes,
so the default suite is the hash benchmarks with inputs large enough for
p % more bytes to be p % more blocks (64 KiB and 1 MiB). The runs of a
trial are done in a shuffled order (seeded), so a drift of the machine
does not always favour the same condition. Then `pqbench gate BASE NEW`
(its defaults: Welch, Holm, alpha 0.01, tolerance 0.5 %) decides each pair;
the table counts, per condition, the suites the gate failed and the rows it
flagged regressed (also improved, unchanged, inconclusive, undecidable).

    cargo build --release -p pqbench
    python3 scripts/power/real_power.py --trials 20 --out /tmp/power   # ~40 s per trial

Quick check that it works (not a measurement):

    python3 scripts/power/real_power.py --trials 1 --bench-time 200ms --pqbench target/debug/pqbench

Every trial is appended to OUT/trials.jsonl (with the gate's JSON kept in
OUT/trial-K/), so an interrupted run keeps what it measured and `--table`
re-tabulates it. Run on a quiet machine: other load is drift between runs,
which this unpaired design cannot tell from a slowdown.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
import provenance  # noqa: E402

VERDICTS = ["regressed", "improved", "unchanged", "inconclusive"]
# Hash benchmarks whose inputs make an injected slowdown exact (whole blocks).
DEFAULT_FILTERS = ["hash/sha256.digest/rustcrypto/64KiB", "hash/sha256.digest/rustcrypto/1MiB",
                   "hash/sha3-256.digest/rustcrypto/64KiB", "hash/sha3-256.digest/rustcrypto/1MiB"]


def run(pq, out, filters, extra, pct):
    env = dict(os.environ, CI="1")
    env.pop("PQBENCH_INJECT_SLOWDOWN_PCT", None)
    if pct:
        env["PQBENCH_INJECT_SLOWDOWN_PCT"] = str(pct)
    cmd = [pq, "run", "-o", str(out)] + [a for f in filters for a in ("-f", f)] + extra
    t = time.time()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.time() - t


def gate(pq, base, new, out, extra):
    p = subprocess.run(
        [pq, "gate", str(base), str(new), "--json", str(out)] + extra,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if p.returncode not in (0, 1):
        sys.exit(f"gate exited {p.returncode}: {p.stderr}")
    v = json.loads(Path(out).read_text())
    rows = v["comparison"]["rows"]
    counts = {k: sum(r["verdict"] == k for r in rows) for k in VERDICTS}
    counts["undecidable"] = sum(r.get("undecidable") is not None for r in rows)
    detail = []
    for r in rows:
        est = (r.get("stats") or {}).get("estimate") or {}
        noise = r.get("replication_noise") or {}
        detail.append({"id": r["id"], "verdict": r["verdict"], "estimate": est.get("estimate"),
                       "lo": est.get("lo"), "hi": est.get("hi"), "rep_noise": noise.get("between")})
    return p.returncode, len(rows), counts, detail


def label(pct):
    return "A/A" if pct == 0 else f"+{pct:g} %"


def summary(trials, shifts):
    """Per condition: trials, gate exits 1, rows and verdict counts."""
    out = []
    for pct in shifts:
        ts = [t["conditions"][str(pct)] for t in trials if str(pct) in t["conditions"]]
        if not ts:
            continue
        out.append({
            "shift_pct": pct,
            "trials": len(ts),
            "gate_failed": sum(t["exit"] == 1 for t in ts),
            "rows": sum(t["rows"] for t in ts),
            "counts": {k: sum(t["counts"][k] for t in ts) for k in VERDICTS + ["undecidable"]},
        })
    return out


def table(trials, shifts):
    lines = [
        "| condition | trials | gate failed (exit 1) | rows flagged regressed | improved | unchanged | inconclusive | undecidable |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summary(trials, shifts):
        rows, c = s["rows"], s["counts"]
        frac = lambda k: f"{c[k]}/{rows} ({100 * c[k] / max(rows, 1):.0f} %)"
        lines.append(
            f"| {label(s['shift_pct'])} | {s['trials']} | {s['gate_failed']}/{s['trials']} | {frac('regressed')} | "
            f"{frac('improved')} | {frac('unchanged')} | {frac('inconclusive')} | {frac('undecidable')} |"
        )
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default="target/release/pqbench")
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--shifts", default="0,1,3", help="injected slowdowns in percent; 0 = A/A")
    ap.add_argument("-f", "--filter", action="append", help="pqbench run -f (default: hash 64KiB and 1MiB)")
    ap.add_argument("--bench-time", help="pqbench run --bench-time (default: pqbench's)")
    ap.add_argument("--run-arg", action="append", default=[], help="extra pqbench run argument")
    ap.add_argument("--gate-arg", action="append", default=[], help="extra pqbench gate argument")
    ap.add_argument("--seed", type=int, default=1, help="shuffles the run order of each trial")
    ap.add_argument("--out", default="real-power")
    ap.add_argument("--table", action="store_true", help="only tabulate OUT/trials.jsonl")
    ap.add_argument("--regate", action="store_true",
                    help="no runs: gate the files OUT kept again (with --gate-arg, e.g. --test welch) and "
                         "tabulate that, so two tests can be compared on the same files")
    ap.add_argument("--json", help="also write the summary and every trial to this JSON file (for the docs)")
    a = ap.parse_args()
    shifts = [float(s) if "." in s else int(s) for s in a.shifts.split(",")]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    log = out / "trials.jsonl"
    filters = a.filter or DEFAULT_FILTERS
    if not a.table and not a.regate:
        extra = a.run_arg + (["--bench-time", a.bench_time] if a.bench_time else [])
        rng = random.Random(a.seed)
        start = sum(1 for _ in open(log)) if log.exists() else 0
        for _ in range(start):  # a resumed run draws the orders an uninterrupted one would
            rng.shuffle(["base"] + [str(p) for p in shifts])
        for k in range(start, start + a.trials):
            d = out / f"trial-{k}"
            d.mkdir(exist_ok=True)
            order = ["base"] + [str(p) for p in shifts]
            rng.shuffle(order)
            secs = {}
            for name in order:
                pct = 0 if name == "base" else (float(name) if "." in name else int(name))
                secs[name] = run(a.pqbench, d / f"{name}.json", filters, extra, pct)
            rec = {"trial": k, "order": order, "run_seconds": secs, "conditions": {}}
            for p in shifts:
                code, rows, counts, detail = gate(a.pqbench, d / "base.json", d / f"{p}.json", d / f"gate-{p}.json",
                                                  a.gate_arg)
                rec["conditions"][str(p)] = {"exit": code, "rows": rows, "counts": counts, "detail": detail}
            with open(log, "a") as f:
                f.write(json.dumps(rec) + "\n")
            print(f"trial {k}: " + ", ".join(
                f"{label(p)} exit {rec['conditions'][str(p)]['exit']} "
                f"({rec['conditions'][str(p)]['counts']['regressed']} regressed)" for p in shifts), file=sys.stderr)
    trials = [json.loads(line) for line in open(log)] if log.exists() else []
    if a.regate:
        for t in trials:
            d = out / f"trial-{t['trial']}"
            for p in shifts:
                code, rows, counts, detail = gate(a.pqbench, d / "base.json", d / f"{p}.json",
                                                  d / f"regate-{p}.json", a.gate_arg)
                t["conditions"][str(p)] = {"exit": code, "rows": rows, "counts": counts, "detail": detail}
        print(f"gated again with {a.gate_arg or 'the defaults'}:", file=sys.stderr)
    print(f"pqbench gate (defaults) on real `pqbench run` files, {len(trials)} trials ({log}):\n")
    print(table(trials, shifts))
    if a.json:
        data = provenance.stamp()
        data.update({"filters": filters, "summary": summary(trials, shifts),
                     "gate_args": a.gate_arg, "trials": trials})
        provenance.write_json(a.json, data)


if __name__ == "__main__":
    main()
