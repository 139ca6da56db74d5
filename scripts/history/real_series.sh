#!/usr/bin/env bash
# A real pqbench series for the documented Otava comparison (not a test):
# N runs of one hash benchmark with this build, the second half with a
# slowdown injected through PQBENCH_INJECT_SLOWDOWN_PCT (harness-validation
# knob), ingested into a temporary store; prints pqbench's change points
# and Otava's on the same run medians.
#   scripts/history/real_series.sh [PQBENCH] [N] [PCT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-$root/target/debug/pqbench}"
n="${2:-40}"
pct="${3:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
id='hash/sha256.digest/rustcrypto/1KiB'
for k in $(seq 1 "$n"); do
    slow=""
    [ "$k" -gt $((n / 2)) ] && slow="$pct"
    PQBENCH_INJECT_SLOWDOWN_PCT="$slow" "$bin" run -f "$id" --bench-time 200ms -p 3 \
        -o "$tmp/r$k.json" >/dev/null 2>&1
done
for k in $(seq 1 "$n"); do echo "$tmp/r$k.json"; done | xargs "$bin" history --db "$tmp/h.sqlite" add >/dev/null
"$bin" history --db "$tmp/h.sqlite" show "$id" --json >"$tmp/show.json"
"$bin" history --db "$tmp/h.sqlite" changes "$id" --alpha 0.01
PYTHONPATH="$root/scripts/.cache/otava" python3 - "$tmp/show.json" "$root/scripts/history" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
from otava_reference import otava_indexes
pts = json.load(open(sys.argv[1]))
print("run medians:", " ".join(f"{p['median']:.0f}" for p in pts))
print("otava change indexes (alpha 0.01, 199 permutations):", otava_indexes([p["median"] for p in pts]))
PY
