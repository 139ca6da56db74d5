#!/usr/bin/env python3
"""Scan throughput side by side, one invocation, the same bytes for every
scanner, one core:

* the Rust example `throughput` (one process): pqbench scan kernel,
  aho-corasick (same 1,5xx patterns, DFA, overlapping), a memchr pass (the
  bandwidth ceiling), the instruction-word, limb and entropy kernels and
  `Detector::analyze` end to end, per file, with a per-ISA table;
* `pqbench scan --stats` end to end (load + every kernel + evidence + JSON
  report) with RAYON_NUM_THREADS=1, on the same files; again without the
  high-entropy map (`--no-entropy`: the same findings), and with only the
  byte-pattern rules yara-x gets (`--no-words --no-entropy`);
* yara-x (PyPI `yara-x`, Rust engine) with equivalent rules (one rule per
  constant, one hex string per layout, written by the example), the files
  preloaded in memory and scanned one by one.

Hit counts are printed next to each rate, so the equivalence is visible:
pqbench scan, aho-corasick and yara-x count every occurrence of every
pattern in every file and must agree; `pqbench scan` end to end reports
located hits in the loaded sections and segments only, plus word hits, so
its count differs by design.

Usage:
  scripts/corpus/peers.py [--mib 64] [--reps 3]            synthetic image (best case)
  scripts/corpus/peers.py --real [--reps 3] [--json OUT]   real-binary corpus
  scripts/corpus/peers.py --corpus DIR ...                 any directory of files
  --pqbench PATH: the pqbench binary (default: build target/release/pqbench).
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
import provenance  # noqa: E402
import realbin  # noqa: E402


def corpus_files(d):
    """Every regular file under d, sorted, as the example walks it."""
    out = []
    for dirpath, dirnames, filenames in os.walk(d):
        dirnames[:] = [x for x in dirnames if not x.startswith(".")]
        for f in filenames:
            p = Path(dirpath, f)
            if not f.startswith(".") and f != "MANIFEST.json" and p.is_file() and not p.is_symlink():
                out.append(p)
    return sorted(out)


def cpu_model():
    """The CPU's model name (Linux), or the machine type."""
    return provenance.cpu_model() or platform.machine()


def run_example(args, d, files):
    rules, js = os.path.join(d, "rules.yar"), os.path.join(d, "example.json")
    cmd = ["cargo", "run", "-q", "--release", "--locked", "-p", "pqbench-detect", "--example", "throughput",
           "--", "--reps", str(args.reps), "--yara", rules, "--json", js]
    if files:
        cmd += ["--corpus", str(args.corpus)]
    else:
        img = os.path.join(d, "image.bin")
        cmd += ["--mib", str(args.mib), "--dump", img]
        files = [Path(img)]
    subprocess.run(cmd, cwd=ROOT, check=True)
    return rules, json.loads(Path(js).read_text()), files


def run_pqbench(args, files, d, threads=1, extra=(), what="end to end"):
    exe = args.pqbench
    if not exe:
        subprocess.run(["cargo", "build", "-q", "--release", "--locked", "-p", "pqbench", "--bin", "pqbench"],
                       cwd=ROOT, check=True)
        exe = str(ROOT / "target" / "release" / "pqbench")
    out = os.path.join(d, "scan.json")
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    best, line = float("inf"), ""
    for _ in range(args.reps):
        r = subprocess.run([exe, "scan", "--stats", *extra, "--format", "json", "-o", out, *map(str, files)],
                           env=env, capture_output=True, text=True)
        m = re.search(r"scanned (\d+) files, (\d+) bytes in ([0-9.]+) s", r.stderr)
        if not m:
            print(f"pqbench scan failed (exit {r.returncode}): {r.stderr.strip()[-500:]}", file=sys.stderr)
            return None
        if float(m.group(3)) < best:
            best, line = float(m.group(3)), r.stderr.strip().splitlines()[-1]
    doc = json.loads(Path(out).read_text())
    def count(v):
        return len(v) if isinstance(v, list) else int(v or 0)

    hits = sum(count(f.get("hits")) for f in doc["files"])
    findings = sum(count(f.get("findings")) for f in doc["files"])
    scanned = int(m.group(2))
    flags = "".join(f" {a}" for a in extra)
    return {"tool": f"pqbench scan --stats{flags} ({what}, RAYON_NUM_THREADS={threads})", "hits": hits,
            "findings": findings, "seconds": best, "bytes_scanned": scanned,
            "mb_per_s_of_file_bytes": sum(f.stat().st_size for f in files) / 1e6 / best,
            "mb_per_s": scanned / 1e6 / best, "stats_line": line, "exe": exe}


