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
# Same rule as pqbench (accel/src/library.rs): a relative XDG_DATA_HOME is ignored.
data_home="${XDG_DATA_HOME:-}"
case "$data_home" in
    /*) ;;
    *) data_home="${HOME:-}/.local/share" ;;
esac
user_dir="$data_home/pqbench/lib"

install_user_copy() {
    if [ -z "${HOME:-}" ] && [ -z "${XDG_DATA_HOME:-}" ]; then
        echo "70-accel: neither HOME nor XDG_DATA_HOME set; no per-user copy of the library" >&2
        return 0
    fi
    if [ -s "$user_dir/libtensorflowlite_c.so" ] && cmp -s "$lib" "$user_dir/libtensorflowlite_c.so"; then
        return 0
    fi
    mkdir -p "$user_dir"
    cp "$lib" "$user_dir/libtensorflowlite_c.so.tmp.$$"
    mv -f "$user_dir/libtensorflowlite_c.so.tmp.$$" "$user_dir/libtensorflowlite_c.so"
    echo "70-accel: installed the TensorFlow Lite C library for installed binaries at $user_dir/libtensorflowlite_c.so"
}

if [ -s "$lib" ]; then
    install_user_copy
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
install_user_copy
