"""Shared by the TFLite peer scripts: set a peer's median beside pqbench's
single-stream medians from a pqbench results file, and collect every
runner's row in one JSON file for the docs (scripts/model/peers.sh):

    python3 scripts/model/pqbench_single_stream.py --start OUT.json \
        --pqbench-results RESULTS.json --command "scripts/model/peers.sh ..."
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs"))
import provenance  # noqa: E402


def print_ratio(results_path, peer_median_ns, peer_name):
    """Prints, for every single-stream result in RESULTS_PATH, pqbench's
    median and its ratio to PEER_MEDIAN_NS (nanoseconds)."""
    for r in single_stream(results_path):
        pm = r["summary"]["median"]
        print(f"pqbench {r['target']} (TFLite {r.get('details', {}).get('tflite_version')}): "
              f"median {pm / 1e3:.2f} us; pqbench / {peer_name} = {pm / peer_median_ns:.3f}")


def single_stream(results_path):
    """The single-stream results of a pqbench results file."""
    with open(results_path) as f:
        res = json.load(f)
    return [r for r in res["results"] if r["id"].endswith("/single-stream") and r.get("summary")]


def record(json_path, row):
    """Appends one runner's ROW (runner, tflite, median/p90/p99 in ns) to the
    peers JSON at JSON_PATH, written by `--start`."""
    with open(json_path) as f:
        data = json.load(f)
    data["rows"].append(row)
    provenance.write_json(json_path, data)


def start(json_path, results_path, command, queries):
    """Starts the peers JSON: provenance, then pqbench's own rows."""
    data = provenance.stamp(command.split())
    data["queries"] = queries
    data["rows"] = []
    for r in single_stream(results_path):
        s = r["summary"]
        data["rows"].append({
            "runner": f"pqbench `{r['target']}`",
            "tflite": f"{r.get('details', {}).get('tflite_version')} (C API)",
            "median_ns": s["median"], "p90_ns": s.get("p90"), "p99_ns": s.get("p99"),
        })
    provenance.write_json(json_path, data)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--start", required=True, help="the peers JSON to create")
    ap.add_argument("--pqbench-results", required=True)
    ap.add_argument("--command", required=True, help="the command line recorded as provenance")
    ap.add_argument("--queries", type=int, required=True, help="queries per runner")
    a = ap.parse_args()
    start(a.start, a.pqbench_results, a.command, a.queries)
