#!/usr/bin/env bash
# Docs: every measured table in docs/ must equal what its committed results
# file under results/reports/ gives (scripts/docs/generate.py --check), so a
# table cannot drift from the code or the file. Uses the debug pqbench built
# by the earlier steps for the tables pqbench itself renders. Then the
# intervals of the real-run power tables (scripts/docs/rates.py) against SciPy.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
cargo build --locked -q -p pqbench
bin="${CARGO_TARGET_DIR:-$root/target}/debug/pqbench"
python3 scripts/docs/generate.py --check --pqbench "$bin"
echo "docs: every generated table matches its results file"
python3 scripts/docs/test_rates.py
