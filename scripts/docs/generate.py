#!/usr/bin/env python3
"""Generates the measured tables of docs/ from committed results files.

Every measured table in docs/*.md sits between two markers,

    <!-- BEGIN generated:NAME -->
    ...
    <!-- END generated:NAME -->

and is rebuilt here from a pqbench results file under results/reports/,
together with the command that produced the file and the environment it ran
in (both read from the file itself), so a table cannot drift from the file it
claims to show. The PQC suite table is rendered by pqbench itself
(`pqbench show --suite-table --markdown`); the cross-board table and the
figures come from `pqbench report` over the committed files merged with
`pqbench merge` (its CSV table verbatim, its SVG figures byte for byte into
docs/figures/).

    scripts/docs/generate.py                   # rewrite the docs in place
    scripts/docs/generate.py --check           # exit 1 if a page is out of date (the test command)
    scripts/docs/generate.py --pqbench PATH    # the pqbench binary used for the suite table
"""

import argparse
import atexit
import csv
import difflib
import functools
import shutil
import tempfile
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import script_tables  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORTS = os.path.join(ROOT, "results", "reports")
FIGURES = os.path.join(ROOT, "docs", "figures")

# The committed files the report covers (order: the merged file's order).
REPORT_INPUTS = ["host-main.json", "qemu-an386.json", "qemu-boards.json", "tflite.json"]
# Rows of the cross-board table: these benchmarks on every target, with the
# published figures the report attaches.
HARDWARE_IDS = [
    "pqc/ml-kem.keygen/rustcrypto/768",
    "pqc/ml-kem.encaps/rustcrypto/768",
    "pqc/ml-kem.decaps/rustcrypto/768",
    "pqc/ml-dsa.keygen/rustcrypto/65",
    "pqc/ml-dsa.sign/rustcrypto/65",
    "pqc/ml-dsa.verify/rustcrypto/65",
    "pqc/slh-dsa.sign/rustcrypto/sha2-128f",
    "classical/x25519.dh/dalek/x25519",
    "classical/ecdsa.sign/rustcrypto/p256",
]
# Figures copied into docs/figures/: (benchmark id, figure kind as the
# report names it, caption).
FIGURE_PICKS = [
    ("pqc/ml-kem.keygen/rustcrypto/768", "counts-hardware",
     "ML-KEM-768 key generation: instructions on six emulated Cortex-M boards beside pqm4's published cycles"),
    ("pqc/ml-dsa.sign/rustcrypto/65", "counts-hardware",
     "ML-DSA-65 signing (input-dependent count: median over the seeded messages) across boards"),
    ("pqc/ml-kem.encaps/rustcrypto/768", "ns-replications",
     "ML-KEM-768 encapsulation on the host: the spread of each of the 10 replications"),
    ("accel/pk_detect_int8/tflite-cpu/single-stream", "ns-percentiles",
     "TFLite single-stream inference latency by percentile"),
]


# --- formatting (same conventions as pqbench's report::format) -------------


def four_digits(x):
    a = abs(x)
    if a < 10:
        return f"{x:.3f}"
    if a < 100:
        return f"{x:.2f}"
    return f"{x:.1f}"


def thousands(v):
    return f"{round(v):,}"


def fmt_value(v, unit):
    if v is None:
        return "-"
    if unit == "ns":
        for scale, name in ((1, "ns"), (1e3, "µs"), (1e6, "ms")):
            if abs(v) < scale * 1e3:
                return f"{four_digits(v / scale)} {name}"
        return f"{four_digits(v / 1e9)} s"
    return thousands(v)


def fmt_rate(per_s, what):
    if what == "bytes":
        for scale, name in ((2**30, "GiB/s"), (2**20, "MiB/s"), (2**10, "KiB/s")):
            if per_s >= scale:
                return f"{four_digits(per_s / scale)} {name}"
        return f"{four_digits(per_s)} B/s"
    return f"{four_digits(per_s)} elem/s"


def fmt_bytes(metrics, name):
    m = metrics.get(name)
    return thousands(m["value"]) if m else ""


# --- environment and provenance ---------------------------------------------


