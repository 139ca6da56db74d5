#!/usr/bin/env bash
# Detection area: Cortex-M targets for the labelled corpus, cyclonedx-python-lib
# (CBOM schema validation), yara-x (PyPI wheel) as a throughput peer (optional:
# scripts/corpus/peers.py says so when it is missing). Idempotent.
set -euo pipefail
for t in thumbv6m-none-eabi thumbv7em-none-eabihf; do
    rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done
if ! python3 -c 'import cyclonedx.validation.json' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check 'cyclonedx-python-lib[json-validation]'
fi
if ! python3 -c 'import yara_x' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check yara-x || echo "note: yara-x unavailable: peer comparison skipped"
fi
