"""Generated blocks of docs/evidence.md, docs/accel.md and docs/cargo-bench.md
whose numbers come from measuring scripts and simulations (results/peers/,
results/reports/standard-models/, the model metadata): imported by
generate.py, one function per block, each taking the parsed arguments and
returning the block's markdown.
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rates  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def table(headers, aligns, rows):
    """A Markdown table; ALIGNS holds "r" (right) or anything else (left)."""
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join("---:" if a == "r" else "---" for a in aligns) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)



def load(rel):
    """The committed JSON file at REL (relative to the repository)."""
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return json.load(f)



def host_phrase(data):
    """`CPU (N logical CPUs)` of a results file's `host` block."""
    host = data.get("host", {})
    return f"{host.get('cpu_model') or host.get('machine', '?')} ({host.get('cpus', '?')} logical CPUs)"


def _head(rel, data, what=""):
    return (f"Source: [`{rel}`](../{rel}); command: `{data.get('command')}`; measured {data.get('measured')} on "
            f"{host_phrase(data)}{what}.")


def _raw_tables(rel):
    """The command line and the markdown tables of a committed raw output:
    [(title line, [rows of cells])]."""
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        lines = f.read().splitlines()
    command = lines[0].removeprefix("$ ")
    tables, title = [], None
    for line in lines[1:]:
        if not line.startswith("|"):
            title = line
            tables.append((title, []))
        elif not line.startswith("|---") and not line.startswith("| replications"):
            tables[-1][1].append([c.strip() for c in line.strip("|").split("|")])
    return command, tables


def _us(ns):
    return "-" if ns is None else (f"{ns / 1e6:.3g} ms" if ns >= 1e6 else f"{ns / 1e3:.4g} µs")


def power_sim(_args):
    """The power curve of the gate's procedure by replications per side,
    Welch's and Yuen's test side by side, clean and disturbed noise."""
    rel = "results/peers/power-sim.txt"
    command, tables = _raw_tables(rel)
    cells = {}
    for r in tables[0][1]:
        reps, samples, test, noise = r[0], r[1], r[2], r[3]
        cells[(noise, reps, samples, test)] = r[4:7]
    rows = []
    for noise in ("LogNormal", "DisturbedReplications"):
        for (n, reps, samples, test) in cells:
            if n != noise or test != "Welch":
                continue
            w, y = cells[(noise, reps, samples, "Welch")], cells.get((noise, reps, samples, "Yuen"), ["-"] * 3)
            bold = (lambda c: f"**{c}**") if reps == "16" else (lambda c: c)
            label = "issue model" if noise == "LogNormal" else "1 in 10 replications disturbed"
            rows.append([label, bold(reps + (" (default)" if reps == "16" else "")), samples,
                         " / ".join(w), bold(" / ".join(y))])
    return (f"Source: [`{rel}`](../{rel}), the output of `{command}` (seeded: the same numbers on any "
            "machine). Each cell: suite A/A false alarm / +1 % rows flagged / +3 % rows flagged.\n\n"
            + table(["noise", "replications per side", "samples per replication", "Welch t", "Yuen 20 % trimmed t"],
                     ["l", "r", "r", "r", "r"], rows))


def coverage_sim(_args):
    """Coverage of the 95 % intervals by replication count."""
    rel = "results/peers/coverage-sim.txt"
    command, tables = _raw_tables(rel)
    return (f"Source: [`{rel}`](../{rel}), the output of `{command}` (seeded).\n\n"
            + table(["replications per side", "Yuen trimmed t (the verdict's interval)", "Welch t",
                      "Hodges-Lehmann (Moses)", "percentile bootstrap (descriptive)"], ["r", "r", "r", "r", "r"],
                     tables[0][1]))


def validate_sim(_args):
    """False alarms and detection by noise model (the procedure's validation)."""
    rel = "results/peers/validate-sim.txt"
    command, tables = _raw_tables(rel)
    body = table(["noise", "A/A false alarm (suite)", "1% detected", "2% detected", "5% detected", "paired A/A",
                   "paired 1%", "paired 2%"], ["l"] + ["r"] * 7, [r for r in tables[0][1] if r[0] != "noise"])
    return f"Source: [`{rel}`](../{rel}), the output of `{command}` (seeded).\n\n" + body


def _trial_counts(trials, shift, verdicts):
    """Per trial of condition SHIFT: (rows with a verdict in VERDICTS, rows)."""
    conds = [t["conditions"][str(shift)] for t in trials if str(shift) in t["conditions"]]
    return [sum(c["counts"][v] for v in verdicts) for c in conds], [c["rows"] for c in conds]


