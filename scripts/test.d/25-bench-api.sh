#!/usr/bin/env bash
# pqbench inside a crate's own `cargo bench` (harness/src/bench/), end to end
# on the example crate examples/cargo-bench-gate (docs/cargo-bench.md):
#   1. `cargo test --benches` runs each benchmark once, as a test;
#   2. `--list` prints libtest's format (`NAME: benchmark`, summary line;
#      `--format terse` and `--exact` filters);
#   3. `cargo bench -- --save-baseline before` writes a results file (format
#      v1, validated against results/schema-v1.json) with one replication
#      per fresh worker process;
#   4. the real 2x slowdown of the example (CARGO_BENCH_GATE_SLOW=1) makes
#      `--baseline before` exit 1 (regressed); without it, exit 0; a missing
#      or corrupt baseline exits 2; `pqbench baseline compare` gates two
#      saved baselines without re-running (exit 1 on the slow one).
# Short budgets (200 ms and 5 replications per benchmark) and the dev
# profile keep this well under a minute: the release build of the example
# is what users run, but the harness code is the same, and the build alone
# would cost ~1 CPU-minute here. The gate's tolerance is 25 %: the slowdown
# is 100 %, and an A/A run on a shared 2-core machine must not fail on
# load changes between the runs.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PQBENCH_BASELINE_DIR="$tmp/baselines"
unset CARGO_BENCH_GATE_SLOW
fail() { echo "25-bench-api: $*" >&2; exit 1; }

echo "--- clippy of the light build (pqbench without feature full)"
# The workspace lint builds pqbench with every feature; the engine-only
# code paths (cfg(not(feature = "full"))) are linted here.
cargo clippy -q --locked -p pqbench --no-default-features --lib -- -D warnings

echo "--- cargo test --benches: each benchmark once"
cargo test -q --locked -p cargo-bench-gate --benches >"$tmp/test.log" 2>&1 || { cat "$tmp/test.log"; fail "cargo test --benches failed"; }
grep -q '^test checksum/64 \.\.\. ok$' "$tmp/test.log" || { cat "$tmp/test.log"; fail "no smoke test of checksum/64"; }
grep -q '2 passed; 0 failed' "$tmp/test.log" || { cat "$tmp/test.log"; fail "smoke tests did not all pass"; }

echo "--- cargo bench --no-run (dev profile)"
cargo bench -q --locked -p cargo-bench-gate --profile dev --no-run --message-format=json >"$tmp/build.json"
bin="$(python3 - "$tmp/build.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "checksum" and m.get("executable"):
        print(m["executable"])
PY
)"
[ -x "$bin" ] || fail "no bench executable found"

echo "--- --list (libtest format)"
"$bin" --list >"$tmp/list"
printf 'checksum/64: benchmark\nchecksum/4096: benchmark\n\n0 tests, 2 benchmarks\n' | diff - "$tmp/list" || fail "--list output"
[ "$("$bin" --list --format terse --exact checksum/64)" = "checksum/64: benchmark" ] || fail "--list --exact"

short=(--bench-time 200ms -p 5 --tolerance 25% -q)
echo "--- cargo bench -- --save-baseline before"
cargo bench -q --locked -p cargo-bench-gate --profile dev -- "${short[@]}" --save-baseline before >"$tmp/save.log" 2>&1 || { cat "$tmp/save.log"; fail "saving the baseline failed"; }
base="$PQBENCH_BASELINE_DIR/before/checksum.json"
python3 - "$base" results/schema-v1.json <<'PY'
import json, sys, jsonschema
d = json.load(open(sys.argv[1]))
jsonschema.validate(d, json.load(open(sys.argv[2])))
ids = sorted(r["id"] for r in d["results"])
assert ids == ["checksum/checksum/cargo-bench-gate/4096", "checksum/checksum/cargo-bench-gate/64"], ids
for r in d["results"]:
    assert r["status"]["state"] == "ok", r["status"]
    assert len(r["processes"]) == 5, len(r["processes"])
    pids = {p["pid"] for p in r["details"]["per_process"]}
    assert len(pids) == 5, f"replications must be distinct processes: {pids}"
    assert r["throughput"]["kind"] == "bytes", r["throughput"]
assert d["environment"]["cargo_bench"]["package"] == "cargo-bench-gate"
PY

