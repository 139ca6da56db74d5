#!/usr/bin/env python3
"""`pqbench scan` end to end on one large image and on many files: MB/s,
images/s and memory (peak resident set, its anonymous and file-backed parts,
from `--stats`), with one thread and with all threads.

The large image is the real-binary corpus of realbin.py (its files in
order) repeated to --gib GiB after 16 zero bytes (so that it is read as a
raw image, not as the first file's ELF), written to a temporary file and
deleted afterwards. The many-files input is the corpus itself.

Usage: scripts/corpus/streaming.py [--pqbench target/release/pqbench]
       [--gib 1] [--reps 3] [--json results/peers/detect-streaming.json]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realbin  # noqa: E402
from peers import corpus_files, cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STATS = re.compile(r"scanned (\d+) files, (\d+) bytes in ([0-9.]+) s")
MEMORY = re.compile(r"(?P<key>peak RSS|anonymous|file-backed)[^0-9]*([0-9.]+) (KiB|MiB|GiB)")


def big_image(files, size, path):
    """Writes 16 zero bytes, then `files` repeated, cut at `size` bytes."""
    with open(path, "wb") as out:
        out.write(bytes(16))
        left = size - 16
        while left > 0:
            for f in files:
                if left <= 0:
                    break
                data = f.read_bytes()[:left]
                out.write(data)
                left -= len(data)


def mib(value, unit):
    return float(value) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[unit]


def scan(exe, inputs, threads, reps):
    """Best of `reps` runs: seconds, bytes, and the memory line's peaks of
    that run (MiB)."""
    best = None
    for _ in range(reps):
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        with tempfile.NamedTemporaryFile(suffix=".txt") as out:
            r = subprocess.run([exe, "scan", "--stats", "-o", out.name, *map(str, inputs)],
                               env=env, capture_output=True, text=True)
        m = STATS.search(r.stderr)
        if not m:
            sys.exit(f"pqbench scan failed (exit {r.returncode}): {r.stderr.strip()[-500:]}")
        memory = {}
        for line in r.stderr.splitlines():
            for k in MEMORY.finditer(line):
                memory.setdefault(k.group("key"), mib(k.group(2), k.group(3)))
        run = {"seconds": float(m.group(3)), "bytes": int(m.group(2)), "files": int(m.group(1)),
               "memory_mib": memory, "stats": r.stderr.strip().splitlines()[-2:]}
        if best is None or run["seconds"] < best["seconds"]:
            best = run
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default=str(ROOT / "target" / "release" / "pqbench"))
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    corpus = realbin.corpus_dir()
    if not (corpus / "MANIFEST.json").is_file():
        sys.exit(f"no real-binary corpus in {corpus}: run scripts/corpus/realbin.py fetch")
    files = corpus_files(corpus)
    cpus = os.cpu_count() or 1
    size = int(args.gib * (1 << 30))
    rows = []
    with tempfile.TemporaryDirectory() as d:
        big = Path(d) / "big.raw"
        big_image(files, size, big)
        for label, inputs in ((f"one {args.gib:g} GiB raw image", [big]),
                              (f"{len(files)} files of the corpus", files)):
            mb = sum(p.stat().st_size for p in inputs) / 1e6
            for threads in sorted({1, cpus}):
                r = scan(args.pqbench, inputs, threads, args.reps)
                mem = r["memory_mib"]
                rows.append({"input": label, "threads": threads, "mb": mb,
                             "seconds": r["seconds"], "mb_per_s": mb / r["seconds"],
                             "images_per_s": len(inputs) / r["seconds"],
                             "peak_rss_mib": mem.get("peak RSS"), "anonymous_mib": mem.get("anonymous"),
                             "file_backed_mib": mem.get("file-backed"), "stats": r["stats"]})
                print(f"{label}, {threads} thread(s): {mb / r['seconds']:.0f} MB/s, "
                      f"{len(inputs) / r['seconds']:.1f} images/s, memory {mem}")
    if args.json:
        doc = {"measured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "command": " ".join(["scripts/corpus/streaming.py", *sys.argv[1:]]),
               "host": {"machine": platform.machine(), "cpus": cpus, "cpu_model": cpu_model()},
               "reps": args.reps, "rows": rows}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
