#!/usr/bin/env python3
"""Where the process-level variance of pqbench's host measurements comes from.

Runs `pqbench run` many times under several conditions, interleaved (one
run of every condition per round, in a shuffled order), on a few host
workloads, and decomposes the variance of the log per-replication medians:

  within     block-to-block noise inside one process: each replication's
             samples are split into --blocks consecutive blocks; the
             variance of a replication's median that this noise explains is
             var(log block medians) / blocks (pooled over replications).
             Correlation in time at scales longer than a block is counted
             as between-process, so this is a lower bound of sampling noise.
  process    variance of the log replication medians between the workers
             of one `pqbench run` (pooled over the runs of a condition).
  run        variance of the per-run mean of log replication medians beyond
             what `process` explains (drift between runs).

and compares conditions:

  default        ASLR on, `--placement fixed` (pqbench before placement
                 randomisation);
  aslr-off       `setarch -R` (personality ADDR_NO_RANDOMIZE, inherited by
                 the workers), `--placement fixed`: what stays is machine and
                 process state;
  random         ASLR on, `--placement random` (env padding, stack and heap
                 offsets drawn per replication);
  aslr-off-random  ASLR off, `--placement random`: pqbench's randomisation
                 alone;
  pinned         `--placement fixed --pin CPU`.

Components reported per workload (variances of log medians; shown as SDs in
%, with percentile bootstrap 95 % CIs over replications, resampled within
each run, --resamples times):

  machine/process state   process(aslr-off) - within
  placement (ASLR)        process(default) - process(aslr-off)
  placement (pqbench)     process(aslr-off-random) - process(aslr-off)
  randomised vs default   process(random) - process(default)
  pinning                 process(pinned) - process(default)

A difference of variances can be negative (noise); its SD is shown signed,
sign(d) * sqrt(|d|).

Usage (full size, on a quiet machine, release build):

  cargo build --release -p pqbench
  python3 scripts/variance/sources.py --pqbench target/release/pqbench \\
      --rounds 10 --replications 20 --rep-time 100ms --json variance.json \\
      --markdown variance.md

Small check: --rounds 2 --replications 4 --rep-time 50ms. `--keep DIR` keeps
the results files; `--from DIR` re-analyses them (e.g. with `--robust`).
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

WORKLOADS = [
    "hash/sha256.digest/rustcrypto/64KiB",
    "hash/sha256.digest/rustcrypto/1MiB",
    "pqc/ml-kem.encaps/rustcrypto/768",
]

CONDITIONS = {
    "default": {"aslr": True, "placement": "fixed", "pin": False},
    "aslr-off": {"aslr": False, "placement": "fixed", "pin": False},
    "random": {"aslr": True, "placement": "random", "pin": False},
    "aslr-off-random": {"aslr": False, "placement": "random", "pin": False},
    "pinned": {"aslr": True, "placement": "fixed", "pin": True},
}

COMPONENTS = [
    ("machine/process state", "process", "aslr-off", "within", "aslr-off"),
    ("placement (ASLR)", "process", "default", "process", "aslr-off"),
    ("placement (pqbench)", "process", "aslr-off-random", "process", "aslr-off"),
    ("randomised vs default", "process", "random", "process", "default"),
    ("pinning", "process", "pinned", "process", "default"),
]


def parse_ms(s):
    s = s.strip()
    if s.endswith("ms"):
        return float(s[:-2])
    if s.endswith("s"):
        return float(s[:-1]) * 1000
    return float(s)


def aslr_off_works():
    """setarch -R runs and turns the stack's randomisation off."""
    if not shutil.which("setarch"):
        return False, "setarch not installed"
    try:
        maps = [
            subprocess.run(
                ["setarch", "-R", "grep", "-m1", r"\[stack\]", "/proc/self/maps"],
                capture_output=True, text=True, check=True,
            ).stdout
            for _ in range(2)
        ]
    except (OSError, subprocess.CalledProcessError) as e:
        return False, f"setarch -R failed: {e}"
    if maps[0] != maps[1]:
        return False, "setarch -R ran but the stack still moves"
    return True, "setarch -R: stack fixed"


def command(args, cond, seed, out):
    c = CONDITIONS[cond]
    cmd = [] if c["aslr"] else ["setarch", "-R"]
    cmd += [
        args.pqbench, "run", "--placement", c["placement"],
        "-p", str(args.replications),
        "--bench-time", f"{args.rep_ms * args.replications:g}ms",
        "--time-budget", "0", "--max-samples", str(args.max_samples),
        "--seed", str(seed), "-o", str(out),
    ]
    for w in args.workloads:
        cmd += ["-f", w]
    if c["pin"]:
        cmd += ["--pin", str(args.pin)]
    return cmd


def replication_logs(path):
    """{id: [log samples of each replication]} of a results file."""
    d = json.loads(Path(path).read_text())
    out = {}
    for r in d["results"]:
        st = r.get("status")
        if (st.get("state") if isinstance(st, dict) else st) != "ok":
            continue
        out[r["id"]] = [np.log(np.asarray(p["samples"], dtype=float)) for p in r["processes"]]
    return out