gate() { # expected-exit-code, then extra arguments
    local want="$1"; shift
    set +e
    "$bin" --bench "${short[@]}" "$@" >"$tmp/gate.log" 2>&1
    local got=$?
    set -e
    [ "$got" = "$want" ] || { cat "$tmp/gate.log"; fail "exit $got, expected $want: $*"; }
}
echo "--- slowdown on: --baseline before must exit 1"
CARGO_BENCH_GATE_SLOW=1 gate 1 --baseline before --save-baseline slow
grep -q 'regressed' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "no regressed row"; }
echo "--- slowdown off: --baseline before --unpaired must exit 0"
# No --allow-inconclusive: a fast benchmark's per-replication medians often
# come out identical on both sides (the stored 0.01 ns step); such a row is
# decided by its ratio within the timer's resolution, not left undecidable.
gate 0 --baseline before --unpaired
grep -q '^gate: pass' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "no pass line"; }
if grep -q 'regressed' "$tmp/gate.log"; then cat "$tmp/gate.log"; fail "A/A run regressed"; fi

echo "--- paired (the default: the baseline's saved executable beside this one)"
[ -x "$PQBENCH_BASELINE_DIR/before/checksum.bench-exe" ] || fail "--save-baseline kept no executable"
export CARGO_TARGET_DIR="$tmp/tgt"   # where the bench binary writes its paired report
report="$tmp/tgt/pqbench/paired/checksum.json"
gate 0 --baseline before
grep -q '^gate: pass' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "paired A/A: no pass line"; }
python3 - "$report" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "lockstep" and not d["interrupted"], d["mode"]
assert len(d["compared"]) == 2 and len(d["replications"]) == 5, (d["compared"], len(d["replications"]))
for r in d["replications"]:
    for b in r["benches"]:
        assert b["blocks"] >= 2 and b["iterations_per_sample"] >= 1, b
assert all(r["verdict"] != "regressed" for r in d["rows"]), d["rows"]
PY
gate 1 --baseline before --paired --candidate-slowdown 60%
grep -q 'regressed' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "paired: a 60 % slowdown not flagged"; }
mkdir -p "$PQBENCH_BASELINE_DIR/noexe"
cp "$PQBENCH_BASELINE_DIR/before/checksum.json" "$PQBENCH_BASELINE_DIR/noexe/"
gate 2 --baseline noexe --paired
grep -q 'no baseline "noexe" for bench target "checksum"' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "--paired without an executable"; }
gate 0 --baseline noexe
grep -q 'has no saved executable' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "no note on the unpaired fallback"; }
rm -r "$PQBENCH_BASELINE_DIR/noexe"
echo "--- paired: SIGINT keeps the completed replications (exit 130)"
"$bin" --bench --bench-time 8s -p 4 --baseline before >"$tmp/int.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q 'replication 1/4' "$tmp/int.log" && break; sleep 0.2; done
kill -INT "$pid"
set +e; wait "$pid"; got=$?; set -e
[ "$got" = 130 ] || { cat "$tmp/int.log"; fail "paired SIGINT: exit $got, expected 130"; }
python3 - "$report" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] and len(d["replications"]) >= 1, (d["interrupted"], len(d["replications"]))
PY
unset CARGO_TARGET_DIR
echo "--- missing and corrupt baselines exit 2"
gate 2 --baseline never-saved
grep -q 'no baseline "never-saved"' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "missing-baseline message"; }
mkdir -p "$PQBENCH_BASELINE_DIR/broken"
echo '{ "schema_version": ' >"$PQBENCH_BASELINE_DIR/broken/checksum.json"
gate 2 --baseline broken
grep -q 'baseline "broken" is unreadable' "$tmp/gate.log" || { cat "$tmp/gate.log"; fail "corrupt-baseline message"; }
rm -r "$PQBENCH_BASELINE_DIR/broken"

echo "--- pqbench baseline compare (no re-run)"
cargo build -q --locked -p pqbench
pq=target/debug/pqbench
"$pq" baseline list >"$tmp/list.log"
grep -q '^before  checksum  2 benchmarks' "$tmp/list.log" || { cat "$tmp/list.log"; fail "baseline list"; }
set +e
"$pq" baseline compare before slow --tolerance 25% >"$tmp/cmp.log" 2>&1; got=$?
set -e
[ "$got" = 1 ] || { cat "$tmp/cmp.log"; fail "baseline compare before slow: exit $got, expected 1"; }
"$pq" baseline compare before before >/dev/null || fail "baseline compare before before"
"$pq" baseline rm slow >/dev/null
set +e
"$pq" baseline compare before slow >/dev/null 2>&1; got=$?
set -e
[ "$got" = 2 ] || fail "compare with a removed baseline: exit $got, expected 2"
echo "bench API: ok"
