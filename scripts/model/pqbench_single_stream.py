"""Shared by the TFLite peer scripts: set a peer's median beside pqbench's
single-stream medians from a pqbench results file."""

import json


def print_ratio(results_path, peer_median_ns, peer_name):
    """Prints, for every single-stream result in RESULTS_PATH, pqbench's
    median and its ratio to PEER_MEDIAN_NS (nanoseconds)."""
    with open(results_path) as f:
        res = json.load(f)
    for r in res["results"]:
        if r["id"].endswith("/single-stream") and r.get("summary"):
            pm = r["summary"]["median"]
            print(f"pqbench {r['target']} (TFLite {r.get('details', {}).get('tflite_version')}): "
                  f"median {pm / 1e3:.2f} us; pqbench / {peer_name} = {pm / peer_median_ns:.3f}")