def _power_row(s, verdicts, trials):
    """One condition of real_power.py's summary: its label, the suites the
    gate failed, then each verdict's rows, each as `k/n (p %; 95 % interval)`
    (suites: Clopper-Pearson; rows: bootstrap over trials, rates.py)."""
    n = s["rows"]
    label = "A/A" if s["shift_pct"] == 0 else f"+{s['shift_pct']:g} %"
    failed = rates.cell(s["gate_failed"], s["trials"], rates.exact(s["gate_failed"], s["trials"]))
    cells = []
    for v in verdicts:
        ks, ns = _trial_counts(trials, s["shift_pct"], [v])
        cells.append(rates.cell(s["counts"][v], n, rates.by_trial(ks, ns)))
    return [label, failed] + cells


INTERVALS = ("Each cell: count (rate; its 95 % interval): suites by Clopper-Pearson, rows by a bootstrap over "
             "trials (the rows of a trial share the machine's state; scripts/docs/rates.py).")


def real_power(name):
    """Real `pqbench run` files gated at the defaults, by injected shift,
    from scripts/power/real_power.py's JSON results/peers/NAME.json."""
    def render(_args):
        rel = f"results/peers/{name}.json"
        data = load(rel)
        rows = [_power_row(s, ["regressed", "improved", "inconclusive", "undecidable"], data["trials"])
                for s in data["summary"]]
        return (_head(rel, data, f"; {len(data['trials'])} trials of {len(data['filters'])} benchmarks: "
                      + ", ".join(f"`{f}`" for f in data["filters"])) + " " + INTERVALS + "\n\n"
                + table(["condition", "suites the gate failed", "rows flagged regressed", "improved",
                          "inconclusive", "undecidable"], ["l", "r", "r", "r", "r", "r"], rows))
    return render


def real_power_designs(name):
    """Designs of `pqbench run` gated at the defaults, trials alternating,
    from scripts/power/design_compare.py's JSON results/peers/NAME.json."""
    def render(_args):
        rel = f"results/peers/{name}.json"
        data = load(rel)
        rows = []
        for design, runs in data["designs"].items():
            args = " ".join(runs["run_args"]) or "defaults"
            rows += [[f"{design} (`{args}`)"] + _power_row(s, ["regressed", "improved", "inconclusive"], runs["trials"])
                     for s in runs["summary"]]
        return (_head(rel, data, "; trials alternating between the designs, benchmarks: "
                      + ", ".join(f"`{f}`" for f in data["filters"])) + " " + INTERVALS + "\n\n"
                + table(["design (pqbench run arguments)", "condition", "suites the gate failed",
                         "rows flagged regressed", "improved", "inconclusive"],
                        ["l", "l", "r", "r", "r", "r"], rows))
    return render


def real_power_tests(_args):
    """The same real files gated by Welch's and by Yuen's test."""
    runs = [("real-power-welch10", 10, "Welch (as run)"), ("real-power-welch10-yuen", 10, "Yuen (same files)"),
            ("real-power-yuen16-welch", 16, "Welch (same files)"), ("real-power", 16, "Yuen (as run)"),
            ("real-power-run3-welch", 16, "Welch (same files)"), ("real-power-run3", 16, "Yuen (as run)")]
    rows = []
    for name, reps, test in runs:
        data = load(f"results/peers/{name}.json")
        by = {s["shift_pct"]: s for s in data["summary"]}

        def frac(shift, verdicts):
            ks, ns = _trial_counts(data["trials"], shift, verdicts)
            return rates.cell(sum(by[shift]["counts"][v] for v in verdicts), by[shift]["rows"],
                              rates.by_trial(ks, ns))
        rows.append([f"[`{name}.json`](../results/peers/{name}.json)", reps, test,
                     frac(0, ["regressed", "improved"]), frac(1, ["regressed"]), frac(3, ["regressed"])])
    return ("Each cell: rows (rate; its 95 % interval, bootstrap over trials).\n\n"
            + table(["files", "replications", "test", "A/A rows flagged", "+1 % rows regressed",
                     "+3 % rows regressed"], ["l", "r", "l", "r", "r", "r"], rows))


NOISE_CAP = 0.02


