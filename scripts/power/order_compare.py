#!/usr/bin/env python3
"""`pqbench run --order interleaved` against `--order sequential`, in the same
period: trials of scripts/power/real_power.py alternate between the two
orders (one trial of one, then one of the other), so a change of the
machine's load falls on both alike. Each order keeps its own OUT/ORDER/
directory (files, gate verdicts, trials.jsonl; an interrupted comparison
resumes where it stopped); the JSON holds each order's summary and trials
in real_power.py's shape.

    cargo build --release -p pqbench
    python3 scripts/power/order_compare.py --trials 24 --out /tmp/order \\
        --json results/peers/real-power-order.json     # ~70 s per pair of trials
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "docs"))
sys.path.insert(0, str(HERE))
import provenance  # noqa: E402
import real_power  # noqa: E402

ORDERS = ["interleaved", "sequential"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default="target/release/pqbench")
    ap.add_argument("--trials", type=int, default=24, help="trials per order")
    ap.add_argument("--out", default="order-compare")
    ap.add_argument("--json", help="write both orders' summaries and trials here (for the docs)")
    a = ap.parse_args()
    out = Path(a.out)
    shifts = [0, 1, 3]
    for k in range(a.trials):
        for order in ORDERS:
            log = out / order / "trials.jsonl"
            if log.exists() and sum(1 for _ in open(log)) > k:
                continue  # resumed: this trial is done
            subprocess.run([sys.executable, str(HERE / "real_power.py"), "--pqbench", a.pqbench, "--trials", "1",
                            "--out", str(out / order), f"--run-arg=--order={order}"],
                           check=True, stdout=subprocess.DEVNULL)
            t = json.loads(open(log).read().splitlines()[-1])
            print(f"{order} trial {t['trial']}: " + ", ".join(
                f"{real_power.label(p)} {t['conditions'][str(p)]['counts']['regressed']} regressed"
                for p in shifts), file=sys.stderr)
    data = provenance.stamp()
    data["filters"] = real_power.DEFAULT_FILTERS
    data["orders"] = {}
    for order in ORDERS:
        log = out / order / "trials.jsonl"
        trials = [json.loads(line) for line in open(log)] if log.exists() else []
        print(f"--order {order}, {len(trials)} trials:\n{real_power.table(trials, shifts)}\n")
        data["orders"][order] = {"summary": real_power.summary(trials, shifts), "trials": trials}
    if a.json:
        provenance.write_json(a.json, data)


if __name__ == "__main__":
    main()
