#!/usr/bin/env bash
# `pqbench import`: this repository's own criterion bench
# (benches/benches/criterion_workloads.rs, dev profile, two 64 KiB hash benches,
# short warm-up and measurement; 1,000 resamples for criterion's own analysis,
# which the import does not read: 3x faster runs) gated by pqbench.
#  1. three criterion runs per side, each into its own criterion home
#     (CRITERION_HOME, independent of CARGO_TARGET_DIR), imported as three
#     replications per side, runs of the three sides interleaved; the files validate against
#     results/schema-v1.json and hold exactly criterion's time/iterations
#     per sample (recomputed here from sample.json);
#  2. A/A (two sets of runs of the same code): `gate` runs and decides
#     (exit 0 or 1 with rows, never 2);
#  3. a real slowdown: the workloads' harness-validation knob
#     PQBENCH_INJECT_SLOWDOWN_PCT=100 (the hash benches hash twice the bytes)
#     in the new side's runs must make `gate` exit 1 with a bench regressed;
#  4. export: the imports as BMF, github-action-benchmark and Google
#     Benchmark JSON validate against results/schemas/ (bmf, gab) and the
#     Google Benchmark shape; broken copies are rejected (negative controls);
#  5. gungraun: only where gungraun-runner is installed (scripts/setup-bench;
#     valgrind and the runner take minutes to install, too slow for the test
#     command): two runs of two benches, imported and gated (equal counts:
#     exit 0). `cargo test -p pqbench --test integration import_formats::` covers the
#     gungraun importer on a committed real gungraun output everywhere.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cargo build --locked -q -p pqbench
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
filter='^hash/sha(256|3-256)\.digest/rustcrypto/64KiB$'
criterion_run() { # HOME_DIR [env...]
    local home="$1"; shift
    env CRITERION_HOME="$home" "$@" cargo bench --locked -q --profile dev -p pqbench-benches \
        --bench criterion_workloads -- --warm-up-time 0.05 --measurement-time 0.25 --noplot --nresamples 1000 \
        "$filter" >"$home.log" 2>&1 || { cat "$home.log"; echo "criterion run failed" >&2; exit 1; }
}
for i in 1 2 3; do
    criterion_run "$tmp/base$i"
    criterion_run "$tmp/same$i"
    criterion_run "$tmp/slow$i" PQBENCH_INJECT_SLOWDOWN_PCT=100
done
for side in base same slow; do
    "$bin" import criterion "$tmp/${side}1" "$tmp/${side}2" "$tmp/${side}3" -o "$tmp/$side.json" 2>/dev/null
done
python3 - "$tmp" results/schema-v1.json <<'PY'
import json, sys, glob, os, jsonschema
tmp, schema = sys.argv[1], json.load(open(sys.argv[2]))
for side in ("base", "same", "slow"):
    d = json.load(open(f"{tmp}/{side}.json"))
    jsonschema.validate(d, schema, cls=jsonschema.Draft202012Validator)
    assert len(d["results"]) == 2, [r["id"] for r in d["results"]]
    for r in d["results"]:
        assert r["unit"] == "ns" and len(r["processes"]) == 3, r["id"]
        assert r["details"]["source"] == "criterion"
        for k in range(3):
            files = glob.glob(f"{tmp}/{side}{k + 1}/*/new/benchmark.json")
            f = next(f for f in files if json.load(open(f))["full_id"] == r["id"])
            s = json.load(open(os.path.join(os.path.dirname(f), "sample.json")))
            want = [t / n for t, n in zip(s["times"], s["iters"])]
            got = r["processes"][k]["samples"]
            assert len(got) == len(want) and all(abs(a - b) <= 1e-9 * b for a, b in zip(got, want)), r["id"]
print("import criterion: 3 runs per side -> 3 replications, schema-valid, samples = criterion's time/iterations")
PY
set +e
"$bin" gate "$tmp/base.json" "$tmp/same.json" --resamples 500 --alpha 0.05 --json "$tmp/aa.json" >"$tmp/aa.out" 2>&1; aa=$?
"$bin" gate "$tmp/base.json" "$tmp/slow.json" --resamples 500 --alpha 0.05 --json "$tmp/slow-gate.json" >"$tmp/slow.out" 2>&1; slow=$?
set -e
if [ "$aa" != 0 ] && [ "$aa" != 1 ]; then cat "$tmp/aa.out"; echo "gate between two criterion imports exited $aa" >&2; exit 1; fi
[ "$slow" = 1 ] || { cat "$tmp/slow.out"; echo "gate did not flag a 2x slowdown in criterion imports (exit $slow)" >&2; exit 1; }
python3 - "$tmp/aa.json" "$tmp/slow-gate.json" "$aa" <<'PY'
import json, sys
aa, slow = (json.load(open(p)) for p in sys.argv[1:3])
assert len(aa["comparison"]["rows"]) == 2, aa["comparison"]["rows"]
assert slow["regressed"], slow
print(f"gate on criterion imports: A/A exit {sys.argv[3]} ({aa['result']}, 2 rows, regressed: {aa['regressed']}); "
      f"2x injected slowdown -> exit 1, regressed: {slow['regressed']}")
