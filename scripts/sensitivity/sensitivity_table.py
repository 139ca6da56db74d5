"""Markdown table of a sensitivity summary (OUT/summary.json of
sensitivity.py, committed as results/peers/sensitivity-DATE.json); used by
sensitivity.py and by scripts/docs/generate.py (block `sensitivity`)."""


def host_facts():
    """CPU model, logical CPUs and git commit of this machine and tree."""
    import os
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
    import provenance
    return {"cpu_model": provenance.cpu_model(), "cpus": os.cpu_count(), "git_commit": provenance.git_commit()}


def cell(c):
    return f"{c['flagged']}/{c['trials']} [{100 * c['ci95_low']:.0f}, {100 * c['ci95_high']:.0f}]"


def markdown(summary, rel=None):
    """The table (one row per workload and tool), headed by source, command
    and date when `rel` (the summary's path in the repository) is given."""
    slow = summary["slowdowns_pct"]
    head = []
    if rel:
        host = summary.get("host", {})
        head = [
            f"Source: [`{rel}`](../{rel}), written by `scripts/sensitivity/sensitivity.py`.",
            f"Command: `{summary.get('command')}`.",
            f"Measured {summary.get('started')} to {summary.get('finished')} on {host.get('cpu_model', '?')}"
            f" ({host.get('cpus', '?')} logical CPUs), commit {host.get('git_commit', '?')}, release builds."
            " Rates: flagged/trials [95 % Clopper-Pearson interval, %].",
            "",
        ]
    cols = ["A/A false alarms" if s == 0 else f"+{s} % detected" for s in slow]
    lines = ["| workload | tool | settings | wall s / comparison | " + " | ".join(cols) + " |",
             "|---|---|---|---:|" + "---:|" * len(slow)]
    keys = []
    for c in summary["cells"]:
        if (c["workload"], c["tool"]) not in keys:
            keys.append((c["workload"], c["tool"]))
    for w, t in keys:
        cs = {c["slowdown_pct"]: c for c in summary["cells"] if c["workload"] == w and c["tool"] == t}
        any_c = next(iter(cs.values()))
        settings = any_c["settings"].replace("|", "\\|")
        lines.append(f"| `{w}` | {t} | {settings} | {any_c['wall_s_mean']:.1f} | "
                     + " | ".join(cell(cs[s]) if s in cs else "-" for s in slow) + " |")
    for t in dict.fromkeys(c["tool"] for c in summary.get("pooled", [])):
        cs = {c["slowdown_pct"]: c for c in summary["pooled"] if c["tool"] == t}
        n = next(iter(cs.values()))["workloads"]
        lines.append(f"| all {n} workloads | {t} | pooled | | "
                     + " | ".join(cell(cs[s]) if s in cs else "-" for s in slow) + " |")
    return "\n".join(head + lines)
