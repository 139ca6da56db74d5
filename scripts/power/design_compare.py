#!/usr/bin/env python3
"""Designs of `pqbench run` side by side, in the same period: trials of
scripts/power/real_power.py alternate between the designs (one trial of
each in turn), so a change of the machine's load falls on all alike. A
design is a name and the `pqbench run` arguments it adds
(`--design NAME=ARG,ARG`); the default compares `--order interleaved`
with `--order sequential`. Each design keeps its own OUT/NAME/ directory
(files, gate verdicts, trials.jsonl; an interrupted comparison resumes
where it stopped); the JSON holds each design's arguments, summary and
trials in real_power.py's shape.

    cargo build --release -p pqbench
    python3 scripts/power/design_compare.py --trials 24 --out /tmp/order \\
        --json results/peers/real-power-order.json     # ~70 s per pair of trials
    python3 scripts/power/design_compare.py --trials 24 --out /tmp/adaptive \\
        --design default= --design adaptive=--precision=0.5% \\
        --json results/peers/real-power-adaptive.json
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

DEFAULT_DESIGNS = ["interleaved=--order=interleaved", "sequential=--order=sequential"]


def parse_design(text):
    """`NAME=ARG,ARG` -> (NAME, [ARG, ...])."""
    name, _, args = text.partition("=")
    if not name:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=ARG,ARG")
    return name, [a for a in args.split(",") if a]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default="target/release/pqbench")
    ap.add_argument("--trials", type=int, default=24, help="trials per design")
    ap.add_argument("--out", default="order-compare")
    ap.add_argument("--design", action="append", type=parse_design,
                    help="NAME=ARG,ARG: a design and the pqbench run arguments it adds (repeatable)")
    ap.add_argument("--json", help="write every design's summary and trials here (for the docs)")
    a = ap.parse_args()
    designs = a.design or [parse_design(d) for d in DEFAULT_DESIGNS]
    out = Path(a.out)
    shifts = [0, 1, 3]
    for k in range(a.trials):
        for name, args in designs:
            log = out / name / "trials.jsonl"
            if log.exists() and sum(1 for _ in open(log)) > k:
                continue  # resumed: this trial is done
            subprocess.run([sys.executable, str(HERE / "real_power.py"), "--pqbench", a.pqbench, "--trials", "1",
                            "--out", str(out / name)] + [f"--run-arg={x}" for x in args],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t = json.loads(open(log).read().splitlines()[-1])
            print(f"{name} trial {t['trial']}: " + ", ".join(
                f"{real_power.label(p)} {t['conditions'][str(p)]['counts']['regressed']} regressed"
                for p in shifts), file=sys.stderr)
    data = provenance.stamp()
    data["filters"] = real_power.DEFAULT_FILTERS
    data["designs"] = {}
    for name, args in designs:
        log = out / name / "trials.jsonl"
        trials = [json.loads(line) for line in open(log)] if log.exists() else []
        print(f"{name} ({' '.join(args) or 'defaults'}), {len(trials)} trials:\n{real_power.table(trials, shifts)}\n")
        data["designs"][name] = {"run_args": args, "summary": real_power.summary(trials, shifts),
                                 "trials": trials}
    if a.json:
        provenance.write_json(a.json, data)


if __name__ == "__main__":
    main()