def per_replication(reps, blocks):
    """Per replication: log median, and the variance of its median that
    block-to-block noise explains (NaN with fewer than 2 samples per block)."""
    med, wvar = [], []
    for x in reps:
        med.append(float(np.median(x)))
        k = len(x) // blocks
        if k >= 2 and blocks >= 2:
            bm = [np.median(x[i * k:(i + 1) * k]) for i in range(blocks)]
            wvar.append(float(np.var(bm, ddof=1)) / blocks)
        else:
            wvar.append(float("nan"))
    return np.asarray(med), np.asarray(wvar)


ROBUST = False


def spread(m):
    """Variance of one run's log medians: classical, or with --robust the
    squared normal-consistent MAD (one disturbed worker cannot dominate)."""
    if ROBUST:
        return (1.482602218505602 * float(np.median(np.abs(m - np.median(m))))) ** 2
    return float(np.var(m, ddof=1))


def components(runs):
    """runs: list of (medians, within-variances) arrays, one per run.
    Returns within, process (pooled within-run variance of medians), run."""
    num, den = 0.0, 0
    for m, _ in runs:
        if len(m) >= 2:
            num += spread(m) * (len(m) - 1)
            den += len(m) - 1
    process = num / den if den else float("nan")
    w = np.concatenate([v for _, v in runs]) if runs else np.array([])
    w = w[np.isfinite(w)]
    within = (float(np.median(w)) if ROBUST else float(np.mean(w))) if len(w) else float("nan")
    means = [float(np.mean(m)) for m, _ in runs if len(m)]
    n_rep = np.mean([len(m) for m, _ in runs]) if runs else float("nan")
    run = (float(np.var(means, ddof=1)) - process / n_rep) if len(means) >= 2 else float("nan")
    return {"within": within, "process": process, "run": run}


def resample(runs, rng):
    out = []
    for m, v in runs:
        i = rng.integers(0, len(m), len(m))
        out.append((m[i], v[i]))
    return out


def signed_sd_pct(v):
    if v is None or not math.isfinite(v):
        return float("nan")
    return math.copysign(math.sqrt(abs(v)), v) * 100


def analyse(data, conditions, resamples, seed):
    """data[cond][id] = list of runs (medians, within-vars)."""
    rng = np.random.default_rng(seed)
    report = {}
    ids = sorted({i for c in conditions for i in data[c]})
    for wid in ids:
        have = {c: data[c].get(wid, []) for c in conditions}
        point = {c: components(r) for c, r in have.items() if r}
        boot = {c: [] for c in point}
        for _ in range(resamples):
            for c in point:
                boot[c].append(components(resample(have[c], rng)))
        entry = {"conditions": {}, "components": {}}
        for c, p in point.items():
            reps = sum(len(m) for m, _ in have[c])
            ci = {}
            for k in ("within", "process"):
                vals = np.array([b[k] for b in boot[c]])
                vals = vals[np.isfinite(vals)]
                ci[k] = [float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))] if len(vals) else None
            entry["conditions"][c] = {
                "runs": len(have[c]), "replications": reps,
                **{k: v for k, v in p.items()}, "ci": ci,
                "ratio_sd": math.sqrt(p["process"] / p["within"]) if p["within"] > 0 else float("nan"),
            }
        for name, ka, ca, kb, cb in COMPONENTS:
            if ca not in point or cb not in point:
                continue
            est = point[ca][ka] - point[cb][kb]
            vals = np.array([a[ka] - b[kb] for a, b in zip(boot[ca], boot[cb])])
            vals = vals[np.isfinite(vals)]
            lo, hi = (np.percentile(vals, [2.5, 97.5]) if len(vals) else (float("nan"),) * 2)
            entry["components"][name] = {
                "variance": est, "ci": [float(lo), float(hi)],
                "sd_pct": signed_sd_pct(est),
                "sd_pct_ci": [signed_sd_pct(float(lo)), signed_sd_pct(float(hi))],
                "definition": f"{ka}({ca}) - {kb}({cb})",
            }
        report[wid] = entry
    return report


