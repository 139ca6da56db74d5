#!/usr/bin/env python3
"""int8 outputs of the detection model under Python's LiteRT interpreter
(PyPI `ai-edge-litert` 2.3.0, `ai_edge_litert.interpreter.Interpreter`), for
the cross-runtime agreement check; likewise for the committed DS-CNN
(accel/models/standard/ds_cnn_kws_int8.tflite: 50 xorshift64 windows of 490
bytes, seed 0x9E3779B97F4A7C15, all 12 outputs each, into
accel/models/standard/ds_cnn_kws_int8.runtimes.json).

    scripts/.cache/litert/py/bin/python scripts/model/runtime_outputs.py --write
    scripts/.cache/litert/py/bin/python scripts/model/runtime_outputs.py --check

(the venv is made by scripts/setup.d/71-litert.sh). Inputs, in this order:
the four windows of accel/models/pk_detect_int8.reference.json (TensorFlow's
own reference; sorted by name), the 64 labelled corpus windows of
accel/tests/data/pk_windows.bin (bytes b -> int8 b - 128, i.e. real b/255 at
scale 1/255, zero point -128), and 200 xorshift64 windows (seed
0x2545F4914F6CDD1D; each byte the low byte of the state after
x ^= x << 13; x ^= x >> 7; x ^= x << 17). Each runs under both of the
interpreter's CPU configurations: `builtin` (op resolver
BUILTIN_WITHOUT_DEFAULT_DELEGATES: TFLite's kernels) and `xnnpack` (the
default, XNNPACK applied). --write stores them in
accel/models/pk_detect_int8.runtimes.json, which `cargo test -p
pqbench-accel --test real_litert` compares with TFLite 2.6.0's C library and
LiteRT's C API; --check recomputes them and fails on any difference from
the committed file (run by scripts/test.d/70-accel.sh).
"""

import argparse
import json
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "accel/models/pk_detect_int8.tflite")
OUT = os.path.join(ROOT, "accel/models/pk_detect_int8.runtimes.json")
DS_CNN = os.path.join(ROOT, "accel/models/standard/ds_cnn_kws_int8.tflite")
DS_CNN_OUT = os.path.join(ROOT, "accel/models/standard/ds_cnn_kws_int8.runtimes.json")
DS_CNN_SEED = 0x9E3779B97F4A7C15
DS_CNN_WINDOWS = 50
SEED = 0x2545F4914F6CDD1D
RANDOM_WINDOWS = 200
MASK = (1 << 64) - 1


def xorshift_windows(seed, count, size):
    x, out = seed, []
    for i in range(count):
        w = bytearray()
        for _ in range(size):
            x ^= (x << 13) & MASK
            x ^= x >> 7
            x ^= (x << 17) & MASK
            w.append(x & 0xFF)
        out.append((f"xorshift:{i}", bytes(w)))
    return out


def ds_cnn_inputs():
    return xorshift_windows(DS_CNN_SEED, DS_CNN_WINDOWS, 490)


def inputs():
    ref = json.load(open(os.path.join(ROOT, "accel/models/pk_detect_int8.reference.json")))
    out = []
    for name in sorted(ref["windows"]):
        out.append((f"reference:{name}", bytes(v & 0xFF for v in ref["windows"][name]["input_int8"])))
    data = open(os.path.join(ROOT, "accel/tests/data/pk_windows.bin"), "rb").read()
    for i in range(len(data) // 512):
        out.append((f"pk_windows:{i}", bytes((b - 128) & 0xFF for b in data[i * 512:(i + 1) * 512])))
    return out + xorshift_windows(SEED, RANDOM_WINDOWS, 512)


def run(resolver, model=MODEL, windows=inputs, first_only=True):
    kwargs = {"num_threads": 1}
    if resolver is not None:
        kwargs["experimental_op_resolver_type"] = resolver
    it = Interpreter(model_path=model, **kwargs)
    it.allocate_tensors()
    inp = it.get_input_details()[0]
    outp = it.get_output_details()[0]
    res = []
    for _, w in windows():
        it.set_tensor(inp["index"], np.frombuffer(w, dtype=np.int8).reshape(inp["shape"]))
        it.invoke()
        out = [int(v) for v in it.get_tensor(outp["index"]).reshape(-1)]
        res.append(out[0] if first_only else out)
    return res


def compute(model=MODEL, windows=inputs, first_only=True):
    import ai_edge_litert

    builtin = OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    return {
        "generator": "scripts/model/runtime_outputs.py",
        "ai_edge_litert": getattr(ai_edge_litert, "__version__", "2.3.0"),
        "inputs": [n for n, _ in windows()],
        "builtin": run(builtin, model, windows, first_only),
        "xnnpack": run(None, model, windows, first_only),
    }


JOBS = [
    (OUT, lambda: compute()),
    (DS_CNN_OUT, lambda: compute(DS_CNN, ds_cnn_inputs, first_only=False)),
]


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", action="store_true")
    g.add_argument("--check", action="store_true")
    a = ap.parse_args()
    for path, job in JOBS:
        got = job()
        name = os.path.relpath(path, ROOT)
        if a.write:
            with open(path, "w") as f:
                json.dump(got, f, separators=(",", ":"))
                f.write("\n")
            print(f"wrote {name}: {len(got['inputs'])} inputs")
            continue
        want = json.load(open(path))
        bad = []
        for mode in ("builtin", "xnnpack"):
            for n, g, w in zip(got["inputs"], got[mode], want[mode]):
                if g != w:
                    bad.append(f"{mode} {n}: Python {g}, committed {w}")
        if got["inputs"] != want["inputs"]:
            bad.append("input list differs")
        if bad:
            sys.exit(f"Python's LiteRT interpreter disagrees with {name}:\n  " + "\n  ".join(bad[:20]))
        differ = sum(b != x for b, x in zip(got["builtin"], got["xnnpack"]))
        print(f"Python ai_edge_litert {got['ai_edge_litert']}: {len(got['inputs'])} inputs x 2 configurations "
              f"match {name} (builtin vs xnnpack differ on {differ})")


if __name__ == "__main__":
    main()
