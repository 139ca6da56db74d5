#!/usr/bin/env bash
# Detection area: Cortex-M targets for the labelled corpus, cargo-fuzz (needs a
# nightly toolchain) for the loader fuzz targets, cyclonedx-python-lib (CBOM
# schema validation), yara-x (PyPI wheel) as a
# throughput peer. Idempotent; the fuzz and yara-x parts are optional: when
# they cannot be installed, scripts/test.d/30-detect.sh says so and skips them.
set -euo pipefail
for t in thumbv6m-none-eabi thumbv7em-none-eabihf; do
    rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal || echo "note: nightly unavailable: fuzz smoke runs will be skipped"
fi
if ! command -v cargo-fuzz >/dev/null 2>&1 && ! [ -x "$HOME/.cargo/bin/cargo-fuzz" ]; then
    cargo install cargo-fuzz --locked || echo "note: cargo-fuzz could not be installed: fuzz smoke runs will be skipped"
fi
if ! python3 -c 'import cyclonedx.validation.json' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check 'cyclonedx-python-lib[json-validation]'
fi
if ! python3 -c 'import yara_x' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check yara-x || echo "note: yara-x unavailable: peer comparison skipped"
fi