def real_power_by_noise(_args):
    """Every real run at the defaults, its rows split by their replication
    noise (SD of the log per-replication medians, both sides pooled: the
    gate's `replication_noise.between`) at NOISE_CAP, four times the
    issue model's 0.5 % process noise."""
    runs = [("real-power", None), ("real-power-order", "sequential"), ("real-power-order", "interleaved"),
            ("real-power-adaptive", "default"), ("real-power-aa", None)]
    rows = []
    for name, design in runs:
        data = load(f"results/peers/{name}.json")
        trials = data["designs"][design]["trials"] if design else data["trials"]
        label = f"[`{name}.json`](../results/peers/{name}.json)" + (f" ({design})" if design else "")
        for shift in ("0", "1", "3"):
            details = [r for t in trials if shift in t["conditions"] for r in t["conditions"][shift]["detail"]]
            if not details:
                continue
            wanted = ("regressed", "improved") if shift == "0" else ("regressed",)
            # A row without a noise figure is not claimed inside the band.
            inside, outside = [], []
            for r in details:
                known = r.get("rep_noise") is not None
                (inside if known and r["rep_noise"] <= NOISE_CAP else outside).append(r)

            def rate(part):
                k = sum(r["verdict"] in wanted for r in part)
                return f"{k}/{len(part)} ({100 * k / len(part):.0f} %)" if part else "-"
            cells = [rate(inside), rate(outside)]
            noises = [r["rep_noise"] for r in outside if r.get("rep_noise") is not None]
            noise = f"{100 * min(noises):.1f}–{100 * max(noises):.1f} %" if noises else "-"
            cond = "A/A (rows flagged)" if shift == "0" else f"+{shift} % (rows regressed)"
            rows.append([label, cond] + cells + [noise])
    return ("Rows split by their replication noise (the gate's `replication_noise.between`, the SD of the log "
            f"per-replication medians, both sides pooled) at {100 * NOISE_CAP:.0f} %, four times the issue "
            "model's 0.5 % process noise; every real run at the defaults.\n\n"
            + table(["run", "condition", f"noise <= {100 * NOISE_CAP:.0f} %", f"noise > {100 * NOISE_CAP:.0f} %",
                     "noise of those"], ["l", "l", "r", "r", "r"], rows))


def litert_peer(_args):
    """pqbench's litert-cpu against Python's ai_edge_litert, interleaved rounds."""
    rel = "results/peers/litert-peer.json"
    data = load(rel)
    med = {k: [r["median_ns"][k] for r in data["rounds"]] for k in ("pqbench", "interpreter", "compiled")}
    span = lambda v: f"{min(v) / 1e3:.2f}–{max(v) / 1e3:.2f} µs"
    ratio = lambda p: [a / b for a, b in zip(med["pqbench"], med[p])]
    rs = {p: ratio(p) for p in ("interpreter", "compiled")}
    cell = lambda r: f"{statistics.median(r):.3f} ({min(r):.3f}–{max(r):.3f})"
    return (_head(rel, data, f"; model `{data['model']}`, {data['queries']:,} queries per runner and round, "
                  f"{len(data['rounds'])} interleaved rounds") + "\n\n"
            + table(["threads", "pqbench `litert-cpu`", "Python `Interpreter`", "Python `CompiledModel`",
                      "pqbench / Interpreter (median of rounds)", "pqbench / CompiledModel"],
                     ["r", "r", "r", "r", "r", "r"],
                     [[data["threads"], span(med["pqbench"]), span(med["interpreter"]), span(med["compiled"]),
                       f"**{cell(rs['interpreter'])}**", cell(rs["compiled"])]]))


STANDARD = [("mobilenet_v1_int8", "MobileNet v1 1.0/224 int8"), ("mobilenet_v1_float32", "MobileNet v1 1.0/224 float32"),
            ("mobilenet_v2_int8", "MobileNet v2 1.0/224 int8"), ("mobilenet_v2_float32", "MobileNet v2 1.0/224 float32"),
            ("ds_cnn_kws_int8", "DS-CNN (KWS) int8"), ("ds_cnn_kws_float32", "DS-CNN (KWS) float32")]


