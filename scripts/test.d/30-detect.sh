#!/usr/bin/env bash
# Detection area checks beyond `cargo test`:
#   1. build the quick labelled corpus (thumbv7em -Os and x86-64 -O3 images of
#      real crypto crates, plus controls) and gate `pqbench scan --eval` on it;
#   2. validate a CBOM of it against the official CycloneDX 1.6 schema;
#   3. the real-binary corpus fetcher's offline self-check (the corpus itself
#      is a benchmark input, never fetched here);
# (the loader fuzz targets run in scripts/test.d/90-fuzz.sh)
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
export PQBENCH_CORPUS_TARGET_DIR="${PQBENCH_CORPUS_TARGET_DIR:-$root/target/corpus}"

echo "--- corpus (quick) + scan --eval"
python3 scripts/corpus/build.py --quick
# Per-family floors: sha/hash/aes depend on the instruction-word kernel
# (`--no-words` fails them), rsa/ecc/dh on the byte signatures.
cargo run -q --locked -p pqbench -- scan --eval scripts/corpus/labels-quick.tsv \
    --min-precision 0.95 --min-recall 0.95 \
    --min-family-precision sha=0.95 --min-family-precision hash=0.95 --min-family-precision aes=0.95 \
    --min-family-recall sha=0.9 --min-family-recall hash=0.9 --min-family-recall aes=0.75 --stats

echo "--- realbin.py offline self-check (file:// mirror, no download)"
python3 scripts/corpus/test_realbin.py

echo "--- CBOM against the CycloneDX 1.6 schema"
cbom="$(mktemp)"
trap 'rm -f "$cbom"' EXIT
cargo run -q --locked -p pqbench -- scan --format cbom -o "$cbom" scripts/corpus/out/thumbv7em-none-eabihf/os
python3 scripts/corpus/validate_cbom.py "$cbom"