def run_yara(args, rules, files):
    try:
        import yara_x
    except ImportError:
        return None
    t = time.perf_counter()
    compiled = yara_x.compile(Path(rules).read_text())
    build = time.perf_counter() - t
    blobs = [f.read_bytes() for f in files]
    scanner = yara_x.Scanner(compiled)
    best, hits = float("inf"), 0
    for _ in range(args.reps):
        t = time.perf_counter()
        results = [scanner.scan(b) for b in blobs]
        best = min(best, time.perf_counter() - t)
        hits = sum(len(p.matches) for res in results for r in res.matching_rules for p in r.patterns)
    try:
        from importlib.metadata import version as dist_version
        version = dist_version("yara-x")
    except Exception:  # noqa: BLE001 - the version is only a label
        version = getattr(yara_x, "__version__", "")
    return {"tool": f"yara-x {version} (python wheel, files in memory)", "hits": hits, "seconds": best,
            "mb_per_s": sum(map(len, blobs)) / 1e6 / best, "build_ms": build * 1e3}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--real", action="store_true", help="the real-binary corpus of realbin.py")
    ap.add_argument("--corpus", type=Path, help="a directory of files to scan")
    ap.add_argument("--pqbench", help="pqbench binary (default: cargo build --release)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--note", default="", help="free text stored in the JSON (e.g. machine load)")
    args = ap.parse_args()
    if args.real and not args.corpus:
        args.corpus = realbin.corpus_dir()
        if not (args.corpus / "MANIFEST.json").is_file():
            sys.exit(f"no real-binary corpus in {args.corpus}: run scripts/corpus/realbin.py fetch")
    files = corpus_files(args.corpus) if args.corpus else []
    if args.corpus and not files:
        sys.exit(f"no files under {args.corpus}")
    with tempfile.TemporaryDirectory() as d:
        rules, example, files = run_example(args, d, files)
        ours = run_pqbench(args, files, d)
        cpus = os.cpu_count() or 1
        ours_all = run_pqbench(args, files, d, cpus) if cpus > 1 else None
        # Findings only (no high-entropy map), and the work of the rules
        # yara-x gets (byte patterns; no words, limbs or entropy).
        ours_findings = run_pqbench(args, files, d, 1, ["--no-entropy"], "end to end, findings only")
        ours_rules = run_pqbench(args, files, d, 1, ["--no-words", "--no-entropy"],
                                 "end to end, the byte-pattern rules yara-x gets")
        yara = run_yara(args, rules, files)
        mb = sum(f.stat().st_size for f in files) / 1e6
    rows = [{"tool": k["kernel"], "hits": k["hits"], "mb_per_s": k["mb_per_s"]} for k in example["kernels"]]
    for o in (ours, ours_all, ours_findings, ours_rules):
        if o:
            # File bytes per second, like every other row (the loaders may
            # scan fewer bytes than a file holds: headers, unloaded sections).
            rows.append({"tool": o["tool"], "hits": o["hits"], "mb_per_s": o["mb_per_s_of_file_bytes"],
                         "findings": o["findings"]})
    rows.append(yara or {"tool": "yara-x: not installed (pip install -r scripts/requirements-optional.txt)",
                         "hits": None, "mb_per_s": None})
    what = f"corpus {args.corpus}" if args.corpus else f"synthetic {args.mib} MiB (best case)"
    label = ("the real-binary corpus of scripts/corpus/realbin.py" if args.real
             else f"the files under {args.corpus.name}" if args.corpus
             else f"a synthetic {args.mib} MiB image (seeded random bytes, planted constants: the best case)")
    print(f"\n## Peers side by side: {what}, {len(files)} files, {mb:.1f} MB, best of {args.reps}, one core\n")
    print("| scanner / kernel | hits | MB/s |")
    print("|---|---:|---:|")
    for r in rows:
        rate = "-" if r["mb_per_s"] is None else f"{r['mb_per_s']:.0f}"
        hits = "-" if r["hits"] is None else str(r["hits"])
        if "findings" in r:
            hits += f" ({r['findings']} findings)"
        print(f"| {r['tool']} | {hits} | {rate} |")
    agree = [r["hits"] for r in rows[:2]] + ([yara["hits"]] if yara else [])
    print(f"\nbyte-pattern hit counts (pqbench scan, aho-corasick{', yara-x' if yara else ''}): "
          f"{'agree' if len(set(agree)) == 1 else 'DIFFER'}: {agree}")
    if args.json:
        doc = {"measured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "input": what, "files": len(files), "mb": mb, "reps": args.reps, "one_core": True,
               "input_label": label, "command": " ".join(["scripts/corpus/peers.py", *sys.argv[1:]]),
               "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "cpu_model": cpu_model(),
                        "python": platform.python_version()},
               "note": args.note, "rows": rows, "example": example, "pqbench_scan": ours,
               "pqbench_scan_all_threads": ours_all, "pqbench_scan_findings_only": ours_findings,
               "pqbench_scan_yara_rules": ours_rules, "yara_x": yara,
               "hits_agree": len(set(agree)) == 1}
        if args.corpus and (args.corpus / "MANIFEST.json").is_file():
            doc["lock_sha256"] = json.loads((args.corpus / "MANIFEST.json").read_text()).get("lock_sha256")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {args.json}")
    return 0 if len(set(agree)) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
