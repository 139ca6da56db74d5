#!/usr/bin/env python3
"""Peer timing of a .tflite model with Python's `tflite-runtime` (PyPI), to set
beside `pqbench run --target tflite-cpu` on the same model and thread count.

    # tflite-runtime 2.14 is built against NumPy 1.x: use its own venv.
    python3 -m venv .venv/accel-peer-venv
    .venv/accel-peer-venv/bin/pip install tflite-runtime==2.14.0 'numpy<2'
    .venv/accel-peer-venv/bin/python scripts/model/peer_tflite_runtime.py \
        [--model accel/models/pk_detect_int8.tflite] [--threads 1] [--queries 5000] \
        [--pqbench-results FILE.json]

Times `interpreter.invoke()` alone with time.perf_counter_ns (inputs set
once, as pqbench does), with the op resolver WITHOUT default delegates (so
XNNPACK is not silently applied: the tflite-cpu configuration), after one
untimed first inference. Prints the median and p90/p99; with
--pqbench-results, also pqbench's single-stream median from that results
file and the ratio.
"""

import argparse
import os
import time

import numpy as np
import tflite_runtime
from tflite_runtime.interpreter import Interpreter, OpResolverType

from pqbench_single_stream import print_ratio, record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "accel/models/pk_detect_int8.tflite"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--pqbench-results")
    ap.add_argument("--json", help="append this runner's row to a peers JSON (scripts/model/peers.sh)")
    a = ap.parse_args()
    it = Interpreter(model_path=a.model, num_threads=a.threads,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it.allocate_tensors()
    rng = np.random.default_rng(0)
    for d in it.get_input_details():
        if d["dtype"] == np.float32:
            x = rng.random(d["shape"], dtype=np.float32)
        else:
            info = np.iinfo(d["dtype"])
            x = rng.integers(info.min, info.max + 1, size=d["shape"]).astype(d["dtype"])
        it.set_tensor(d["index"], x)
    it.invoke()  # first inference, not timed (pqbench reports it separately)
    lat = np.empty(a.queries, dtype=np.float64)
    for i in range(a.queries):
        t = time.perf_counter_ns()
        it.invoke()
        lat[i] = time.perf_counter_ns() - t
    med = float(np.median(lat))
    print(f"tflite-runtime {tflite_runtime.__version__}, threads {a.threads}, {a.queries} queries: "
          f"median {med / 1e3:.2f} us, p90 {np.percentile(lat, 90) / 1e3:.2f} us, "
          f"p99 {np.percentile(lat, 99) / 1e3:.2f} us")
    if a.pqbench_results:
        print_ratio(a.pqbench_results, med, "tflite-runtime")
    if a.json:
        record(a.json, {"runner": "Python `tflite-runtime`", "tflite": tflite_runtime.__version__,
                        "queries": a.queries, "median_ns": med, "p90_ns": float(np.percentile(lat, 90)),
                        "p99_ns": float(np.percentile(lat, 99))})

if __name__ == "__main__":
    main()
