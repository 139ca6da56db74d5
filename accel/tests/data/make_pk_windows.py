#!/usr/bin/env python3
"""Writes the labelled windows `accel/tests/real_tflite.rs` scores:
pk_windows.bin (512-byte windows, concatenated) and pk_windows.tsv (one line
per window: index, label, source image, byte offset in the image).

Windows are cut from the detection corpus exactly as scripts/model/train.py
cuts them (512 bytes, stride 256, windows with <= 8 distinct byte values
skipped; a window of a public-key program counts as public-key only when at
most 10 % of its 16-byte chunks also occur in a non-public-key program of the
same target/profile). Only programs of the model's *held-out* split are used
(train.py's `is_test`), so the model never saw these windows:

    public-key  k256-ecdsa, p384-ecdh, rsa-verify   (thumbv7em, release)
    filler      none, aes (thumbv7em, release); corpus controls
                compressed-zlib, erased-flash, random-256k

8 windows per source, evenly spread over its eligible windows.

Usage (after building the thumbv7em release corpus programs, e.g. with
scripts/corpus/build.py, or `cargo build --profile release --target
thumbv7em-none-eabihf` in scripts/corpus/fw):

    accel/tests/data/make_pk_windows.py [ELF_DIR]

ELF_DIR defaults to build.py's target/corpus/thumbv7em-none-eabihf/release.
"""
import hashlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "corpus"))
import build as corpus  # noqa: E402  (elf_load_segments, flat_image, controls)

WINDOW, STRIDE, CHUNK, PER_SOURCE = 512, 256, 16, 8
NON_PK = ["none", "sha2", "legacy-hash", "sha3", "aes", "crc"]
POSITIVE = ["k256-ecdsa", "p384-ecdh", "rsa-verify"]
FILLER = ["none", "aes"]
CONTROLS = ["compressed-zlib", "erased-flash", "random-256k"]


def is_test(name):
    return hashlib.sha256(name.encode()).digest()[0] % 4 == 0


def image(elf_dir, prog):
    return corpus.flat_image(corpus.elf_load_segments((elf_dir / prog).read_bytes()))[1]


def windows(data):
    for off in range(0, max(len(data) - WINDOW, 0) + 1, STRIDE):
        w = data[off:off + WINDOW]
        if len(w) == WINDOW and len(set(w)) > 8:
            yield off, w


def chunks(data):
    return {data[i:i + CHUNK] for i in range(0, len(data) - CHUNK + 1, CHUNK)}


def spread(items):
    if len(items) <= PER_SOURCE:
        return items
    return [items[round(i * (len(items) - 1) / (PER_SOURCE - 1))] for i in range(PER_SOURCE)]


def main():
    elf_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(os.environ.get("PQBENCH_CORPUS_TARGET_DIR", ROOT / "target" / "corpus")) / \
        "thumbv7em-none-eabihf" / "release"
    for p in POSITIVE + FILLER + CONTROLS:
        assert is_test(p), f"{p} is in the model's training split"
    shared = set()
    for p in NON_PK:
        shared |= chunks(image(elf_dir, p))
    picked = []
    for p in POSITIVE:
        ok = []
        for off, w in windows(image(elf_dir, p)):
            c = [w[i:i + CHUNK] for i in range(0, WINDOW, CHUNK)]
            if sum(x in shared for x in c) <= 0.1 * len(c):
                ok.append((off, w))
        picked += [("pk", f"thumbv7em-none-eabihf/release/{p}.bin", o, w) for o, w in spread(ok)]
    for p in FILLER:
        picked += [("filler", f"thumbv7em-none-eabihf/release/{p}.bin", o, w)
                   for o, w in spread(list(windows(image(elf_dir, p))))]
    corpus.controls()
    for c in CONTROLS:
        data = (corpus.OUT / "controls" / f"{c}.bin").read_bytes()
        picked += [("filler", f"controls/{c}.bin", o, w) for o, w in spread(list(windows(data)))]
    with open(HERE / "pk_windows.bin", "wb") as f:
        for _, _, _, w in picked:
            f.write(w)
    with open(HERE / "pk_windows.tsv", "w") as f:
        f.write("# index\tlabel\tsource (scripts/corpus/out/...)\toffset; written by make_pk_windows.py\n")
        for i, (label, src, off, _) in enumerate(picked):
            f.write(f"{i}\t{label}\t{src}\t{off}\n")
    n = {k: sum(1 for x in picked if x[0] == k) for k in ("pk", "filler")}
    print(f"{len(picked)} windows: {n['pk']} public-key, {n['filler']} filler")


if __name__ == "__main__":
    main()
