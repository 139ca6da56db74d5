#!/usr/bin/env bash
# Relocatable binary: `cargo install --path harness` (debug profile, in the
# repository's target/ so it reuses the build of 10-core.sh: seconds, not a
# release build), then the installed pqbench run from an empty directory with
# no checkout in reach (fresh temp dir as cwd, PQBENCH_ROOT unset):
#   1. a host run (one hash benchmark, short budget);
#   2. a tflite-cpu run (embedded default model, TFLite library from the
#      per-user location setup.d/70-accel.sh installs); no path recorded in
#      the results may point into the checkout;
#   3. `show --suite-table` of a PQC result shows the published reference
#      (anchors embedded in the binary);
#   4. a qemu: target with PQBENCH_FIRMWARE_DIR pointing at an empty
#      directory is refused (exit 2) with a message naming PQBENCH_FIRMWARE_DIR.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    cargo install --quiet --debug --locked --path harness --root "$tmp/inst" 2>&1 |
    grep -v 'be sure to add' || true
bin="$tmp/inst/bin/pqbench"
[ -x "$bin" ] || { echo "cargo install did not produce $bin" >&2; exit 1; }
mkdir "$tmp/empty" "$tmp/no-firmware"
cd "$tmp/empty"
unset PQBENCH_ROOT
export CI=1

echo "--- host run from an empty directory"
"$bin" run -f hash/sha256.digest/rustcrypto/1KiB --bench-time 200ms -p 1 -o "$tmp/host.json" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; exit 1; }

echo "--- tflite-cpu run from an empty directory"
"$bin" run --target tflite-cpu --bench-time 0.3s -p 4 -o "$tmp/tflite.json" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; exit 1; }
python3 - "$tmp/tflite.json" "$root" <<'PY'
import json, sys
path, root = sys.argv[1], sys.argv[2].rstrip("/") + "/"
d = json.load(open(path))
oks = [r for r in d["results"] if r["status"].get("state") == "ok"]
assert oks, "no tflite-cpu result ok"
bad = []
def walk(v, where):
    if isinstance(v, str) and v.startswith(root):
        bad.append(f"{where}: {v}")
    elif isinstance(v, dict):
        for k, x in v.items():
            walk(x, f"{where}.{k}")
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, f"{where}[{i}]")
for i, r in enumerate(d["results"]):
    walk(r, f"results[{i}]")
assert not bad, "the installed binary still reads from the checkout:\n  " + "\n  ".join(bad)
print(f"tflite-cpu: {len(oks)} results ok, library {oks[0]['details'].get('tflite_lib')}")
PY

echo "--- suite table shows the published reference"
"$bin" run -f pqc/ml-kem.keygen/rustcrypto/768 --bench-time 200ms -p 1 -o "$tmp/pqc.json" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; exit 1; }
"$bin" show --suite-table "$tmp/pqc.json" >"$tmp/table" 2>&1 || { cat "$tmp/table"; exit 1; }
# results/anchors.json has an mlkem-native figure for ml-kem.keygen 768.
grep -E '^ml-kem\.keygen +768 .*mlkem-native' "$tmp/table" >/dev/null ||
    { cat "$tmp/table"; echo "no published reference in the suite table" >&2; exit 1; }

echo "--- qemu target without firmware sources is refused"
set +e
PQBENCH_FIRMWARE_DIR="$tmp/no-firmware" "$bin" run --target qemu:mps2-an386 --suite hash \
    --bench-time 100ms -o "$tmp/qemu.json" >"$tmp/qemu.log" 2>&1
rc=$?
set -e
if [ "$rc" != 2 ] && [ "$rc" != 3 ]; then
    cat "$tmp/qemu.log"; echo "qemu run without firmware exited $rc, not 2 or 3" >&2; exit 1
fi
grep -q 'PQBENCH_FIRMWARE_DIR=/path/to/pqbench/targets/firmware' "$tmp/qemu.log" ||
    { cat "$tmp/qemu.log"; echo "refusal does not say how to set PQBENCH_FIRMWARE_DIR" >&2; exit 1; }
echo "relocatable: host, tflite-cpu, suite table and firmware refusal ok from $tmp/empty"
