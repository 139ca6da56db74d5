#!/usr/bin/env python3
"""Peer check of pqbench's OpenSSL rows against `openssl speed`, in one run.

    scripts/peers/openssl_speed.py [--pqbench target/release/pqbench] [--seconds 2] [--rounds 3] [--bench-time 2s]

Per round, in alternating order: `pqbench run -s classical -f /openssl/`
(its replications and samples, median per operation) and `openssl speed
-mr -seconds S` for the same algorithms (mean time per operation over S
seconds, one process). Prints, per operation, both medians over the rounds,
the ratio pqbench / openssl speed, and its spread (min-max of the per-round
ratios).

Expected differences, which the table does not hide: `openssl speed`
reuses one key and one context for all operations and reports a mean; a
pqbench operation is a whole call as a caller makes it (e.g. ECDH through
`EVP_PKEY_derive_set_peer`, which validates the peer key every time) and
its statistic is the median.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pqbench id -> (openssl speed algorithm, which time: 0 = sign/op, 1 = verify)
PAIRS = {
    "classical/ecdsa.sign/openssl/p256": ("ecdsap256", 0),
    "classical/ecdsa.verify/openssl/p256": ("ecdsap256", 1),
    "classical/ecdsa.sign/openssl/p384": ("ecdsap384", 0),
    "classical/ecdsa.verify/openssl/p384": ("ecdsap384", 1),
    "classical/ecdh.dh/openssl/p256": ("ecdhp256", 0),
    "classical/ecdh.dh/openssl/p384": ("ecdhp384", 0),
    "classical/x25519.dh/openssl/-": ("ecdhx25519", 0),
    "classical/ed25519.sign/openssl/-": ("ed25519", 0),
    "classical/ed25519.verify/openssl/-": ("ed25519", 1),
    "classical/rsa.sign/openssl/2048": ("rsa2048", 0),
    "classical/rsa.verify/openssl/2048": ("rsa2048", 1),
    "classical/rsa.sign/openssl/3072": ("rsa3072", 0),
    "classical/rsa.verify/openssl/3072": ("rsa3072", 1),
}


def openssl_speed(algorithms, seconds):
    """{algorithm: (t0, t1)} seconds per operation, from `openssl speed -mr`.

    Machine-readable lines (OpenSSL 3.0): `+F2:i:bits:sign/s:verify/s`
    (RSA), `+F4:i:bits:sign/s:verify/s` (ECDSA), `+F5:i:bits:op/s:s/op`
    (ECDH), `+F6:i:bits:name:sign/s:verify/s` (EdDSA)."""
    out = subprocess.run(
        ["openssl", "speed", "-mr", "-seconds", str(seconds), *algorithms],
        check=True, capture_output=True, text=True,
    ).stdout
    kinds = {"+F2": "rsa", "+F4": "ecdsa", "+F5": "ecdh", "+F6": "eddsa"}
    names = {
        ("rsa", "2048"): "rsa2048", ("rsa", "3072"): "rsa3072",
        ("ecdsa", "256"): "ecdsap256", ("ecdsa", "384"): "ecdsap384",
        ("ecdh", "256"): "ecdhp256", ("ecdh", "384"): "ecdhp384", ("ecdh", "253"): "ecdhx25519",
        ("eddsa", "253"): "ed25519",
    }
    got = {}
    for line in out.splitlines():
        parts = line.strip().split(":")
        kind = kinds.get(parts[0])
        if not kind or len(parts) < 4:
            continue
        name = names.get((kind, parts[2]))
        if name not in algorithms:
            continue
        rates = parts[4:6] if kind == "eddsa" else parts[3:4] if kind == "ecdh" else parts[3:5]
        got[name] = tuple(1.0 / float(r) for r in rates)
    missing = set(algorithms) - set(got)
    if missing:
        sys.exit(f"openssl speed gave no result for {sorted(missing)}:\n{out[-2000:]}")
    return got


def pqbench_medians(pqbench, tmp, bench_time):
    path = os.path.join(tmp, "openssl.json")
    subprocess.run(
        [pqbench, "run", "-s", "classical", "-f", "/openssl/", "--time-budget", "0",
         "--bench-time", bench_time, "-o", path],
        check=True, capture_output=True, text=True,
    )
    d = json.load(open(path))
    return {r["id"]: r["summary"]["median"] for r in d["results"] if r.get("summary")}, d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default=os.path.join(ROOT, "target", "release", "pqbench"))
    ap.add_argument("--seconds", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--bench-time", default="2s", help="pqbench's --bench-time")
    args = ap.parse_args()
    algorithms = sorted({a for a, _ in PAIRS.values()})
    rows = {k: ([], []) for k in PAIRS}
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    linked = None
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(args.rounds):
            order = ["pqbench", "openssl"] if rnd % 2 == 0 else ["openssl", "pqbench"]
            for who in order:
                if who == "pqbench":
                    med, d = pqbench_medians(args.pqbench, tmp, args.bench_time)
                    linked = d["environment"].get("extra", {}).get("openssl_version") or d["environment"].get("openssl_version")
                else:
                    sp = openssl_speed(algorithms, args.seconds)
            for k, (alg, which) in PAIRS.items():
                if k in med:
                    rows[k][0].append(med[k])
                    rows[k][1].append(sp[alg][which] * 1e9)
    print(f"openssl speed: {version}; pqbench linked: {linked}; {args.rounds} rounds, alternating order")
    print()
    print("| operation | pqbench median | openssl speed mean | ratio | round ratios |")
    print("|---|---:|---:|---:|---|")
    for k, (p, o) in rows.items():
        if not p:
            continue
        ratios = [a / b for a, b in zip(p, o)]
        print(
            f"| `{k}` | {statistics.median(p) / 1e3:,.1f} µs | {statistics.median(o) / 1e3:,.1f} µs "
            f"| {statistics.median(ratios):.2f} | {min(ratios):.2f}–{max(ratios):.2f} |"
        )


if __name__ == "__main__":
    main()
