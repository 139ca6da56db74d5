#!/usr/bin/env python3
"""Single-stream latency and load time of the standard models on LiteRT and
TFLite 2.6.0 (CPU, 1 thread), one pqbench results file per model, from
which docs/accel.md's "Standard models" table is generated:

    cargo build --release -p pqbench
    python3 scripts/model/standard_latency.py            # ~2 minutes

The MobileNets are built into scripts/.cache/models/ by
scripts/model/standard_models.py (see its docstring); the DS-CNN files are
committed in accel/models/standard/. A model that is missing is skipped with
a message. Each model runs `pqbench run --target litert-cpu,tflite-cpu
--model FILE --filter single-stream --filter /load -p 3 --bench-time 2s`
and its results file goes to results/reports/standard-models/NAME.json.
Run it on a quiet machine.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = [
    ("mobilenet_v1_int8", "scripts/.cache/models/mobilenet_v1_1.0_224_int8.tflite"),
    ("mobilenet_v1_float32", "scripts/.cache/models/mobilenet_v1_1.0_224_float32.tflite"),
    ("mobilenet_v2_int8", "scripts/.cache/models/mobilenet_v2_1.0_224_int8.tflite"),
    ("mobilenet_v2_float32", "scripts/.cache/models/mobilenet_v2_1.0_224_float32.tflite"),
    ("ds_cnn_kws_int8", "accel/models/standard/ds_cnn_kws_int8.tflite"),
    ("ds_cnn_kws_float32", "accel/models/standard/ds_cnn_kws_float32.tflite"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pqbench", default=os.path.join(ROOT, "target", "release", "pqbench"))
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "reports", "standard-models"))
    ap.add_argument("--bench-time", default="2s")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    missing = []
    for name, rel in MODELS:
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            missing.append(rel)
            print(f"skipped {name}: {rel} is missing (scripts/model/standard_models.py builds it)", file=sys.stderr)
            continue
        cmd = [a.pqbench, "run", "--target", "litert-cpu,tflite-cpu", "--model", path,
               "--filter", "single-stream", "--filter", "/load", "-p", "3", "--bench-time", a.bench_time,
               "-o", os.path.join(a.out, f"{name}.json")]
        env = dict(os.environ, CI="1", PQBENCH_TFLITE_THREADS="1")
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"measured {name}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
