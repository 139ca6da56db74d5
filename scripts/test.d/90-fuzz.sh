#!/usr/bin/env bash
# The fuzz targets of the firmware loaders and analysis, the TFLite model
# inspector and the wire-protocol decoder run coverage-guided for a few
# seconds on the stable toolchain (scripts/fuzz-smoke; PQBENCH_FUZZ_SECONDS,
# 3 here: a smoke run, the longer campaigns are scripts/fuzz-smoke's own
# default of 5 or more); `scripts/fuzz-smoke` without --quick adds the
# results loader.
# PQBENCH_FUZZ=0 skips it.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
if [ "${PQBENCH_FUZZ:-1}" = "0" ]; then
    echo "fuzz smoke runs skipped (PQBENCH_FUZZ=0)"
    exit 0
fi
export PQBENCH_FUZZ_SECONDS="${PQBENCH_FUZZ_SECONDS:-3}"
exec "$root/scripts/fuzz-smoke" --quick
