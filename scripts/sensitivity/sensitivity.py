#!/usr/bin/env python3
"""Sensitivity benchmark of the harness itself (NOT a unit test).

On real workloads (default hash/sha256.digest/rustcrypto/64KiB and
pqc/ml-kem.encaps/rustcrypto/768) on this machine, measures for pqbench
`gate`, pqbench `ab`, pqbench `ab --in-process` (`inproc`), criterion
(default settings) and tango-bench (default settings):

* the A/A false-alarm rate (nothing changed; "regressed" reported),
* the detection rate of an injected 1 % and 2 % slowdown,

over TRIALS trials each. The slowdown is real CPU work. gate/ab/criterion:
the environment variable PQBENCH_INJECT_SLOWDOWN_PCT (the hash workloads
hash that many percent more bytes, harness/workloads/src/hash.rs; every
other workload is followed by busy work lasting that share of its time,
harness/src/measure/slowdown.rs). inproc: `--candidate-slowdown P%` (busy
work after each candidate run call, in the candidate library only). tango:
the candidate benchmark binary is compiled with SENS_TANGO_SLOWDOWN_PCT=P
(busy work after each operation lasting P % of it, the same mechanism as
inproc; scripts/sensitivity/tango-hash). criterion runs the hash workload
only (its crate has no PQC workload). Trials of all tools, workloads and
conditions are interleaved, so slow drift of the machine hits all alike.

Usage (from the repository root, after
`cargo build --release -p pqbench && cargo build --release -p pqbench-abi --features pqc`):

    python3 scripts/sensitivity/sensitivity.py --trials 20 --out /tmp/sens

Prints a Markdown table, writes every trial to OUT/trials.jsonl and the
summary (settings, counts, 95 % Clopper-Pearson bounds) to OUT/summary.json.
"""

import argparse
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sensitivity_table import host_facts, markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "bench-api"))
import cargo_artifacts  # noqa: E402
WORKLOADS = ["hash/sha256.digest/rustcrypto/64KiB", "pqc/ml-kem.encaps/rustcrypto/768"]


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


def trial_gate(a, wl, pct, work):
    base, new = work / "base.json", work / "new.json"
    run = [a.pqbench, "run", "-f", wl, "-p", str(a.gate_processes), "--bench-time", a.gate_bench_time]
    t0 = time.monotonic()
    sh(run + ["-o", str(base)])
    sh(run + ["-o", str(new)], env=inject(pct))
    g = sh([a.pqbench, "gate", str(base), str(new), "--tolerance", a.tolerance, "--json", str(work / "gate.json")], check_codes=(0, 1))
    wall = time.monotonic() - t0
    v = json.loads((work / "gate.json").read_text())
    row = v["comparison"]["rows"][0] if v["comparison"]["rows"] else {}
    ratio = row.get("stats", {}).get("ratios", {}).get("median", {}).get("estimate")
    return {"flagged": g.returncode == 1, "wall_s": wall, "ratio": ratio}


def trial_ab(a, wl, pct, work):
    cand = a.pqbench if not pct else f"env PQBENCH_INJECT_SLOWDOWN_PCT={pct} {a.pqbench}"
    t0 = time.monotonic()
    r = sh([a.pqbench, "ab", "--baseline", a.pqbench, "--candidate", cand, "-f", wl,
            "--rounds", str(a.ab_rounds), "--min-rounds", str(a.ab_rounds), "--bench-time", a.ab_bench_time,
            "--tolerance", a.tolerance, "--json", str(work / "ab.json")], check_codes=(0, 1))
    wall = time.monotonic() - t0
    v = json.loads((work / "ab.json").read_text())
    row = v["rows"][0] if v["rows"] else {}
    ratio = (row.get("analysis") or {}).get("geomean", {}).get("estimate")
    return {"flagged": r.returncode == 1, "wall_s": wall, "ratio": ratio}


