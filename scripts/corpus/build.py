#!/usr/bin/env python3
"""Builds the labelled detection corpus.

Real programs (scripts/corpus/fw/*, each built from real crypto crates) are
compiled for bare-metal Cortex-M (thumbv6m, thumbv7em) and x86-64 Linux at
several optimisation levels. Each image's ground-truth families come from the
build itself: the crates in the program's normal dependency tree (`cargo tree`
for that target) mapped to families. Negative controls are added: the
crypto-free program, seeded random data and compressed data. Some Cortex-M
images are also written as raw flash images, Intel HEX and Motorola S-record
(derived here from the ELF program headers) so that every loader is exercised.

Output (stable, used by the accel area too):
    scripts/corpus/out/<target>/<profile>/<program>.elf|.bin|.hex|.srec
    scripts/corpus/out/controls/*.bin
    scripts/corpus/labels.tsv   path<TAB>families   (paths relative to the repo root)

Usage: scripts/corpus/build.py [--quick] [--jobs N]
  --quick  thumbv7em + x86_64 at one profile each, labels in labels-quick.tsv
           (used by the test step)
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FW = HERE / "fw"
OUT = HERE / "out"
TARGET_DIR = Path(os.environ.get("PQBENCH_CORPUS_TARGET_DIR", ROOT / "target" / "corpus"))

PROGRAMS = [
    "none", "sha2", "legacy-hash", "sha3", "aes", "crc", "p256-ecdsa", "p384-ecdh",
    "k256-ecdsa", "x25519", "ed25519", "rsa-verify", "ffdh", "mlkem", "mldsa", "tls-client",
    "hybrid-kex",
]
TARGETS = ["thumbv6m-none-eabi", "thumbv7em-none-eabihf", "x86_64-unknown-linux-gnu"]
# programs that cannot be built for a target (thumbv6m has no compare-and-swap:
# rsa's num-bigint-dig -> lazy_static -> spin needs it)
SKIP = {"thumbv6m-none-eabi": {"rsa-verify", "ffdh"}}
# cargo profile -> opt-level (profiles are defined in fw/Cargo.toml)
PROFILES = {"release": "3", "os": "s", "oz": "z"}

# crate name -> family (the ground truth mapping)
CRATE_FAMILY = {
    "aes": "aes",
    "sha2": "sha", "sha1": "sha",
    "md-5": "hash", "sha3": "hash", "keccak": "hash",
    "crc32fast": "crc",
    "p256": "ecc", "p384": "ecc", "k256": "ecc",
    "x25519-dalek": "ecc", "ed25519-dalek": "ecc", "curve25519-dalek": "ecc",
    "rsa": "rsa",
    "ml-kem": "pqc", "ml-dsa": "pqc",
}
# Programs whose algorithm is not named by a crate (FFDH over a bignum crate):
# the family the program implements, declared next to it.
PROGRAM_FAMILY = {"ffdh": "dh"}
FAMILY_ORDER = ["rsa", "ecc", "dh", "aes", "sha", "hash", "pqc", "crc"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def families_of(program, target):
    out = subprocess.run(
        ["cargo", "tree", "--locked", "-q", "-e", "normal", "--prefix", "none",
         "-p", f"{program}@0.1.0", "--target", target],
        cwd=FW, check=True, capture_output=True, text=True,
    ).stdout
    fams = {PROGRAM_FAMILY[program]} if program in PROGRAM_FAMILY else set()
    for line in out.splitlines():
        name = line.split(" ")[0]
        if name in CRATE_FAMILY:
            fams.add(CRATE_FAMILY[name])
    return [f for f in FAMILY_ORDER if f in fams] or ["none"]


def build(target, profile, jobs):
    excl = []
    for p in ["fw-common", *sorted(SKIP.get(target, ()))]:
        excl += ["--exclude", p]
    r = subprocess.run(
        ["cargo", "build", "--locked", "-q", "--profile", profile, "--target", target,
         "-j", str(jobs), "--workspace", *excl],
        cwd=FW, env={**os.environ, "CARGO_TARGET_DIR": str(TARGET_DIR)},
        capture_output=True, text=True)
    if r.returncode != 0:  # compiler warnings are shown only when the build fails
        sys.stderr.write(r.stderr)
        raise SystemExit(f"corpus: cargo build failed for {target} --profile {profile}")


def elf_load_segments(data):
    """(paddr, bytes) of each PT_LOAD segment with file contents (ELF32 LE)."""
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ValueError("expected a 32-bit little-endian ELF")
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    segs = []
    for i in range(phnum):
        p_type, p_offset, _vaddr, p_paddr, p_filesz = struct.unpack_from(
            "<IIIII", data, phoff + i * phentsize)
        if p_type == 1 and p_filesz > 0:
            segs.append((p_paddr, data[p_offset:p_offset + p_filesz]))
    return sorted(segs)


def flat_image(segs):
    base = segs[0][0]
    end = max(a + len(b) for a, b in segs)
    img = bytearray(b"\xff" * (end - base))
    for a, b in segs:
        img[a - base:a - base + len(b)] = b
    return base, bytes(img)


def intel_hex(segs):
    lines = []
    upper = None
    for addr, blob in segs:
        for off in range(0, len(blob), 16):
            a = addr + off
            if a >> 16 != upper:
                upper = a >> 16
                rec = bytes([2, 0, 0, 4]) + struct.pack(">H", upper)
                lines.append(":" + rec.hex().upper() + "%02X" % ((-sum(rec)) & 0xFF))
            chunk = blob[off:off + 16]
            rec = bytes([len(chunk)]) + struct.pack(">H", a & 0xFFFF) + b"\x00" + chunk
            lines.append(":" + rec.hex().upper() + "%02X" % ((-sum(rec)) & 0xFF))
    lines.append(":00000001FF")
    return "\n".join(lines) + "\n"


def srecord(segs, name):
    def rec(kind, body):
        n = len(body) + 1
        return "S%d%02X%s%02X" % (kind, n, body.hex().upper(), (~(n + sum(body))) & 0xFF)
    lines = [rec(0, b"\x00\x00" + name.encode()[:20])]
    count = 0
    for addr, blob in segs:
        for off in range(0, len(blob), 32):
            lines.append(rec(3, struct.pack(">I", addr + off) + blob[off:off + 32]))
            count += 1
    lines.append(rec(7, struct.pack(">I", segs[0][0])))
    return "\n".join(lines) + "\n"


def controls():
    d = OUT / "controls"
    d.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    (d / "random-256k.bin").write_bytes(bytes(rng.getrandbits(8) for _ in range(256 << 10)))
    words = ["sensor", "frame", "temperature", "humidity", "gateway", "uplink", "0x1f",
             "reading", "battery", "status", "ok", "error", "retry", "mqtt", "topic"]
    text = " ".join(rng.choice(words) for _ in range(120000)).encode()
    (d / "compressed-zlib.bin").write_bytes(zlib.compress(text, 9))
    # a zero-filled flash image with a text string table: structure but no crypto
    (d / "erased-flash.bin").write_bytes(b"\xff" * (64 << 10) + text[:32768] + b"\x00" * 4096)
    return [(f"scripts/corpus/out/controls/{p.name}", ["none"]) for p in sorted(d.iterdir())]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if args.quick:
        matrix = [("thumbv7em-none-eabihf", "os"), ("x86_64-unknown-linux-gnu", "release")]
    else:
        matrix = [(t, p) for t in TARGETS for p in PROFILES]
    labels = []
    fam_cache = {}
    for target, profile in matrix:
        print(f"corpus: building {target} --profile {profile}", file=sys.stderr)
        build(target, profile, args.jobs)
        odir = OUT / target / profile
        odir.mkdir(parents=True, exist_ok=True)
        for prog in PROGRAMS:
            if prog in SKIP.get(target, ()):
                continue
            key = (prog, target)
            if key not in fam_cache:
                fam_cache[key] = families_of(prog, target)
            fams = ",".join(fam_cache[key])
            src = TARGET_DIR / target / profile / prog
            elf = src.read_bytes()
            dst = odir / f"{prog}.elf"
            dst.write_bytes(elf)
            rel = dst.relative_to(ROOT)
            labels.append((str(rel), fams))
            if target.startswith("thumb") and profile in ("os", "release"):
                segs = elf_load_segments(elf)
                if profile == "os":
                    (odir / f"{prog}.hex").write_text(intel_hex(segs))
                    labels.append((str(rel.with_suffix(".hex")), fams))
                    (odir / f"{prog}.srec").write_text(srecord(segs, prog))
                    labels.append((str(rel.with_suffix(".srec")), fams))
                else:
                    _base, img = flat_image(segs)
                    (odir / f"{prog}.bin").write_bytes(img)
                    labels.append((str(rel.with_suffix(".bin")), fams))
    labels += [(p, ",".join(f)) for p, f in controls()]
    with open(HERE / ("labels-quick.tsv" if args.quick else "labels.tsv"), "w") as f:
        f.write("# path<TAB>families (ground truth from each program's dependency tree; see build.py)\n")
        for p, fams in labels:
            f.write(f"{p}\t{fams}\n")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"corpus: {len(labels)} images, {total / 1e6:.1f} MB in {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
