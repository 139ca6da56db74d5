#!/usr/bin/env bash
# Harness core: a real `pqbench run` (debug build, hash suite, tiny budgets),
# then an independent decoding of its HDR histograms with Python's hdrh and a
# JSON Schema validation of the file (scripts/hdr_crosscheck.py), plus a
# negative control proving the cross-check can fail.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
cargo build --locked -q -p pqbench
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# -p 6: the cross-check needs replications, not the default count (16 worker
# starts of a debug build per benchmark cost the test command seconds).
CI=1 "$bin" run --suite hash --filter KiB --bench-time 300ms --time-budget 30s -p 6 -o "$tmp/r.json" >/dev/null
"$bin" show "$tmp/r.json" | head -14
"$bin" export "$tmp/r.json" --format json -o "$tmp/rows.json"
python3 scripts/hdr_crosscheck.py "$tmp/r.json" "$tmp/rows.json" results/schema-v1.json
# Negative control: a p50 shifted by 5 % must be caught.
python3 - "$tmp/rows.json" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["rows"][0]["hdr_p50"] = int(d["rows"][0]["hdr_p50"] * 1.05) + 2
json.dump(d, open(sys.argv[2], "w"))
PY
if python3 scripts/hdr_crosscheck.py "$tmp/r.json" "$tmp/bad.json" >/dev/null 2>&1; then
    echo "hdr_crosscheck.py accepted a shifted p50" >&2
    exit 1
fi
echo "hdr cross-check rejects a shifted p50 (negative control ok)"
