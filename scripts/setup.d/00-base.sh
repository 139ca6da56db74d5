#!/usr/bin/env bash
# Base tools: Python packages used by independent cross-checks
# (hdrhistogram, imported as hdrh: HdrHistogram's Python implementation; scipy: reference statistics;
# jsonschema: validates results files against results/schema-v1.json).
set -euo pipefail
if ! python3 -c 'import hdrh, scipy, numpy, jsonschema' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check hdrhistogram scipy numpy jsonschema
fi
