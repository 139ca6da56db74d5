#!/usr/bin/env bash
# Accelerator area checks beyond `cargo test` (which already runs real inference
# through the TFLite library installed by setup.d/70-accel.sh):
#   1. `pqbench run --target tflite-cpu` on the embedded detection model, short budget
#      (model load and every scenario >= 2 replications in fresh worker processes),
#      the same for `litert-cpu` (LiteRT 2.3.0, setup.d/71-litert.sh), and litert-cpu's
#      clear errors for a missing library, a non-LiteRT library and a corrupt model;
#      Python's LiteRT interpreter reproduces the committed cross-runtime outputs;
#      and `--target edgetpu:0` must fail cleanly (no Edge TPU here) unless PQBENCH_EDGETPU=1;
#   2. `gate` catches a real 50 % TFLite slowdown (harness-validation knob
#      PQBENCH_INJECT_SLOWDOWN_PCT: CPU work of 50 % of each inference's time),
#      at the default replication count (16 fresh worker processes per side):
#      on a shared CI machine, per-process medians of a 100 µs inference can
#      spread by tens of per cent, and this check must not depend on a quiet host;
# (the model inspector's fuzz target runs in scripts/test.d/90-fuzz.sh)
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"

echo "--- tflite-cpu run of the detection model"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run -q --locked -p pqbench -- run --target tflite-cpu --bench-time 0.3s \
    -o "$out/tflite.json" >"$out/log" 2>&1 || { cat "$out/log"; exit 1; }
grep -q '"tflite_version"' "$out/tflite.json"
# Every scenario: >= 2 replications, each a fresh worker process (distinct
# pids), and the embedded model named by its SHA-256.
python3 - "$out/tflite.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["results"]) == 4, [r["id"] for r in d["results"]]
for r in d["results"]:
    assert r["status"]["state"] == "ok", (r["id"], r["status"])
    per = r["details"]["per_process"]
    assert len(r["processes"]) >= 2 and len(per) == len(r["processes"]), r["id"]
    assert len({p["pid"] for p in per}) == len(per), (r["id"], "replications share a process")
    assert len(r["details"]["model_sha256"]) == 64, r["id"]
    assert r["details"]["runtime"] == "TensorFlow Lite" and r["details"]["runtime_version"] == "2.6.0", r["id"]
load = d["results"][0]
assert load["id"].endswith("/load") and all(len(p["samples"]) == 1 for p in load["processes"]), load["id"]
print("tflite-cpu: load + 3 scenarios x", len(d["results"][0]["processes"]), "fresh worker processes")
PY

echo "--- litert-cpu run of the detection model (LiteRT 2.3.0)"
cargo run -q --locked -p pqbench -- run --target litert-cpu --bench-time 0.3s \
    -o "$out/litert.json" >"$out/log" 2>&1 || { cat "$out/log"; exit 1; }
python3 - "$out/litert.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = [r["id"] for r in d["results"]]
assert [i.rsplit("/", 1)[1] for i in ids] == ["load", "single-stream", "offline", "server"], ids
for r in d["results"]:
    assert r["status"]["state"] == "ok", (r["id"], r["status"])
    det, per = r["details"], r["details"]["per_process"]
    assert det["runtime"] == "LiteRT" and det["litert_version"] == "2.3.0", (r["id"], det.get("litert_version"))
    assert len(det["litert_lib_sha256"]) == 64 and det["litert_kernels"] == "xnnpack", r["id"]
    assert len(r["processes"]) >= 2 and len({p["pid"] for p in per}) == len(per), r["id"]
print("litert-cpu: LiteRT 2.3.0, load + 3 scenarios x", len(d["results"][0]["processes"]), "fresh worker processes")
PY

echo "--- litert-cpu: a missing library, a non-LiteRT library and a corrupt model fail clearly"
litert_fails() { # EXPECTED-REGEX ARGS...
    local want="$1" rc
    shift
    set +e
    "${CARGO_TARGET_DIR:-$root/target}/debug/pqbench" run --target litert-cpu --bench-time 0.2s \
        -o "$out/bad.json" "$@" >"$out/bad.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" = 0 ] || [ "$rc" -ge 100 ] || ! grep -Eq "$want" "$out/bad.log"; then
        cat "$out/bad.log"; echo "litert-cpu $* should have failed cleanly with /$want/ (rc=$rc)" >&2; exit 1
    fi
}
litert_fails 'cannot load LiteRT C library /nonexistent' --litert-lib /nonexistent/libLiteRt.so
litert_fails 'symbol LiteRtCreateEnvironment missing' --litert-lib scripts/.cache/tflite/libtensorflowlite_c.so
head -c 9000 accel/models/pk_detect_int8.tflite >"$out/truncated.tflite"
litert_fails 'corrupt TFLite model' --model "$out/truncated.tflite"
echo "litert-cpu: clear errors"

echo "--- Python's LiteRT interpreter gives the committed int8 outputs"
# cargo test -p pqbench-accel --test real_litert compares TFLite 2.6.0 and LiteRT's C API
# with the same file; together: the three runtimes agree (docs/accel.md).
scripts/.cache/litert/py/bin/python scripts/model/runtime_outputs.py --check 2>"$out/py.log" ||
    { cat "$out/py.log"; exit 1; }

echo "--- gate catches a 50 % slowdown of TFLite inference"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
run_tflite() { # NAME [ENV=VALUE]
    env ${2:+"$2"} "$bin" run --target tflite-cpu --filter single-stream --filter offline \
        --bench-time 2s -o "$out/$1.json" >"$out/$1.log" 2>&1 || { cat "$out/$1.log"; exit 1; }
}
run_tflite base
run_tflite slow PQBENCH_INJECT_SLOWDOWN_PCT=50
set +e
"$bin" gate "$out/base.json" "$out/slow.json" >"$out/gate.log" 2>&1
rc=$?
set -e
cat "$out/gate.log"
if [ "$rc" != 1 ] || ! grep -q "regressed" "$out/gate.log"; then
    echo "gate did not flag a 50 % TFLite slowdown as a regression (exit $rc)" >&2
    exit 1
fi

echo "--- edgetpu:0 without hardware must fail with a clear message"
if [ "${PQBENCH_EDGETPU:-0}" != "1" ]; then
    set +e
    cargo run -q --locked -p pqbench -- run --target edgetpu:0 --bench-time 0.3s \
        -o "$out/etpu.json" >"$out/etpu.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" = 0 ] || [ "$rc" -ge 100 ]; then
        cat "$out/etpu.log"; echo "edgetpu:0 should have failed cleanly (rc=$rc)"; exit 1
    fi
    grep -Eqi 'libedgetpu not found|no Edge TPU attached' "$out/etpu.log" || { cat "$out/etpu.log"; exit 1; }
else
    echo "PQBENCH_EDGETPU=1: running on the attached Edge TPU"
    cargo run -q --locked -p pqbench -- run --target edgetpu:0 --bench-time 1s -o "$out/etpu.json"
fi
