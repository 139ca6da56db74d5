#!/usr/bin/env python3
"""Like-for-like peer of `pqbench run --target tflite-cpu`: the SAME TensorFlow
Lite C library (the one scripts/setup.d/70-accel.sh installs, or --lib) driven
from Python through ctypes, timed with time.perf_counter_ns.

pqbench and this script then differ only in the timing harness (Rust engine
with calibration, warm-up and HDR histogram vs. a plain Python loop), not in
the TFLite version, kernels or options: the medians should agree within a few
percent (Python adds ~1 us of call overhead per invoke).

    python3 scripts/model/peer_c_api.py [--model accel/models/pk_detect_int8.tflite] \
        [--threads 1] [--queries 5000] [--lib PATH] [--pqbench-results FILE.json]

Interpreter options as pqbench's tflite-cpu target: thread count set, no
delegate added. Inputs are filled once with seeded random bytes; one untimed
first inference; then QUERIES timed invokes. Exit 1 if the C library reports
an error.
"""

import argparse
import ctypes
import os
import random
import statistics
import sys
import time

from pqbench_single_stream import print_ratio, record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_LIB = os.path.join(ROOT, "scripts/.cache/tflite/libtensorflowlite_c.so")


def load(lib_path):
    lib = ctypes.CDLL(lib_path)
    p = ctypes.c_void_p
    sigs = {
        "TfLiteVersion": ([], ctypes.c_char_p),
        "TfLiteModelCreateFromFile": ([ctypes.c_char_p], p),
        "TfLiteModelDelete": ([p], None),
        "TfLiteInterpreterOptionsCreate": ([], p),
        "TfLiteInterpreterOptionsSetNumThreads": ([p, ctypes.c_int32], None),
        "TfLiteInterpreterOptionsDelete": ([p], None),
        "TfLiteInterpreterCreate": ([p, p], p),
        "TfLiteInterpreterDelete": ([p], None),
        "TfLiteInterpreterAllocateTensors": ([p], ctypes.c_int),
        "TfLiteInterpreterGetInputTensorCount": ([p], ctypes.c_int32),
        "TfLiteInterpreterGetInputTensor": ([p, ctypes.c_int32], p),
        "TfLiteTensorByteSize": ([p], ctypes.c_size_t),
        "TfLiteTensorCopyFromBuffer": ([p, p, ctypes.c_size_t], ctypes.c_int),
        "TfLiteInterpreterInvoke": ([p], ctypes.c_int),
    }
    for name, (args, res) in sigs.items():
        f = getattr(lib, name)
        f.argtypes = args
        f.restype = res
    return lib


def check(status, what):
    if status != 0:
        sys.exit(f"{what} failed with TfLiteStatus {status}")


def percentile(sorted_v, q):
    # NumPy's default (linear) definition, as pqbench's exact summary.
    pos = (len(sorted_v) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_v) - 1)
    return sorted_v[lo] + (sorted_v[hi] - sorted_v[lo]) * (pos - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "accel/models/pk_detect_int8.tflite"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--lib", default=os.environ.get("PQBENCH_TFLITE_LIB", DEFAULT_LIB))
    ap.add_argument("--pqbench-results")
    ap.add_argument("--json", help="append this runner's row to a peers JSON (scripts/model/peers.sh)")
    a = ap.parse_args()
    if not os.path.exists(a.lib):
        sys.exit(f"TFLite C library not found at {a.lib} (run scripts/setup.d/70-accel.sh or pass --lib)")
    lib = load(a.lib)
    model = lib.TfLiteModelCreateFromFile(a.model.encode())
    if not model:
        sys.exit(f"TfLiteModelCreateFromFile rejected {a.model}")
    opts = lib.TfLiteInterpreterOptionsCreate()
    lib.TfLiteInterpreterOptionsSetNumThreads(opts, a.threads)
    it = lib.TfLiteInterpreterCreate(model, opts)
    if not it:
        sys.exit("TfLiteInterpreterCreate failed")
    check(lib.TfLiteInterpreterAllocateTensors(it), "AllocateTensors")
    rng = random.Random(0)
    for i in range(lib.TfLiteInterpreterGetInputTensorCount(it)):
        t = lib.TfLiteInterpreterGetInputTensor(it, i)
        n = lib.TfLiteTensorByteSize(t)
        buf = (ctypes.c_uint8 * n)(*[rng.randrange(256) for _ in range(n)])
        check(lib.TfLiteTensorCopyFromBuffer(t, ctypes.cast(buf, ctypes.c_void_p), n), "CopyFromBuffer")
    invoke = lib.TfLiteInterpreterInvoke
    check(invoke(it), "first Invoke")
    lat = []
    clock = time.perf_counter_ns
    for _ in range(a.queries):
        t0 = clock()
        s = invoke(it)
        lat.append(clock() - t0)
        if s != 0:
            check(s, "Invoke")
    lat.sort()
    med = statistics.median(lat)
    version = lib.TfLiteVersion().decode()
    print(f"python ctypes, TFLite {version} C API ({a.lib}), threads {a.threads}, {a.queries} queries: "
          f"median {med / 1e3:.2f} us, p90 {percentile(lat, 0.9) / 1e3:.2f} us, "
          f"p99 {percentile(lat, 0.99) / 1e3:.2f} us")
    lib.TfLiteInterpreterDelete(it)
    lib.TfLiteInterpreterOptionsDelete(opts)
    lib.TfLiteModelDelete(model)
    if a.pqbench_results:
        print_ratio(a.pqbench_results, med, "python-ctypes")
    if a.json:
        record(a.json, {"runner": "Python ctypes, same C library", "tflite": f"{version} (C API)",
                        "queries": a.queries, "median_ns": med, "p90_ns": percentile(lat, 0.9),
                        "p99_ns": percentile(lat, 0.99)})

if __name__ == "__main__":
    main()
