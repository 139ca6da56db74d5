#!/usr/bin/env python3
"""Reference outputs of the committed detection model, computed by
TensorFlow's own TFLite interpreter (tf.lite.Interpreter, TF 2.21), for
fixed synthetic windows. The Rust test `accel/tests/real_tflite.rs` runs the
same windows through pqbench's wrapper over the TFLite 2.6.0 C library and
must agree to within one quantization step.

    .venv/accel-venv/bin/python scripts/model/reference_outputs.py
"""

import json
import os

import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "accel", "models", "pk_detect_int8.tflite")


def windows():
    x = 0x9E3779B97F4A7C15
    rnd = []
    for _ in range(512):
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
        rnd.append(x & 0xFF)
    return {
        "zeros": [0] * 512,
        "ones_ff": [0xFF] * 512,
        "ramp": [i % 256 for i in range(512)],
        "xorshift": rnd,
    }


def main():
    it = tf.lite.Interpreter(model_path=MODEL)
    it.allocate_tensors()
    ind, outd = it.get_input_details()[0], it.get_output_details()[0]
    s, z = ind["quantization"]
    out = {"tensorflow": tf.__version__, "windows": {}}
    for name, w in windows().items():
        q = np.clip(np.round(np.array(w, dtype=np.float32) / 255.0 / s + z), -128, 127).astype(np.int8)
        it.set_tensor(ind["index"], q[None, :])
        it.invoke()
        out["windows"][name] = {"input_int8": q.tolist(), "output_int8": int(it.get_tensor(outd["index"])[0, 0])}
    with open(MODEL.replace(".tflite", ".reference.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")
    print({k: v["output_int8"] for k, v in out["windows"].items()})


if __name__ == "__main__":
    main()
