#!/usr/bin/env bash
# Accelerator area: install the real TensorFlow Lite 2.6.0 C library (x86-64, with
# XNNPACK) that the crates.io package `tflitec` 0.6.0 ships in build-res/docsrs_res.zip.
# The package is fetched through cargo (a throwaway manifest + `cargo fetch`, never built),
# and libtensorflowlite_c.so is extracted to scripts/.cache/tflite/ (gitignored), then
# copied to the per-user location ${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/,
# which an installed pqbench (`cargo install --path harness`) searches from any directory.
# Idempotent: extracts only when the checkout copy is missing, copies only when the
# per-user copy is missing or differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/scripts/.cache/tflite"
lib="$dest/libtensorflowlite_c.so"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

if [ -s "$lib" ]; then
    install_user_lib "$lib"
    exit 0
fi
if [ "$(uname -m)" != "x86_64" ]; then
    echo "70-accel: the tflitec package ships an x86-64 library only; pass --tflite-lib or PQBENCH_TFLITE_LIB on $(uname -m)" >&2
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/m/src"
cat >"$work/m/Cargo.toml" <<'TOML'
[package]
name = "pqbench-fetch-tflitec"
version = "0.0.0"
edition = "2021"
[dependencies]
tflitec = "=0.6.0"
TOML
: >"$work/m/src/lib.rs"
(cd "$work/m" && cargo fetch --quiet)
cache="${CARGO_HOME:-$HOME/.cargo}/registry/cache"
crate="$(find "$cache" -name 'tflitec-0.6.0.crate' | head -n 1)"
if [ -z "$crate" ]; then
    echo "70-accel: cargo fetch did not leave tflitec-0.6.0.crate under $cache" >&2
    exit 1
fi
tar -xzf "$crate" -C "$work" tflitec-0.6.0/build-res/docsrs_res.zip
python3 - "$work/tflitec-0.6.0/build-res/docsrs_res.zip" "$dest" <<'PY'
import os, sys, zipfile
zip_path, dest = sys.argv[1], sys.argv[2]
os.makedirs(dest, exist_ok=True)
with zipfile.ZipFile(zip_path) as z:
    data = z.read("libtensorflowlite_c.so")
tmp = os.path.join(dest, "libtensorflowlite_c.so.tmp")
with open(tmp, "wb") as f:
    f.write(data)
os.replace(tmp, os.path.join(dest, "libtensorflowlite_c.so"))
PY
echo "70-accel: installed TensorFlow Lite 2.6.0 C library at $lib"
install_user_lib "$lib"
