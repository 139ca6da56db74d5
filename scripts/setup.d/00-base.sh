#!/usr/bin/env bash
# Base tools:
#  - C and C++ compilers (Debian gcc, g++) for the crates that build C/C++:
#    pqcrypto-* (PQClean's C sources) and libfuzzer-sys (libFuzzer, the fuzz
#    smoke runs);
#  - Python packages used by independent cross-checks, at the exact versions
#    and hashes of scripts/requirements.txt (hdrhistogram, imported as hdrh:
#    HdrHistogram's Python implementation; scipy, numpy: reference statistics;
#    jsonschema: validates results files against results/schema-v1.json;
#    cyclonedx-python-lib: CBOM schema validation), installed into the
#    `python3` the tests run (about a second when they are already there).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
if ! command -v cc >/dev/null 2>&1 || ! command -v c++ >/dev/null 2>&1; then
    apt_install gcc g++
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
    apt_install python3 python3-pip python3-venv
fi
pip_install_pinned "$here/../requirements.txt"