def criterion_binary():
    return cargo_artifacts.bench_executable(
        ["--manifest-path", str(ROOT / "scripts/sensitivity/criterion-hash/Cargo.toml")], "hash",
        env={"CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))})


def trial_criterion(a, wl, pct, work):
    if not wl.startswith("hash/"):
        return None
    home = work / "criterion-home"
    shutil.rmtree(home, ignore_errors=True)
    env = {"CRITERION_HOME": str(home)}
    t0 = time.monotonic()
    sh([a.criterion_bin, "--bench", "--save-baseline", "base"], env=env)
    r = sh([a.criterion_bin, "--bench", "--baseline", "base"], env={**env, **inject(pct)})
    wall = time.monotonic() - t0
    out = r.stdout + r.stderr
    ratio = None
    for est in home.rglob("change/estimates.json"):
        ratio = 1 + json.loads(est.read_text())["median"]["point_estimate"]
    return {"flagged": "Performance has regressed" in out, "wall_s": wall, "ratio": ratio}


def trial_inproc(a, wl, pct, work):
    # Two copies of the same release library: A and B are separate files.
    libs = []
    for side in ("A", "B"):
        dst = work / f"libpqbench_abi_{side}.so"
        shutil.copyfile(a.abi_lib, dst)
        libs.append(dst)
    cmd = [a.pqbench, "ab", "--in-process", "--baseline-lib", str(libs[0]), "--candidate-lib", str(libs[1]),
           "-f", wl, "--replications", str(a.inproc_replications), "--bench-time", a.inproc_bench_time,
           "--tolerance", a.tolerance, "--json", str(work / "inproc.json")]
    if pct:
        cmd += ["--candidate-slowdown", f"{pct}%"]
    t0 = time.monotonic()
    r = sh(cmd, check_codes=(0, 1))
    wall = time.monotonic() - t0
    v = json.loads((work / "inproc.json").read_text())
    row = v["rows"][0] if v.get("rows") else {}
    ratio = (row.get("analysis") or {}).get("geomean", {}).get("estimate")
    return {"flagged": r.returncode == 1, "wall_s": wall, "ratio": ratio}


def tango_binaries(slowdowns, out):
    """Builds the tango bench once per slowdown (compiled in) and copies
    each executable to OUT/tango-bin/tango-P; the A/A baseline is a copy."""
    manifest = ROOT / "scripts/sensitivity/tango-hash/Cargo.toml"
    bindir = out / "tango-bin"
    bindir.mkdir(parents=True, exist_ok=True)
    bins = {}
    for pct in sorted(set([0] + list(slowdowns))):
        env = {"CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))}
        if pct:
            env["SENS_TANGO_SLOWDOWN_PCT"] = str(pct)
        exe = cargo_artifacts.bench_executable(["--manifest-path", str(manifest)], "tango", env=env)
        bins[pct] = bindir / f"tango-{pct}"
        shutil.copyfile(exe, bins[pct])
        bins[pct].chmod(0o755)
    bins["base"] = bindir / "tango-base"
    shutil.copyfile(bins[0], bins["base"])
    bins["base"].chmod(0o755)
    return bins


TANGO_LINE = re.compile(r"^(\S+)\s+\[\s*([\d.]+ \S+)\s+\.\.\.\s+([\d.]+ \S+)\s*\]\s+([+-]?[\d.]+)%(\*?)\s*$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def trial_tango(a, wl, pct, work):
    # Default settings; "flagged" = tango marks the difference significant
    # (`*`: |z| >= 2.6 and more than 0.5 %) and the candidate is slower.
    # `CANDIDATE compare BASELINE`: tango reports the executable it runs as
    # the candidate and the path it loads as the baseline (checked with a
    # 20 % slowdown: `tango-20 compare tango-0` reads +20 %).
    t0 = time.monotonic()
    r = sh([a.tango_bins[pct], "compare", a.tango_bins["base"], "-f", wl])
    wall = time.monotonic() - t0
    for line in r.stdout.splitlines():
        m = TANGO_LINE.match(ANSI.sub("", line))
        if m and m.group(1) == wl:
            change = float(m.group(4))
            sig = m.group(5) == "*"
            return {"flagged": sig and change > 0, "wall_s": wall, "ratio": 1 + change / 100,
                    "significant": sig}
    sys.stderr.write(f"tango output not understood:\n{r.stdout}\n{r.stderr}\n")
    raise SystemExit(2)


def clopper_pearson(k, n, conf=0.95):
    """Two-sided Clopper-Pearson interval for k successes in n trials."""
    from scipy.stats import beta
    lo = 0.0 if k == 0 else float(beta.ppf((1 - conf) / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(1 - (1 - conf) / 2, k + 1, n - k))
    return lo, hi


TOOLS = {"gate": trial_gate, "ab": trial_ab, "inproc": trial_inproc, "criterion": trial_criterion,
         "tango": trial_tango}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--tools", default="inproc,tango,criterion,gate,ab")
    ap.add_argument("--workloads", default=",".join(WORKLOADS), help="pqbench ids, comma-separated")
    ap.add_argument("--trials-for", action="append", default=[], metavar="TOOL=N",
                    help="fewer trials for a slow tool (e.g. criterion=6): it runs in the first N rounds only")
    ap.add_argument("--slowdowns", default="0,1,2", help="percent, comma-separated; 0 = A/A")
    ap.add_argument("--trials-at", action="append", default=[], metavar="PCT=N",
                    help="fewer trials at one slowdown (e.g. 1=30): it runs in the first N rounds only")
    ap.add_argument("--pqbench", default=str(ROOT / "target/release/pqbench"))
    ap.add_argument("--abi-lib", default=str(ROOT / "target/release/libpqbench_abi.so"),
                    help="release pqbench-abi library (built with --features pqc for PQC workloads)")
    ap.add_argument("--gate-processes", type=int, default=6)
    ap.add_argument("--gate-bench-time", default="2500ms", help="per side, all processes together")
    ap.add_argument("--ab-rounds", type=int, default=10)
    ap.add_argument("--ab-bench-time", default="200ms", help="per invocation")
    ap.add_argument("--inproc-replications", type=int, default=10)
    ap.add_argument("--inproc-bench-time", default="300ms", help="per replication and benchmark")
    ap.add_argument("--tolerance", default="0.5%")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    tools = a.tools.split(",")
    wls = a.workloads.split(",")
    slow = [float(s) for s in a.slowdowns.split(",")]
    slow = [int(s) if s.is_integer() else s for s in slow]
    limit = {t: a.trials for t in tools}
    for tf in a.trials_for:
        t, n = tf.split("=")
        limit[t] = int(n)
    limit_at = {}
    for ta in a.trials_at:
        p, n = ta.split("=")
        p = float(p)
        limit_at[int(p) if p.is_integer() else p] = int(n)
    out = Path(a.out or tempfile.mkdtemp(prefix="pqbench-sensitivity-"))
    out.mkdir(parents=True, exist_ok=True)
    if "criterion" in tools:
        a.criterion_bin = criterion_binary()
    if "tango" in tools:
        a.tango_bins = tango_binaries([s for s in slow if s], out)
    log = (out / "trials.jsonl").open("a")
    results = {(t, w, s): [] for t in tools for w in wls for s in slow}
    start = time.monotonic()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for i in range(a.trials):
        for s in slow:
            if i >= limit_at.get(s, a.trials):
                continue
            for w in wls:
                for t in tools:
                    if i >= limit[t]:
                        continue
                    work = out / "work" / t
                    work.mkdir(parents=True, exist_ok=True)
                    r = TOOLS[t](a, w, s, work)
                    if r is None:
                        continue
                    r.update({"tool": t, "workload": w, "slowdown_pct": s, "trial": i})
                    results[(t, w, s)].append(r)
                    log.write(json.dumps(r) + "\n")
                    log.flush()
                    print(f"[{time.monotonic() - start:7.0f}s] trial {i + 1}/{a.trials} {t:9s} {w} +{s}%: "
                          f"{'FLAGGED' if r['flagged'] else 'ok     '} {r['wall_s']:.1f}s ratio {r['ratio']}",
                          file=sys.stderr, flush=True)
    settings = {
        "gate": f"`run -p {a.gate_processes} --bench-time {a.gate_bench_time}` x2 + `gate --tolerance {a.tolerance}`",
        "ab": f"`ab --rounds {a.ab_rounds} --bench-time {a.ab_bench_time} --tolerance {a.tolerance}`",
        "inproc": f"`ab --in-process --replications {a.inproc_replications} --bench-time {a.inproc_bench_time} "
                  f"--tolerance {a.tolerance}`",
        "criterion": "defaults (3 s warm-up, 5 s measurement, 100 samples) x2, `--save-baseline`/`--baseline`",
        "tango": "`compare` with defaults (100 ms per benchmark; significant = |z| >= 2.6 and > 0.5 %)",
    }
    summary = {"started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "command": " ".join(["python3", "scripts/sensitivity/sensitivity.py"] + sys.argv[1:]),
               "slowdowns_pct": slow, "host": host_facts(), "cells": []}
    for w in wls:
        for t in tools:
            walls = [r["wall_s"] for s in slow for r in results[(t, w, s)]]
            for s in slow:
                rs = results[(t, w, s)]
                if not rs:
                    continue
                k, n = sum(r["flagged"] for r in rs), len(rs)
                lo, hi = clopper_pearson(k, n)
                ratios = [r["ratio"] for r in rs if r["ratio"] is not None]
                summary["cells"].append({"tool": t, "workload": w, "slowdown_pct": s, "flagged": k, "trials": n,
                                         "ci95_low": lo, "ci95_high": hi, "settings": settings[t],
                                         "wall_s_mean": sum(walls) / len(walls),
                                         "ratio_min": min(ratios) if ratios else None,
                                         "ratio_max": max(ratios) if ratios else None})
    summary["pooled"] = []
    if len(wls) > 1:
        for t in tools:
            for s in slow:
                rs = [r for w in wls for r in results[(t, w, s)]]
                if not rs:
                    continue
                k, n = sum(r["flagged"] for r in rs), len(rs)
                lo, hi = clopper_pearson(k, n)
                summary["pooled"].append({"tool": t, "slowdown_pct": s, "flagged": k, "trials": n,
                                          "ci95_low": lo, "ci95_high": hi, "workloads": len(wls)})
    print(markdown(summary))
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
