#!/usr/bin/env bash
# Detection area checks beyond `cargo test`:
#   1. build the quick labelled corpus (thumbv7em -Os and x86-64 -O3 images of
#      real crypto crates, plus controls) and gate `pqbench scan --eval` on it;
#   2. validate a CBOM of it against the official CycloneDX 1.6 schema;
#   3. a short libFuzzer run of every loader fuzz target (cargo-fuzz, nightly).
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
export PQBENCH_CORPUS_TARGET_DIR="${PQBENCH_CORPUS_TARGET_DIR:-$root/target/corpus}"

echo "--- corpus (quick) + scan --eval"
python3 scripts/corpus/build.py --quick
cargo run -q --locked -p pqbench -- scan --eval scripts/corpus/labels-quick.tsv \
    --min-precision 0.95 --min-recall 0.9 --stats

echo "--- CBOM against the CycloneDX 1.6 schema"
cbom="$(mktemp)"
trap 'rm -f "$cbom"' EXIT
cargo run -q --locked -p pqbench -- scan --format cbom -o "$cbom" scripts/corpus/out/thumbv7em-none-eabihf/os
python3 scripts/corpus/validate_cbom.py "$cbom"

echo "--- fuzz smoke runs"
secs="${PQBENCH_FUZZ_SECONDS:-5}"
if [ "${PQBENCH_FUZZ:-0}" = "1" ]; then
    export CARGO_TARGET_DIR="${PQBENCH_FUZZ_TARGET_DIR:-$root/target/fuzz}"
    cd harness/detect/fuzz
    for t in load_raw load_elf load_ihex load_srec analyze; do
        echo "fuzz $t (${secs}s)"
        mkdir -p "corpus/$t" "seeds/$t"
        cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$secs" -rss_limit_mb=1024 2>&1 | tail -n 2
    done
else
    echo "fuzz smoke runs skipped: opt-in with PQBENCH_FUZZ=1 (setup then installs nightly + cargo-fuzz);"
    echo "         the stable bounded random-input tests in 'cargo test -p pqbench-detect' still ran."
fi
