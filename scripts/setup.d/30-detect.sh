#!/usr/bin/env bash
# Detection area: Cortex-M targets for the labelled corpus, cargo-fuzz (needs a
# nightly toolchain; only with PQBENCH_FUZZ=1) for the loader fuzz targets, cyclonedx-python-lib (CBOM
# schema validation), yara-x (PyPI wheel) as a
# throughput peer. Idempotent; the fuzz and yara-x parts are optional: when
# they cannot be installed, scripts/test.d/30-detect.sh says so and skips them.
set -euo pipefail
for t in thumbv6m-none-eabi thumbv7em-none-eabihf; do
    rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done
# Fuzz smoke runs are opt-in (PQBENCH_FUZZ=1): cargo-fuzz plus a nightly
# toolchain and the sanitizer builds cost ~20 min on a fresh 2-core machine,
# more than the whole test budget. `cargo test` always runs the stable
# bounded random-input tests of the same parsers.
if [ "${PQBENCH_FUZZ:-0}" = "1" ]; then
    if ! rustup toolchain list | grep -q '^nightly'; then
        rustup toolchain install nightly --profile minimal
    fi
    if ! command -v cargo-fuzz >/dev/null 2>&1 && ! [ -x "$HOME/.cargo/bin/cargo-fuzz" ]; then
        cargo install cargo-fuzz --locked
    fi
fi
if ! python3 -c 'import cyclonedx.validation.json' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check 'cyclonedx-python-lib[json-validation]'
fi
if ! python3 -c 'import yara_x' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check yara-x || echo "note: yara-x unavailable: peer comparison skipped"
fi