def provenance(path, data):
    env = data.get("environment", {})
    cmd = env.get("command") or []
    if cmd:
        cmd = [os.path.basename(cmd[0])] + list(cmd[1:])
    rel = os.path.relpath(path, ROOT)
    parts = [
        f"Source: [`{rel}`](../{rel}), written by pqbench {data.get('pqbench_version', '?')}"
        + ("" if data.get("complete") else " (**incomplete run**)")
        + ".",
        f"Command: `{' '.join(cmd) or 'unknown'}`.",
    ]
    facts = []
    for key, label in (
        ("cpu_model", "CPU"),
        ("logical_cores", "logical cores"),
        ("kernel", "kernel"),
        ("os", "OS"),
        ("rustc", "rustc"),
        ("profile", "profile"),
        ("git_commit", "commit"),
        ("time", "measured"),
    ):
        v = env.get(key)
        if v is not None and v != "":
            if key == "git_commit":
                v = str(v)[:12] + (" (dirty)" if env.get("git_dirty") else "")
            facts.append(f"{label}: {v}")
    parts.append("Environment: " + "; ".join(facts) + ".")
    return "\n".join(parts)


def load(name):
    path = os.path.join(REPORTS, name)
    with open(path, encoding="utf-8") as f:
        return path, json.load(f)


def shape(r):
    procs = r.get("processes") or []
    counts = [len(p.get("samples", [])) for p in procs]
    if not counts:
        return "-"
    if len(set(counts)) == 1:
        return f"{len(counts)} × {counts[0]}"
    return f"{len(counts)} × {min(counts)}–{max(counts)}"


def recording(r):
    if r.get("recording") == "batch_mean":
        return f"mean of {r.get('iterations_per_sample', 1)}"
    return "single op"


table = script_tables.table


# --- the tables ---------------------------------------------------------------


def host_table(_args):
    path, data = load("host-main.json")
    rows = []
    for r in data["results"]:
        s = r.get("summary")
        if r["status"]["state"] != "ok" or not s:
            rows.append([f"`{r['id']}`", r["status"]["state"], "", "", "", ""])
            continue
        tp = ""
        spec = r.get("throughput")
        if spec and s["median"] > 0:
            tp = fmt_rate(spec["per_op"] * 1e9 / s["median"], spec["kind"])
        rows.append(
            [
                f"`{r['id']}`",
                recording(r),
                shape(r),
                fmt_value(s["median"], r["unit"]),
                fmt_value(s["p99"], r["unit"]),
                tp,
            ]
        )
    body = table(
        ["benchmark", "recording", "replications × samples", "p50", "p99", "throughput at p50"],
        ["l", "l", "r", "r", "r", "r"],
        rows,
    )
    return provenance(path, data) + "\n\n" + body


PRODUCTION_IMPLS = ["rustcrypto", "openssl", "ring", "aws-lc", "libcrux", "pqclean"]


def production_table(_args):
    """The classical operations and ML-KEM-768 of the main job, one row per
    operation and parameter set, one column per implementation (median)."""
    path, data = load("host-main.json")
    cells = {}
    for r in data["results"]:
        suite, op, impl, params = (r["id"].split("/") + ["", "", "", ""])[:4]
        wanted = suite == "classical" or (op.startswith("ml-kem.") and params == "768")
        if not wanted or impl not in PRODUCTION_IMPLS or op.endswith(".keygen"):
            continue
        s = r.get("summary")
        if r["status"]["state"] != "ok" or not s:
            continue
        key = (op if suite == "classical" else f"{suite}/{op}", params)
        cells.setdefault(key, {})[impl] = fmt_value(s["median"], r["unit"])
    used = [i for i in PRODUCTION_IMPLS if any(i in c for c in cells.values())]
    rows = [[f"`{op}`", "" if params == "-" else params] + [c.get(i, "—") for i in used]
            for (op, params), c in sorted(cells.items())]
    return provenance(path, data) + "\n\n" + table(["operation", "params"] + used, ["l", "l"] + ["r"] * len(used), rows)