PY

# CI formats: real exports (the criterion imports, the committed gungraun
# output) validate against the BMF and github-action-benchmark schemas
# written from their documentation; broken copies must not.
"$bin" import gungraun harness/tests/fixtures/import/gungraun -o "$tmp/gfix.json" 2>/dev/null
for f in base gfix; do
    for fmt in bmf gab gbench; do
        "$bin" export "$tmp/$f.json" --format "$fmt" -o "$tmp/$f.$fmt.json" 2>/dev/null
    done
done
python3 - "$tmp" results/schemas <<'PY'
import json, sys, copy, jsonschema
tmp, schemas = sys.argv[1], sys.argv[2]
V = jsonschema.Draft202012Validator
V(json.load(open("results/schema-v1.json"))).validate(json.load(open(f"{tmp}/gfix.json")))
bmf_s, gab_s = (json.load(open(f"{schemas}/{n}.schema.json")) for n in ("bmf", "gab"))
V.check_schema(bmf_s); V.check_schema(gab_s)
for f in ("base", "gfix"):
    bmf, gab, gb = (json.load(open(f"{tmp}/{f}.{x}.json")) for x in ("bmf", "gab", "gbench"))
    V(bmf_s).validate(bmf); V(gab_s).validate(gab)
    measure = "latency" if f == "base" else "instructions"
    for name, m in bmf.items():
        lo, v, hi = (m[measure].get(k) for k in ("lower_value", "value", "upper_value"))
        assert lo is not None and lo <= v <= hi, (name, m)
    bad = copy.deepcopy(bmf); next(iter(bad.values()))[measure]["value"] = "1"
    assert not V(bmf_s).is_valid(bad), "BMF schema accepted a string value"
    bad = copy.deepcopy(gab); bad[0]["range"] = 3
    assert not V(gab_s).is_valid(bad), "gab schema accepted a numeric range"
    assert not V(gab_s).is_valid([{"name": "x", "value": 1}]), "gab schema accepted an entry without unit"
    reps = {}
    for b in gb["benchmarks"]:
        assert b["time_unit"] == "ns" and b["run_type"] in ("iteration", "aggregate"), b
        assert isinstance(b["iterations"], int) and b["real_time"] == b["cpu_time"], b
        if b["run_type"] == "iteration":
            reps[b["run_name"]] = reps.get(b["run_name"], 0) + 1
            assert b["repetitions"] >= reps[b["run_name"]], b
    assert (f == "gfix") == (not gb["benchmarks"]), "gbench: timings only"
print("import gungraun (committed output): schema-valid; export bmf/gab/gbench: criterion and gungraun imports validate (BMF, gab schemas); broken copies rejected")
PY

if command -v gungraun-runner >/dev/null 2>&1 && command -v valgrind >/dev/null 2>&1; then
    for i in 1 2; do
        GUNGRAUN_HOME="$tmp/gungraun$i" cargo bench --locked -q --profile dev -p pqbench-benches \
            --bench gungraun_instructions -- '*ops_1[23]' >"$tmp/gungraun$i.log" 2>&1 ||
            { cat "$tmp/gungraun$i.log"; echo "gungraun run failed" >&2; exit 1; }
        "$bin" import gungraun "$tmp/gungraun$i" -o "$tmp/g$i.json" 2>/dev/null
    done
    "$bin" gate "$tmp/g1.json" "$tmp/g2.json" --json "$tmp/g.json" >"$tmp/g.out" 2>&1 ||
        { cat "$tmp/g.out"; echo "gate between two gungraun runs of the same code failed" >&2; exit 1; }
    python3 - "$tmp/g.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["comparison"]["rows"]
assert len(rows) == 2 and all(r["method"] == "exact" for r in rows), rows
print("import gungraun: two runs, 2 benches, exact ratios, gate exit 0")
PY
else
    echo "import gungraun: gungraun-runner not installed (scripts/setup-bench), live run skipped; the committed fixture is tested by cargo test"
fi
