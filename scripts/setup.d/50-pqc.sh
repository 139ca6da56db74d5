#!/usr/bin/env bash
# PQC area: gungraun-runner at exactly the version of the `gungraun` library
# used by benches/ (the runner refuses to drive a different library version).
# Idempotent: installs only if missing or mismatched. valgrind comes from the base image.
set -euo pipefail
# The instruction-count benches are not part of the test command (they need
# valgrind and a 5-minute runner build): opt in with PQBENCH_GUNGRAUN=1, or
# run scripts/bench-instructions, which sets it.
if [ "${PQBENCH_GUNGRAUN:-0}" != "1" ]; then
    exit 0
fi
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
    cargo install --locked --version "$version" gungraun-runner
fi
if ! command -v valgrind >/dev/null; then
    echo "50-pqc: valgrind is missing (apt-get install valgrind); the gungraun benches need it" >&2
fi