def suite_table(args):
    path, data = load("host-main.json")
    out = subprocess.run(
        [args.pqbench, "show", "--suite-table", path, "--markdown"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    # The table only: `show` prints the environment first, which the
    # provenance line already gives.
    rows = [line for line in out.splitlines() if line.startswith("|")]
    return provenance(path, data) + "\n\n" + "\n".join(rows)


def qemu_table(_args):
    path, data = load("qemu-an386.json")
    rows = []
    for r in data["results"]:
        s = r.get("summary")
        m = r.get("static_metrics", {})
        anchor = r.get("details", {}).get("published_anchor")
        pub = ""
        if anchor:
            fast = [(k, v) for k, v in anchor.items() if k.startswith("m4f")]
            pub = thousands(anchor["clean"]) + (
                f" / {thousands(fast[0][1])} ({fast[0][0]})" if fast else ""
            )
        if r["status"]["state"] != "ok" or not s:
            msg = (r["status"].get("message") or "")[:60]
            rows.append([f"`{r['id']}`", r["status"]["state"].replace("_", " "), msg, "", "", "", "", "", pub])
            continue
        det = r.get("determinism") or {}
        rows.append(
            [
                f"`{r['id']}`",
                thousands(s["median"]),
                f"{thousands(s['min'])} – {thousands(s['max'])}",
                det.get("class", "").replace("_", " "),
                fmt_bytes(m, "stack_bytes"),
                fmt_bytes(m, "heap_peak_bytes"),
                fmt_bytes(m, "code_size_bytes"),
                fmt_bytes(m, "code_size_run_bytes"),
                pub,
            ]
        )
    body = table(
        [
            "benchmark",
            "median instructions",
            "min – max",
            "counter",
            "stack B",
            "heap peak B",
            "code B",
            "run code B",
            "pqm4 **published** cycles, clean / asm",
        ],
        ["l", "r", "r", "l", "r", "r", "r", "r", "l"],
        rows,
    )
    return provenance(path, data) + "\n\n" + body


def per_process_median(result, key):
    """Median over replications of a per-replication detail (or the
    scenario-level value of older files)."""
    if not result:
        return None
    details = result.get("details", {})
    vals = sorted(p[key] for p in details.get("per_process") or [] if isinstance(p.get(key), (int, float)))
    if vals:
        return vals[len(vals) // 2]
    v = details.get(key)
    return v if isinstance(v, (int, float)) else None


def tflite_table(_args):
    path, data = load("tflite.json")
    by = {}
    for r in data["results"]:
        target = r["target"]
        scenario = r["id"].rsplit("/", 1)[-1]
        by.setdefault(target, {})[scenario] = r
    rows = []
    for target, sc in by.items():
        ss = sc.get("single-stream")
        off = sc.get("offline")
        srv = sc.get("server")
        ld = sc.get("load")
        cells = [target]
        if ss and ss.get("summary"):
            s = ss["summary"]
            det = ss.get("details", {})
            first = per_process_median(ss, "first_inference_ns")
            runtime = det.get("runtime") or "TensorFlow Lite"
            version = det.get("runtime_version") or det.get("tflite_version", "?")
            cells += [f"{runtime} {version}", shape(ss), fmt_value(s["median"], "ns"), fmt_value(s["p90"], "ns"), fmt_value(s["p99"], "ns"), fmt_value(first, "ns")]
        else:
            cells += ["", "", "", "", "", ""]
        qps = per_process_median(off, "inferences_per_s")
        cells.append(f"{qps:,.0f} inf/s" if qps else "")
        sq = per_process_median(srv, "server_qps")
        cells.append(f"{sq:,.0f} q/s" if sq else "")
        cells.append(fmt_value(ld["summary"]["median"], "ns") if ld and ld.get("summary") else "")
        rows.append(cells)
    body = table(
        ["target", "runtime", "replications × queries", "single-stream p50", "p90", "p99", "first inference", "offline", "server (p99 <= bound)", "model load (cold)"],
        ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r"],
        rows,
    )
    return provenance(path, data) + "\n\n" + body


def sanitize(bench_id):
    """The report's file-name form of a benchmark id."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", bench_id)


@functools.lru_cache(maxsize=None)
def report_dir(pqbench):
    """Merges the committed files and runs `pqbench report` on them once;
    returns the report's directory."""
    out = tempfile.mkdtemp(prefix="pqbench-docs-")
    atexit.register(shutil.rmtree, out, True)
    merged = os.path.join(out, "merged.json")
    inputs = [os.path.join(REPORTS, f) for f in REPORT_INPUTS]
    run = lambda *a: subprocess.run([pqbench, *a], check=True, capture_output=True, text=True, cwd=ROOT)
    run("merge", *inputs, "-o", merged)
    run("report", merged, "-o", os.path.join(out, "report"), "--title", "pqbench measured results")
    return os.path.join(out, "report")


def inputs_provenance():
    lines = []
    for name in REPORT_INPUTS:
        path, data = load(name)
        env = data.get("environment", {})
        cmd = env.get("command") or []
        cmd = " ".join([os.path.basename(cmd[0])] + list(cmd[1:])) if cmd else "unknown"
        rel = os.path.relpath(path, ROOT)
        commit = str(env.get("git_commit", "?"))[:12] + (" dirty" if env.get("git_dirty") else "")
        build = env.get("profile", "?")
        lines.append(f"- [`{rel}`](../{rel}): `{cmd}` (commit {commit}, {build} build, {env.get('time', '?')})")
    return "Sources, merged with `pqbench merge` and drawn by `pqbench report`:\n\n" + "\n".join(lines)


def hardware_table(args):
    path = os.path.join(report_dir(args.pqbench), "tables", "hardware.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r[0] in HARDWARE_IDS]
    body.sort(key=lambda r: HARDWARE_IDS.index(r[0]))
    keep = [i for i, h in enumerate(header) if any(r[i] for r in body)]
    cells = lambda r: [r[i].replace("|", "\\|") for i in keep]
    aligns = ["r" if header[i] in ("median [95% CI]", "p99", "reps x samples", "code size", "stack") else "l" for i in keep]
    return inputs_provenance() + "\n\n" + table([header[i] for i in keep], aligns, [cells(r) for r in body])


def report_table(args, prefix, keep=lambda row: True):
    """The rows of pqbench report's CSV tables named PREFIX-*.csv (cells
    verbatim, rows KEEP accepts), as a markdown table under the inputs."""
    tables = os.path.join(report_dir(args.pqbench), "tables")
    names = sorted(n for n in os.listdir(tables) if n.startswith(prefix + "-") and n.endswith(".csv"))
    if not names:
        sys.exit(f"pqbench report wrote no {prefix} table")
    rows = []
    for n in names:
        with open(os.path.join(tables, n), encoding="utf-8", newline="") as f:
            part = list(csv.reader(f))
        header = part[0]
        rows += [r for r in part[1:] if keep(r)]
    aligns = ["l", "l"] + ["r"] * (len(header) - 2)
    return inputs_provenance() + "\n\n" + table(header, aligns, [[c.replace("|", "\\|") for c in r] for r in rows])


def same_code_table(args):
    """pqbench report's same-code-as-pqm4 table: the implementations pqm4
    also measures, on the emulated M4."""
    return report_table(args, "pqm4-same-code", lambda r: "/pqclean/" in r[0])


def memory_table(args):
    """pqbench report's stack-and-size-like-pqm4 table: PQClean clean on the
    emulated M4 beside pqm4's published stack and library sizes."""
    return report_table(args, "pqm4-memory")


def script_results(rel, script, details):
    """The JSON a measuring script wrote at REL, and the lines heading its
    table: source, command, and when and where it was measured, then
    DETAILS(data) (the input and the repetitions)."""
    data = script_tables.load(rel)
    head = [
        f"Source: [`{rel}`](../{rel}), written by `{script}`.",
        f"Command: `{data.get('command') or script}`.",
        f"Measured {data.get('measured', '?')} on {script_tables.host_phrase(data)}{details(data)}",
    ]
    return data, "\n".join(head)


def peers_table(name):
    """The side-by-side scanner table of scripts/corpus/peers.py's JSON
    results/peers/NAME.json: one row per scanner or kernel."""
    def render(_args):
        data, head = script_results(
            f"results/peers/{name}.json", "scripts/corpus/peers.py",
            lambda d: f"; input: {d.get('input_label') or d.get('input')}, {d.get('files')} files,"
                      f" {d.get('mb', 0):.1f} MB, best of {d.get('reps')} repetitions."
                      + (f" {d['note']}" if d.get("note") else ""))
        rows = []
        for r in data["rows"]:
            hits = "-" if r.get("hits") is None else f"{r['hits']:,}"
            if r.get("findings") is not None:
                hits += f" ({r['findings']} findings)"
            rate = "-" if r.get("mb_per_s") is None else f"{r['mb_per_s']:,.0f}"
            rows.append([r["tool"], hits, rate])
        return head + "\n\n" + table(["scanner / kernel", "hits", "MB/s"], ["l", "r", "r"], rows)
    return render


def streaming_table(_args):
    """`pqbench scan` end to end on one large image and on many files, from
    scripts/corpus/streaming.py's JSON."""
    data, head = script_results(
        "results/peers/detect-streaming.json", "scripts/corpus/streaming.py",
        lambda d: f", release build, best of {d.get('reps')} runs.")
    fmt = lambda v, d=0: "-" if v is None else f"{v:,.{d}f}"
    rows = [[r["input"], r["threads"], fmt(r["mb"]), fmt(r["mb_per_s"]), fmt(r["images_per_s"], 1),
             fmt(r["peak_rss_mib"], 1), fmt(r["anonymous_mib"], 1), fmt(r["file_backed_mib"], 1)]
            for r in data["rows"]]
    headers = ["input", "threads", "MB", "MB/s", "images/s", "peak RSS (MiB)", "anonymous (MiB)", "file-backed (MiB)"]
    return head + "\n\n" + table(headers, ["l"] + ["r"] * 7, rows)


def figures(args):
    """Copies the picked figures into docs/figures/ (in --check mode into a
    scratch directory, compared byte for byte) and links them."""
    src = os.path.join(report_dir(args.pqbench), "figures")
    names = sorted(os.listdir(src))
    lines = []
    for bench_id, kind, caption in FIGURE_PICKS:
        suffix = f"-{sanitize(bench_id)}-{kind}.svg"
        found = [n for n in names if n.endswith(suffix)]
        if len(found) != 1:
            sys.exit(f"pqbench report wrote {len(found)} figures named *{suffix}: expected one")
        dest_name = f"{sanitize(bench_id)}-{kind}.svg"
        args.figures[dest_name] = os.path.join(src, found[0])
        lines.append(f"![{caption}](figures/{dest_name})\n\n*{caption}.*")
    return inputs_provenance() + "\n\n" + "\n\n".join(lines)


GENERATORS = {
    "host-main": ("docs/measured.md", host_table),
    "pqc-suite": ("docs/measured.md", suite_table),
    "production-baselines": ("docs/pqc.md", production_table),
    "qemu-an386": ("docs/measured.md", qemu_table),
    "tflite": ("docs/measured.md", tflite_table),
    "hardware": ("docs/measured.md", hardware_table),
    "pqm4-same-code": ("docs/measured.md", same_code_table),
    "pqm4-memory": ("docs/measured.md", memory_table),
    "figures": ("docs/measured.md", figures),
    "detect-realbin": ("docs/detection.md", peers_table("detect-realbin")),
    "detect-synthetic": ("docs/detection.md", peers_table("detect-synthetic")),
    "detect-streaming": ("docs/detection.md", streaming_table),
    "sensitivity": ("docs/evidence.md", script_tables.sensitivity("results/peers/sensitivity-2026-11-30.json")),
    **script_tables.GENERATORS,
}


def render(args):
    """Returns {doc path: new text} for every page with generated blocks."""
    pages = {}
    for name, (doc, fn) in GENERATORS.items():
        full = os.path.join(ROOT, doc)
        text = pages.get(full)
        if text is None:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        pat = re.compile(
            rf"(<!-- BEGIN generated:{re.escape(name)} -->\n)(.*?)(<!-- END generated:{re.escape(name)} -->)",
            re.S,
        )
        if not pat.search(text):
            sys.exit(f"{doc}: no markers for generated:{name}")
        block = fn(args).rstrip() + "\n"
        text = pat.sub(lambda m: m.group(1) + block + m.group(3), text)
        pages[full] = text
    return pages


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail when a page differs from what the files give")
    ap.add_argument("--pqbench", default=os.path.join(ROOT, "target", "debug", "pqbench"))
    args = ap.parse_args()
    args.figures = {}
    stale = []
    pages = render(args)
    os.makedirs(FIGURES, exist_ok=True)
    for name, src in sorted(args.figures.items()):
        dest = os.path.join(FIGURES, name)
        with open(src, "rb") as f:
            fresh = f.read()
        old = open(dest, "rb").read() if os.path.exists(dest) else None
        if old == fresh:
            continue
        if args.check:
            stale.append(dest)
            print(f"{os.path.relpath(dest, ROOT)}: differs from what pqbench report draws now")
        else:
            shutil.copyfile(src, dest)
            print(f"updated {os.path.relpath(dest, ROOT)}")
    for extra in sorted(set(os.listdir(FIGURES)) - set(args.figures)):
        if args.check:
            stale.append(os.path.join(FIGURES, extra))
            print(f"docs/figures/{extra}: no longer generated")
        else:
            os.remove(os.path.join(FIGURES, extra))
    for path, new in pages.items():
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if old == new:
            continue
        if args.check:
            stale.append(path)
            sys.stdout.writelines(
                difflib.unified_diff(old.splitlines(True), new.splitlines(True), path, path + " (generated)", n=1)
            )
        else:
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(new)
            os.replace(tmp, path)
            print(f"updated {os.path.relpath(path, ROOT)}")
    if stale:
        print(f"\nout of date: {', '.join(os.path.relpath(p, ROOT) for p in stale)}; run scripts/docs/generate.py", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
