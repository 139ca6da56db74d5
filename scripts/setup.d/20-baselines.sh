#!/usr/bin/env bash
# Production classical baselines: the `openssl` workloads (feature
# `pqbench-workloads/openssl`, on in the `pqbench` tool) link the system
# OpenSSL through the `openssl` crate, whose build script needs the headers
# (libssl-dev) and pkg-config. ring and aws-lc-rs build their own C with the
# compilers of 00-base.sh. Idempotent: apt_install skips installed packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
apt_install libssl-dev pkg-config
