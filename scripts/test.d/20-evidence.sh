#!/usr/bin/env bash
# Evidence (compare/gate/ab):
#  1. the committed SciPy reference values (used by
#     harness/stats/tests/scipy_reference.rs) are recomputed from the
#     committed datasets with SciPy and must match;
#  2. end to end with the real binary on a real workload: a 20 % slowdown
#     injected with PQBENCH_INJECT_SLOWDOWN_PCT (harness-validation knob of
#     the hash workload) must make `pqbench gate` exit 1, a missing file
#     exit 2; `pqbench ab` runs 3 paired rounds and writes its JSON.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
python3 scripts/stats-ref/check_reference.py
cargo build --locked -q -p pqbench
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# 1 KiB: fast enough in a debug build for thousands of samples per process.
bench=sha256.digest/rustcrypto/1KiB
export CI=1
"$bin" run -f "$bench" -p 6 --bench-time 1200ms -o "$tmp/base.json" >/dev/null
PQBENCH_INJECT_SLOWDOWN_PCT=20 "$bin" run -f "$bench" -p 6 --bench-time 1200ms -o "$tmp/slow.json" >/dev/null
set +e
"$bin" gate "$tmp/base.json" "$tmp/slow.json" --resamples 500 --alpha 0.05 --json "$tmp/gate.json"; code=$?
"$bin" gate "$tmp/base.json" "$tmp/missing.json" 2>/dev/null; missing=$?
set -e
[ "$code" = 1 ] || { echo "gate did not flag a 20 % slowdown (exit $code)" >&2; exit 1; }
[ "$missing" = 2 ] || { echo "gate on a missing file exited $missing, not 2" >&2; exit 1; }
echo "gate: 20 % injected slowdown -> exit 1; missing file -> exit 2"
set +e
"$bin" ab --baseline "$bin" --candidate "$bin" -f "$bench" --rounds 3 --min-rounds 2 \
    --bench-time 150ms --resamples 200 --json "$tmp/ab.json" >/dev/null 2>&1; code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 1 ] || { echo "ab failed (exit $code)" >&2; exit 1; }
python3 - "$tmp/ab.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stop"]["rounds"] == 3, d["stop"]
assert len(d["rows"]) == 1 and len(d["rows"][0]["ratios"]) == 3, d["rows"]
print("ab: 3 paired rounds analysed, stopped by", d["stop"]["reason"])
PY
