#!/usr/bin/env bash
# Evidence (compare/gate/ab):
#  1. the committed SciPy reference values (used by
#     harness/stats/tests/scipy_reference.rs) are recomputed from the
#     committed datasets with SciPy and must match; a truncated copy of the
#     reference must be rejected (the check cannot pass vacuously);
#  2. end to end with the real binary on a real workload: a 20 % slowdown
#     injected with PQBENCH_INJECT_SLOWDOWN_PCT (harness-validation knob of
#     the hash workload, see harness/src/env.rs) must make `pqbench gate`
#     exit 1 as a regression, a missing file exit 2;
#  3. fail closed: one process per side (no test possible) with a 50 %
#     injected slowdown must make `gate` exit 1 as undecidable, and exit 0
#     only under --allow-inconclusive;
#  4. A/A: `pqbench ab` with the same binary on both sides, 4 paired rounds
#     (2 order-balanced blocks, so the test really runs), must exit 0.
#     Settings: the verdict needs p_adj < 0.01 *and* a change beyond the
#     tolerance; a debug build on a shared 2-core machine moves by a few
#     percent between rounds, so the tolerance is 5 % (a false alarm then
#     needs every block to agree on a >= 5 % difference between identical
#     binaries, which order balancing and pairing rule out short of a
#     broken harness). The 20 % injected slowdown of step 2 stays far
#     beyond it.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 scripts/stats-ref/check_reference.py
head -c 2000 scripts/stats-ref/reference.json >"$tmp/truncated.json"
python3 - scripts/stats-ref/reference.json "$tmp/short.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["two_sample"].popitem()
r["holm"].pop()
json.dump(r, open(sys.argv[2], "w"))
PY
for bad in truncated short; do
    if python3 scripts/stats-ref/check_reference.py --committed "$tmp/$bad.json" >/dev/null 2>&1; then
        echo "check_reference.py accepted a $bad reference" >&2; exit 1
    fi
done
echo "stats-ref: truncated and shortened references rejected"
# Hodges-Lehmann bounds: R's wilcox.test is the reference. R is not part of
# the default setup (r-base-core took ~96 s to install); when it is present
# the committed reference is recomputed and must match to 1e-12.
if command -v Rscript >/dev/null 2>&1; then
    Rscript scripts/stats-ref/hl_reference.R scripts/stats-ref/hl_datasets.tsv "$tmp/hl.tsv" 2>/dev/null
    python3 - scripts/stats-ref/hl_reference.tsv "$tmp/hl.tsv" <<'PY'
import sys
a, b = (open(p).read().split("\n") for p in sys.argv[1:3])
assert len(a) == len(b) and len(a) > 30, (len(a), len(b))
for la, lb in zip(a[1:], b[1:]):
    fa, fb = la.split("\t"), lb.split("\t")
    assert fa[:2] == fb[:2], (fa, fb)
    for x, y in zip(fa[2:], fb[2:]):
        assert abs(float(x) - float(y)) <= 1e-12 * max(1.0, abs(float(x))), (la, lb)
print(f"stats-ref: Hodges-Lehmann reference recomputed with R ({len(a) - 2} rows), matches the committed one")
PY
else
    echo "stats-ref: Rscript not installed, committed R reference for Hodges-Lehmann not recomputed (apt-get install r-base-core to check it)"
fi
cargo build --locked -q -p pqbench
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
# 1 KiB: fast enough in a debug build for thousands of samples per process.
# 64 KiB: the hashing (optimised even in the dev profile) dominates each
# operation, so the injected 20 % is a 20 % slowdown in the debug build too.
bench=sha256.digest/rustcrypto/64KiB
export CI=1
"$bin" run -f "$bench" -p 6 --bench-time 1200ms -o "$tmp/base.json" >/dev/null
PQBENCH_INJECT_SLOWDOWN_PCT=20 "$bin" run -f "$bench" -p 6 --bench-time 1200ms -o "$tmp/slow.json" >/dev/null
set +e
"$bin" gate "$tmp/base.json" "$tmp/slow.json" --resamples 500 --alpha 0.05 --json "$tmp/gate.json" >"$tmp/gate.out"; code=$?
"$bin" gate "$tmp/base.json" "$tmp/missing.json" 2>/dev/null; missing=$?
set -e
[ "$code" = 1 ] || { cat "$tmp/gate.out"; echo "gate did not flag a 20 % slowdown (exit $code)" >&2; exit 1; }
python3 - "$tmp/gate.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
assert v["regressed"] == ["hash/sha256.digest/rustcrypto/64KiB@host"], v["regressed"]
assert v["undecidable"] == [], v["undecidable"]
PY
[ "$missing" = 2 ] || { echo "gate on a missing file exited $missing, not 2" >&2; exit 1; }
echo "gate: 20 % injected slowdown -> exit 1 (regressed); missing file -> exit 2"

"$bin" run -f "$bench" -p 1 --bench-time 300ms -o "$tmp/one.json" >/dev/null
PQBENCH_INJECT_SLOWDOWN_PCT=50 "$bin" run -f "$bench" -p 1 --bench-time 300ms -o "$tmp/one-slow.json" >/dev/null
set +e
"$bin" gate "$tmp/one.json" "$tmp/one-slow.json" --resamples 200 --json "$tmp/closed.json" >"$tmp/closed.out"; code=$?
"$bin" gate "$tmp/one.json" "$tmp/one-slow.json" --resamples 200 --allow-inconclusive >/dev/null; allowed=$?
set -e
[ "$code" = 1 ] || { cat "$tmp/closed.out"; echo "gate passed a benchmark it could not decide (exit $code)" >&2; exit 1; }
[ "$allowed" = 0 ] || { echo "gate --allow-inconclusive exited $allowed, not 0" >&2; exit 1; }
python3 - "$tmp/closed.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
u = v["undecidable"]
assert len(u) == 1 and "fewer than 2 replications" in u[0]["reason"], u
PY
echo "gate: 1 process per side -> exit 1 (undecidable, fail closed); --allow-inconclusive -> exit 0"

set +e
"$bin" ab --baseline "$bin" --candidate "$bin" -f "$bench" --rounds 4 --min-rounds 4 \
    --bench-time 150ms --resamples 200 --tolerance 5% --json "$tmp/ab.json" >"$tmp/ab.out" 2>&1; code=$?
set -e
[ "$code" = 0 ] || { cat "$tmp/ab.out"; echo "A/A ab (same binary both sides) exited $code, not 0" >&2; exit 1; }
python3 - "$tmp/ab.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stop"]["rounds"] == 4, d["stop"]
row = d["rows"][0]
assert len(d["rows"]) == 1 and len(row["ratios"]) == 4 and len(row["blocks"]) == 2, d["rows"]
assert row["analysis"] is not None and row["verdict"] != "regressed", row
print(f"ab A/A: 4 paired rounds, 2 blocks, verdict {row['verdict']} "
      f"(geomean ratio {row['analysis']['geomean_bootstrap']['estimate']:.4f}), exit 0")
PY
