#!/usr/bin/env bash
# Detection area: Cortex-M targets for the labelled corpus; cyclonedx-python-lib
# (CBOM schema validation) from the pinned scripts/requirements.txt (00-base.sh
# installs the same file: this is a no-op then); yara-x as a throughput peer,
# optional: pinned in scripts/requirements-optional.txt, and when it cannot be
# installed (no wheel for this platform, no network) setup goes on and
# scripts/corpus/peers.py says the peer is missing. No test needs yara-x.
# Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
installed="$(rustup target list --installed)"
for t in thumbv6m-none-eabi thumbv7em-none-eabihf; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
pip_install_pinned "$here/../requirements.txt"
if ! python3 -c 'import yara_x' 2>/dev/null; then
    pip_install_pinned "$here/../requirements-optional.txt" optional ||
        echo "note: yara-x unavailable (optional): peer comparison skipped"
fi