def standard_models(_args):
    """Single-stream medians and load times of the standard models."""
    folder = "results/reports/standard-models"
    rows, env = [], None
    for name, label in STANDARD:
        path = os.path.join(ROOT, folder, f"{name}.json")
        if not os.path.exists(path):
            rows.append([label, "not measured", "", "", ""])
            continue
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        env = env or data.get("environment", {})
        med = {(r["target"], r["id"].rsplit("/", 1)[-1]): r["summary"]["median"]
               for r in data["results"] if r.get("summary")}
        rows.append([label] + [_us(med.get((t, k))) for k in ("single-stream", "load")
                               for t in ("litert-cpu", "tflite-cpu")])
    env = env or {}
    argv = env.get("command") or []
    kept, skip = [], False
    for a in argv[1:]:
        if skip:
            skip = False
        elif a in ("--model", "-o", "--output"):
            skip = True
        else:
            kept.append(a)
    flags = " ".join(kept)
    when = (env.get("time") or "?")[:10]
    return (f"Source: [`{folder}/`](../{folder}/), one pqbench results file per model (environment inside), "
            f"written by `scripts/model/standard_latency.py`: `pqbench {flags} --model FILE`, 1 thread; measured "
            f"{when} on {env.get('cpu_model', '?')} ({env.get('logical_cores', '?')} logical CPUs), "
            f"{env.get('profile', '?')} build. Medians over the replications.\n\n"
            + table(["model", "LiteRT 2.3.0 single-stream", "TFLite 2.6.0 single-stream", "LiteRT load",
                      "TFLite load"], ["l", "r", "r", "r", "r"], rows))


def pk_model(_args):
    """Held-out accuracy of the detection model, from its metadata."""
    rel = "accel/models/pk_detect_int8.json"
    d = load(rel)
    return (f"Source: [`{rel}`](../{rel}), written by `scripts/model/train.py` (TensorFlow {d['tensorflow']}, "
            f"seed {d['seed']}).\n\n"
            + table([f"held-out programs ({len(d['test_programs'])}), {d['test_windows']:,} windows", "accuracy",
                      "precision", "recall"], ["l", "r", "r", "r"],
                     [["int8 TFLite model (TFLite interpreter)", f"{d['accuracy_int8_tflite']:.3f}",
                       f"{d['precision_int8_tflite']:.3f}", f"{d['recall_int8_tflite']:.3f}"],
                      ["float Keras model", f"{d['accuracy_float_keras']:.3f}", "", ""],
                      ["majority-class baseline", f"{d['majority_class_baseline']:.3f}", "", ""]]))


def tflite_peers(_args):
    """pqbench tflite-cpu beside Python runners on the detection model."""
    rel = "results/peers/tflite-peers.json"
    data = load(rel)
    rows = [[r["runner"], r["tflite"], _us(r["median_ns"]), _us(r.get("p90_ns")), _us(r.get("p99_ns"))]
            for r in data["rows"]]
    pq = data["rows"][0]["median_ns"]
    ratios = "; ".join(f"pqbench / {r['runner']}: {pq / r['median_ns']:.3f}" for r in data["rows"][1:])
    return (_head(rel, data, f", {data.get('queries', '?')} queries per runner") + "\n\n"
            + table(["runner", "TFLite", "median", "p90", "p99"], ["l", "l", "r", "r", "r"], rows)
            + f"\n\nMedian ratios: {ratios}.")


def harness_cost(_args):
    """`cargo bench` wall time and A/A verdicts, pqbench against criterion."""
    rel = "results/peers/bench-api-cost.json"
    data = load(rel)
    pq, cr = data["pqbench"], data["criterion"]
    secs = lambda runs: ", ".join(f"{r['seconds']:.1f} s" for r in runs)
    pct = lambda r: f"[{(r['low'] - 1) * 100:+.2f} %, {(r['high'] - 1) * 100:+.2f} %]"
    how = lambda r: " (identical medians: ratio ± resolution)" if r.get("method") == "constant_medians" else ""
    pq_aa = "; ".join(f"{r['id'].split('/')[-1]} B: {pct(r)}{how(r)} ({r['verdict']})" for r in pq["aa_rows"])
    cr_aa = "; ".join(f"{r['id'].split('/')[-1]} B: {pct(r)} ({r['verdict']})" for r in cr["aa_rows"])
    runs = pq["runs"]
    rows = [
        ["criterion 0.8.2 defaults (3 s warm-up, 5 s / 100 samples each)", secs(cr["runs"]),
         f"change of the mean: {cr_aa}"],
        ["pqbench defaults (16 processes, 2 s budget or 1,000 samples per process)",
         f"{secs([runs['save a'], runs['save b']])}; measured and gated against the stored results "
         f"(`--baseline a --unpaired`) {runs['gate against a']['seconds']:.1f} s"
         + (f"; paired with a's executable (`--baseline a`, the default) "
            f"{runs['paired gate against a']['seconds']:.1f} s" if "paired gate against a" in runs else ""),
         f"{pq_aa}; gate exit {pq['gate_exit']}"],
    ]
    return (_head(rel, data) + "\n\n"
            + table(["", "wall time, both benchmarks", "second run against the first (A/A)"], ["l", "l", "l"], rows)
            + f"\n\nHarness cost alone (`--bench-time 1ms`, both benchmarks): "
              f"{runs['budget 1ms']['seconds']:.2f} s.")


