#!/usr/bin/env bash
# LiteRT runtime for the `litert-cpu` target: LiteRT's C library (libLiteRt.so, the
# CompiledModel C API with XNNPACK built in; needs glibc >= 2.27 and libstdc++ only)
# taken from the PyPI wheel ai-edge-litert 2.3.0. The wheel (cp311, manylinux_2_27
# x86-64; about 22 MB) is downloaded by pip with its SHA-256 pinned, never installed:
# only ai_edge_litert/libLiteRt.so is extracted to scripts/.cache/litert/ (gitignored),
# its own SHA-256 checked, and copied to ${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/
# for installed binaries. pqbench recognises this exact file by its SHA-256 and records
# "2.3.0" as the LiteRT version of every result (the library has no version call).
# Idempotent: does nothing when the checked library is already in place.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/scripts/.cache/litert"
lib="$dest/libLiteRt.so"
wheel_version="2.3.0"
wheel_sha256="1f15078a6725d2357d9de9221664c29afa0545d807559c5f7199ce5e40b96b23"
lib_sha256="eec47eb35e2924b3166015887e652a58edc9af823ae38e02bf83bef2548300bb"
# ml_dtypes: needed by ai_edge_litert's Python CompiledModel (scripts/model/peer_litert.py).
ml_dtypes_version="0.6.0"
ml_dtypes_sha256="6c8e39b53e90afda8ce52859c93de4dba3e02b76d85dcf091cc469f9184c6dae"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

write_requirements() { # FILE
    printf 'ai-edge-litert==%s --hash=sha256:%s\nml-dtypes==%s --hash=sha256:%s\n' \
        "$wheel_version" "$wheel_sha256" "$ml_dtypes_version" "$ml_dtypes_sha256" >"$1"
}

install_venv() {
    local venv="$dest/py" whl
    if "$venv/bin/python" -c 'import ai_edge_litert.interpreter, ai_edge_litert.compiled_model' 2>/dev/null; then
        return 0
    fi
    whl="$(ls "$dest"/wheel/ai_edge_litert-"$wheel_version"-*.whl 2>/dev/null | head -n 1)"
    if [ -z "$whl" ]; then
        echo "71-litert: no wheel in $dest/wheel; remove $lib and rerun to download it" >&2
        return 1
    fi
    rm -rf "$venv"
    python3 -m venv --system-site-packages "$venv"
    write_requirements "$dest/wheel/req.txt"
    "$venv/bin/python" -m pip install --quiet --no-deps --no-index --require-hashes \
        --find-links "$dest/wheel" -r "$dest/wheel/req.txt"
    "$venv/bin/python" -c 'import ai_edge_litert.interpreter, ai_edge_litert.compiled_model, numpy'
    echo "71-litert: Python LiteRT interpreter $wheel_version in $venv"
}

if [ -s "$lib" ] && [ "$(sha_of "$lib")" = "$lib_sha256" ] &&
    ls "$dest"/wheel/ai_edge_litert-*.whl "$dest"/wheel/ml_dtypes-*.whl >/dev/null 2>&1; then
    install_user_lib "$lib"
    install_venv
    exit 0
fi
if [ "$(uname -m)" != "x86_64" ]; then
    echo "71-litert: the pinned wheel is x86-64 only; pass --litert-lib or PQBENCH_LITERT_LIB on $(uname -m)" >&2
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
write_requirements "$work/req.txt"
# --platform/--python-version/--abi make the choice independent of the local Python;
# --require-hashes refuses any other file.
python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    --platform manylinux_2_27_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    -r "$work/req.txt" -d "$work/dl"
mkdir -p "$dest/wheel"
cp "$work"/dl/*.whl "$dest/wheel/"
python3 - "$work/dl" "$dest" "$lib_sha256" <<'PY'
import glob, hashlib, os, sys, zipfile
dl, dest, want = sys.argv[1:4]
wheels = glob.glob(os.path.join(dl, "ai_edge_litert-*.whl"))
assert len(wheels) == 1, wheels
with zipfile.ZipFile(wheels[0]) as z:
    data = z.read("ai_edge_litert/libLiteRt.so")
got = hashlib.sha256(data).hexdigest()
if got != want:
    sys.exit(f"71-litert: libLiteRt.so in the wheel has sha256 {got}, expected {want}")
os.makedirs(dest, exist_ok=True)
tmp = os.path.join(dest, "libLiteRt.so.tmp")
with open(tmp, "wb") as f:
    f.write(data)
os.replace(tmp, os.path.join(dest, "libLiteRt.so"))
PY
echo "$wheel_version" >"$dest/libLiteRt.so.version"
echo "71-litert: installed LiteRT $wheel_version C library at $lib"
install_user_lib "$lib"
install_venv
