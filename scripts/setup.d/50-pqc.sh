#!/usr/bin/env bash
# PQC area: gungraun-runner at exactly the version of the `gungraun` library
# used by benches/ (the runner refuses to drive a different library version).
# Idempotent: installs only if missing or mismatched; valgrind from Debian if missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(sed -n 's/^gungraun = "=\([0-9.]*\)".*/\1/p' "$here/benches/Cargo.toml")"
if [ -z "$version" ]; then
    echo "50-pqc: cannot read the gungraun version from benches/Cargo.toml" >&2
    exit 1
fi
have="$(gungraun-runner --version 2>/dev/null | awk '{print $NF}' || true)"
if [ "$have" = "$version" ]; then
    echo "50-pqc: gungraun-runner $have already installed"
else
    echo "50-pqc: installing gungraun-runner $version (found: ${have:-none})"
    # --debug: the runner only drives valgrind and parses its output; a debug
    # build takes a fraction of a release build on a fresh 2-core machine.
    cargo install --locked --debug --version "$version" gungraun-runner
fi
if ! command -v valgrind >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends valgrind >/dev/null
fi
