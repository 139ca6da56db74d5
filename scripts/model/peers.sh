#!/usr/bin/env bash
# TFLite peers side by side, one command: pqbench `tflite-cpu` single-stream on
# the detection model, then the same model and thread count timed by
#   1. Python + ctypes over the SAME TFLite C library (like for like), and
#   2. Python's tflite-runtime from PyPI (its own, newer TFLite build), when
#      PEER_PY (default .venv/accel-peer-venv/bin/python) has it:
#        python3 -m venv V && V/bin/pip install tflite-runtime==2.14.0 'numpy<2'
#
#   scripts/model/peers.sh [QUERIES] [THREADS] [OUT.json]
#
# With OUT.json, every runner's median/p90/p99 is also written there
# (docs/accel.md's peers table is generated from results/peers/tflite-peers.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
queries="${1:-5000}"
threads="${2:-1}"
json="${3:-}"
peer_py="${PEER_PY:-.venv/accel-peer-venv/bin/python}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build --release --locked -q -p pqbench
PQBENCH_TFLITE_THREADS="$threads" CI=1 target/release/pqbench run --target tflite-cpu \
    --filter single-stream --bench-time 5s --max-samples "$queries" -o "$out/peer.json" >/dev/null
json_arg=()
if [ -n "$json" ]; then
    python3 scripts/model/pqbench_single_stream.py --start "$json" --pqbench-results "$out/peer.json" \
        --command "scripts/model/peers.sh $queries $threads $json" --queries "$queries"
    json_arg=(--json "$json")
fi
python3 scripts/model/peer_c_api.py --queries "$queries" --threads "$threads" --pqbench-results "$out/peer.json" \
    "${json_arg[@]}"
if "$peer_py" -c 'import tflite_runtime' 2>/dev/null; then
    "$peer_py" scripts/model/peer_tflite_runtime.py --queries "$queries" --threads "$threads" \
        --pqbench-results "$out/peer.json" "${json_arg[@]}"
else
    echo "tflite-runtime peer skipped: $peer_py cannot import tflite_runtime (see the header of this script)"
fi