def markdown(report, meta):
    f = lambda v: "-" if v is None or not math.isfinite(v) else f"{v:+.3f}"
    g = lambda v: "-" if v is None or not math.isfinite(v) else f"{v:.3f}"
    lines = [
        f"Command: `{meta['command']}`; {meta['rounds']} rounds, {meta['replications']} replications "
        f"x {meta['rep_ms']:g} ms, {meta['blocks']} blocks; {meta['started']} to {meta['finished']}; "
        f"{meta['aslr_check']}{'; robust (MAD) spreads' if meta['robust'] else ''}.",
        "",
        "SD of log per-replication medians, % (within: what block-to-block noise explains; "
        "process: between the workers of one run; x: process / within, as SDs):",
        "",
        "| workload | condition | replications | within | process [95 % CI] | x | between runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for wid, e in report.items():
        for c, v in e["conditions"].items():
            ci = v["ci"]["process"]
            cis = f" [{g(math.sqrt(ci[0]) * 100)}, {g(math.sqrt(ci[1]) * 100)}]" if ci else ""
            lines.append(
                f"| `{wid}` | {c} | {v['replications']} | {g(signed_sd_pct(v['within']))} | "
                f"{g(signed_sd_pct(v['process']))}{cis} | {g(v['ratio_sd'])} | {f(signed_sd_pct(v['run']))} |"
            )
    lines += [
        "",
        "Components (signed SD %, sign(d) sqrt(|d|) of a variance difference d, [95 % bootstrap CI]):",
        "",
        "| workload | " + " | ".join(n for n, *_ in COMPONENTS) + " |",
        "|---|" + "---:|" * len(COMPONENTS),
    ]
    for wid, e in report.items():
        cells = []
        for n, *_ in COMPONENTS:
            c = e["components"].get(n)
            cells.append("-" if c is None else f"{f(c['sd_pct'])} [{f(c['sd_pct_ci'][0])}, {f(c['sd_pct_ci'][1])}]")
        lines.append(f"| `{wid}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pqbench", default="target/release/pqbench")
    ap.add_argument("--workloads", nargs="+", default=WORKLOADS)
    ap.add_argument("--conditions", default=",".join(CONDITIONS))
    ap.add_argument("--rounds", type=int, default=10, help="runs per condition")
    ap.add_argument("--replications", type=int, default=20, help="workers per run")
    ap.add_argument("--rep-time", default="100ms", help="budget per replication")
    ap.add_argument("--max-samples", type=int, default=2000)
    ap.add_argument("--blocks", type=int, default=8)
    ap.add_argument("--pin", type=int, default=1, help="CPU of the pinned condition")
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--keep", help="directory to keep the results files in")
    ap.add_argument("--from", dest="from_dir", help="analyse the files a --keep run left here instead of running")
    ap.add_argument("--robust", action="store_true",
                    help="MAD-based spread of the medians and median within-variance "
                         "(for a machine where single workers get disturbed)")
    ap.add_argument("--json", help="write the analysis here")
    ap.add_argument("--markdown", help="write the tables here (also printed)")
    args = ap.parse_args()
    global ROBUST
    ROBUST = args.robust
    args.rep_ms = parse_ms(args.rep_time)
    conds = [c.strip() for c in args.conditions.split(",") if c.strip()]
    unknown = [c for c in conds if c not in CONDITIONS]
    if unknown:
        sys.exit(f"unknown condition(s): {unknown}; known: {list(CONDITIONS)}")
    ok, why = aslr_off_works()
    if not ok:
        dropped = [c for c in conds if not CONDITIONS[c]["aslr"]]
        print(f"ASLR cannot be turned off here ({why}); dropping {dropped}", file=sys.stderr)
        conds = [c for c in conds if CONDITIONS[c]["aslr"]]
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pqb-variance-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    data = {c: {} for c in conds}
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t0 = time.monotonic()
    for rnd in range(0 if args.from_dir else args.rounds):
        order = conds[:]
        rng.shuffle(order)
        for c in order:
            out = workdir / f"{c}-{rnd}.json"
            # A different input seed per round, the same for every condition
            # of the round: placements differ between rounds, inputs match.
            cmd = command(args, c, args.seed + rnd, out)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-2000:]}")
            for wid, reps in replication_logs(out).items():
                data[c].setdefault(wid, []).append(per_replication(reps, args.blocks))
        print(f"round {rnd + 1}/{args.rounds} done, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    if args.from_dir:
        for c in conds:
            for f in sorted(Path(args.from_dir).glob(f"{c}-*.json")):
                if not f.stem[len(c) + 1:].isdigit():
                    continue
                for wid, reps in replication_logs(f).items():
                    data[c].setdefault(wid, []).append(per_replication(reps, args.blocks))
    report = analyse(data, conds, args.resamples, args.seed)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
    import provenance
    stamp = provenance.stamp()
    meta = {
        "command": stamp["command"],
        "host": stamp["host"],
        "pqbench": args.pqbench,
        "rounds": args.rounds, "replications": args.replications, "rep_ms": args.rep_ms,
        "blocks": args.blocks, "max_samples": args.max_samples, "resamples": args.resamples,
        "robust": args.robust,
        "conditions": {c: CONDITIONS[c] for c in conds},
        "aslr_check": why, "cpu_count": os.cpu_count(),
        "started": started,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "wall_s": round(time.monotonic() - t0, 1),
    }
    md = markdown(report, meta)
    print(md)
    if args.markdown:
        Path(args.markdown).write_text(md)
    if args.json:
        def clean(o):
            if isinstance(o, float) and not math.isfinite(o):
                return str(o)
            if isinstance(o, dict):
                return {k: clean(v) for k, v in o.items()}
            if isinstance(o, list):
                return [clean(v) for v in o]
            return o
        Path(args.json).write_text(json.dumps(clean({"meta": meta, "workloads": report}), indent=1) + "\n")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
