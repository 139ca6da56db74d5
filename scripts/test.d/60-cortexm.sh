#!/usr/bin/env bash
# Cortex-M: real firmware on all six QEMU boards.
#   1. robustness and determinism tests against real QEMU (hang, stack
#      overflow, heap exhaustion, corrupted frame, version mismatch, dead
#      emulator; identical counts run to run) — `cargo test -- --ignored`;
#   2. `pqbench run` on the six emulated boards (M3, M4, M7, M33, M55, M0),
#      one small workload pair each, results checked.
# Firmware builds are shared per target triple and cached under
# target/pqbench-firmware (keyed by sources, memory map and features).
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
export PQBENCH_CORTEXM_CODE_SIZE=0
# Functional checks: the fast `ci` firmware profile (opt-level 1, no LTO);
# measurements use `release` (the default).
export PQBENCH_FIRMWARE_PROFILE="${PQBENCH_FIRMWARE_PROFILE:-ci}"
# One firmware feature set everywhere, so the tests and the run share builds.
export PQBENCH_CORTEXM_FAMILIES=hash,mlkem,mlkem-pqclean,mldsa-pqclean,test-faults
cargo test -p pqbench-targets --test qemu --locked -- --ignored
# PQClean's C ML-KEM on the M4: same keys and shared secrets as the host.
cargo test -p pqbench-targets --test pqclean --locked -- --ignored
# Stack and code size like pqm4: stack from the C call, library sizes = arm-none-eabi-size -t.
cargo test -p pqbench-targets --test pqm4_memory --locked -- --ignored

out="$(mktemp -d)/cortexm.json"
boards="qemu:mps2-an385,qemu:mps2-an386,qemu:mps2-an500,qemu:mps2-an505,qemu:mps3-an547,qemu:microbit"
set +e
PQBENCH_CORTEXM_ITERATIONS=2 cargo run --quiet --locked -p pqbench -- run \
    --target "$boards" --suite hash,pqc \
    --filter sha256.digest/rustcrypto/1KiB --filter ml-kem.keygen/rustcrypto/512 \
    --filter ml-kem.keygen/pqclean/512 \
    --replications 2 --time-budget 0 -o "$out"
rc=$?
set -e
# Exit 3 = some benchmark failed (e.g. does not fit); the check below decides.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "pqbench run failed with exit code $rc" >&2
    exit 1
fi
python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res = {(r["target"], r["id"]): r for r in d["results"]}
boards = ["mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit"]
bad = []
for b in boards:
    r = res.get((f"qemu:{b}", "hash/sha256.digest/rustcrypto/1KiB"))
    if not r or r["status"]["state"] != "ok" or r["unit"] != "instructions":
        bad.append(f"{b}: sha256 1KiB missing or not ok: {r and r['status']}")
        continue
    if len(r["processes"]) != 2 or len(r["details"].get("per_process", [])) != 2:
        bad.append(f"{b}: sha256 1KiB should have 2 replications (fresh QEMU launches), got {len(r['processes'])}")
    med = r["summary"]["median"]
    if not (10_000 < med < 200_000):
        bad.append(f"{b}: implausible sha256 1KiB count {med}")
    if r["static_metrics"].get("stack_bytes", {}).get("value", 0) <= 0:
        bad.append(f"{b}: no stack high-water mark")
    for impl in ("rustcrypto", "pqclean"):
        k = res.get((f"qemu:{b}", f"pqc/ml-kem.keygen/{impl}/512"))
        if not k:
            bad.append(f"{b}: ML-KEM-512 keygen ({impl}) missing")
        elif b == "microbit":
            if k["status"]["state"] != "does_not_fit":
                bad.append(f"microbit (16 KiB RAM): ML-KEM-512 keygen ({impl}) should not fit, got {k['status']}")
        elif k["status"]["state"] != "ok":
            bad.append(f"{b}: ML-KEM-512 keygen ({impl}) {k['status']}")
        elif impl == "pqclean" and not (300_000 < k["summary"]["median"] < 3_000_000):
            bad.append(f"{b}: implausible PQClean ML-KEM-512 keygen count {k['summary']['median']}")
for line in bad:
    print("FAIL", line)
for (t, i), r in sorted(res.items()):
    s = r.get("summary") or {}
    print(f"{t:18} {i:40} {r['status']['state']:13} {s.get('median', '-')}")
sys.exit(1 if bad else 0)
PY
