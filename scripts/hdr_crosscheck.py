#!/usr/bin/env python3
"""Cross-checks pqbench's embedded HDR histograms with an independent
HdrHistogram implementation (Python `hdrh`, PyPI package `hdrhistogram`).

usage: hdr_crosscheck.py RESULTS.json EXPORT.json [SCHEMA.json]

RESULTS.json is a file written by `pqbench run`; EXPORT.json is
`pqbench export RESULTS.json --format json` (pqbench's own decoding of the
same histograms, fields hdr_*). For every measured result it checks:
  * hdrh decodes the base64 V2-deflate histogram;
  * its total count equals the summary's sample count and the raw samples;
  * p50/p90/p99/p99.9/max read by hdrh equal pqbench's (Rust hdrhistogram)
    within one histogram bucket, at the same rank (Rust takes ceil(q*n),
    hdrh/Java round(q*n));
  * hdrh's own percentiles are within one bucket of the raw sample at
    hdrh's rank (raw samples rounded as pqbench records them).
With SCHEMA.json it also validates RESULTS.json against the JSON Schema.
"""
import json
import math
import sys

from hdrh.histogram import HdrHistogram


def within_one_bucket(h, a, b):
    # Size of the bucket holding the larger value: equal up to 3 digits.
    width = h.get_highest_equivalent_value(max(a, b)) - h.get_lowest_equivalent_value(max(a, b)) + 1
    return abs(a - b) <= width


def value_at_count(h, count):
    """Highest equivalent value of the bucket where the cumulative count
    reaches `count` (the rule of both libraries, given a rank)."""
    total = 0
    for index in range(h.counts_len):
        total += h.get_count_at_index(index)
        if total >= count:
            return h.get_highest_equivalent_value(h.get_value_from_index(index))
    return h.get_max_value()


def main():
    results = json.load(open(sys.argv[1]))
    rows = {(r["id"], r["target"]): r for r in json.load(open(sys.argv[2]))["rows"]}
    if len(sys.argv) > 3:
        import jsonschema

        schema = json.load(open(sys.argv[3]))
        jsonschema.validate(results, schema, cls=jsonschema.Draft202012Validator)
        print(f"schema: {sys.argv[1]} is valid against {sys.argv[3]}")
    checked = 0
    failures = []
    for r in results["results"]:
        if not r.get("histogram"):
            continue
        key = (r["id"], r["target"])
        row = rows[key]
        h = HdrHistogram.decode(r["histogram"])
        raw = sorted(max(1, math.floor(v + 0.5)) for p in r["processes"] for v in p["samples"])
        n = h.get_total_count()
        if not (n == r["summary"]["samples"] == len(raw) == row["hdr_count"]):
            failures.append(f"{key}: count hdrh {n}, summary {r['summary']['samples']}, raw {len(raw)}, pqbench {row['hdr_count']}")
        for pct, q, field in [(50, 0.5, "hdr_p50"), (90, 0.9, "hdr_p90"), (99, 0.99, "hdr_p99"),
                              (99.9, 0.999, "hdr_p999"), (100, 1.0, "hdr_max")]:
            # The two libraries pick the rank differently (Rust: ceil(q*n),
            # Python/Java: round(q*n)); compare each at the same rank.
            # q * n in IEEE doubles exactly as pqbench computes it.
            rust_rank = max(1, math.ceil(q * n))
            py_same_rank = value_at_count(h, rust_rank)
            ours = row[field]
            if not within_one_bucket(h, py_same_rank, ours):
                failures.append(f"{key}: p{pct} (rank {rust_rank}): hdrh {py_same_rank} vs pqbench {ours}")
            # hdrh's own percentile against the raw samples at hdrh's rank.
            py = h.get_value_at_percentile(pct) if pct < 100 else h.get_max_value()
            py_rank = h.get_target_count_at_percentile(pct) if pct < 100 else n
            if not within_one_bucket(h, py, raw[py_rank - 1]):
                failures.append(f"{key}: p{pct}: hdrh {py} vs raw sample {raw[py_rank - 1]} (rank {py_rank})")
        print(f"ok {r['id']} on {r['target']}: n={n} p50={h.get_value_at_percentile(50)} "
              f"p99={h.get_value_at_percentile(99)} (pqbench p50={row['hdr_p50']} p99={row['hdr_p99']})")
        checked += 1
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    if checked == 0:
        print("no histogram to check", file=sys.stderr)
        sys.exit(1)
    print(f"hdr cross-check: {checked} histograms agree with Python hdrh")


if __name__ == "__main__":
    main()