def variance_sources(_args):
    """Where process variance comes from (scripts/variance/sources.py)."""
    import sys
    sys.path.insert(0, os.path.join(ROOT, "scripts", "variance"))
    import sources
    rel = "results/peers/variance-sources.json"

    def finite(o):
        if isinstance(o, str) and o in ("nan", "inf", "-inf"):
            return float(o)
        if isinstance(o, dict):
            return {k: finite(v) for k, v in o.items()}
        if isinstance(o, list):
            return [finite(v) for v in o]
        return o
    data = finite(load(rel))
    host = data["meta"].get("host", {})
    return (f"Source: [`{rel}`](../{rel}), on {host.get('cpu_model', '?')} ({host.get('cpus', '?')} logical CPUs), "
            f"release build. " + sources.markdown(data["workloads"], data["meta"]))


def sensitivity(rel):
    """A sensitivity summary committed at REL, rendered by
    scripts/sensitivity/sensitivity_table.py."""
    def render(_args):
        import sys
        sys.path.insert(0, os.path.join(ROOT, "scripts", "sensitivity"))
        import sensitivity_table
        return sensitivity_table.markdown(load(rel), rel)
    return render


def bench_paired_sensitivity(_args):
    """False alarms and detections of `cargo bench -- --baseline NAME`
    (paired) at its defaults (scripts/bench-api/paired_sensitivity.py)."""
    rel = "results/peers/bench-paired-sensitivity.json"
    data = load(rel)
    slow = data["slowdowns_pct"]
    rows = []
    for b in dict.fromkeys(c["bench"] for c in data["cells"]):
        cs = {c["slowdown_pct"]: c for c in data["cells"] if c["bench"] == b}
        wall = sum(c["wall_s_mean"] for c in cs.values()) / len(cs)
        cell = lambda c: f"{c['flagged']}/{c['trials']} [{100 * c['ci95_low']:.0f}, {100 * c['ci95_high']:.0f}]"
        spread = lambda c: f"{(c['ratio_min'] - 1) * 100:+.3f} to {(c['ratio_max'] - 1) * 100:+.3f} %"
        rows.append([f"`{b}`", f"{wall:.1f}"] + [cell(cs[s]) for s in slow]
                    + [spread(cs[slow[0]])])
    cols = ["A/A false alarms" if s == 0 else f"+{s} % detected" for s in slow]
    return (_head(rel, data, f"; {data['started']} to {data['finished']}; settings: {data['settings']}; "
                             "rates: flagged/trials [95 % Clopper-Pearson interval, %]") + "\n\n"
            + table(["benchmark", "wall s / comparison"] + cols + ["A/A trimmed-mean ratios"],
                    ["l", "r"] + ["r"] * len(slow) + ["r"], rows))


GENERATORS = {
    "power-sim": ("docs/evidence.md", power_sim),
    "coverage-sim": ("docs/evidence.md", coverage_sim),
    "validate-sim": ("docs/evidence.md", validate_sim),
    "real-power": ("docs/evidence.md", real_power("real-power")),
    "real-power-welch10": ("docs/evidence.md", real_power("real-power-welch10")),
    "real-power-aa": ("docs/evidence.md", real_power("real-power-aa")),
    "real-power-tests": ("docs/evidence.md", real_power_tests),
    "real-power-noise": ("docs/evidence.md", real_power_by_noise),
    "real-power-order": ("docs/evidence.md", real_power_designs("real-power-order")),
    "real-power-adaptive": ("docs/evidence.md", real_power_designs("real-power-adaptive")),
    "variance-sources": ("docs/evidence.md", variance_sources),
    "sensitivity-1kib": ("docs/evidence.md", sensitivity("results/peers/sensitivity-1kib-2026-11-30.json")),
    "sensitivity-long": ("docs/evidence.md", sensitivity("results/peers/sensitivity-long-2026-11-30.json")),
    "litert-peer": ("docs/accel.md", litert_peer),
    "standard-models": ("docs/accel.md", standard_models),
    "pk-model": ("docs/accel.md", pk_model),
    "tflite-peers": ("docs/accel.md", tflite_peers),
    "harness-cost": ("docs/cargo-bench.md", harness_cost),
    "bench-paired-sensitivity": ("docs/cargo-bench.md", bench_paired_sensitivity),
}
