#!/usr/bin/env bash
# Cortex-M targets: QEMU for the emulated boards, and the Rust targets the
# firmware is built for (thumbv6m: M0/M0+, thumbv7m: M3, thumbv7em: M4/M7,
# thumbv8m.main: M33/M55). Idempotent: installs only what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
if ! command -v qemu-system-arm >/dev/null 2>&1; then
    apt_install qemu-system-arm
fi
qemu-system-arm --version | head -n1
installed="$(rustup target list --installed)"
for t in thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf thumbv8m.main-none-eabihf; do
    if ! grep -qx "$t" <<<"$installed"; then
        rustup target add "$t"
    fi
done
# PQClean's C for the firmware's `*-pqclean` families: Debian's Arm cross
# compiler (the compiler pqm4 uses; freestanding, no newlib needed: the
# firmware provides the few libc pieces). About 51 MB download, 12 s install.
if ! command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    apt_install gcc-arm-none-eabi
fi
arm-none-eabi-gcc --version | head -n1
