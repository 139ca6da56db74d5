#!/usr/bin/env python3
"""Train pqbench's detection model: "does this 512-byte firmware window contain
public-key crypto code?", and write it as a full-integer (int8) TFLite model.

Data: the detection corpus built by `scripts/corpus/build.py` (real firmware
compiled from real crypto crates for thumbv6m, thumbv7em and x86-64, at
several optimisation levels) and its ground truth `scripts/corpus/labels.tsv`
(families per program, from each program's dependency tree). Only the raw
`.bin` images are used (the ELF files are stripped, so labels exist per
program, not per function).

Window labels: a program is public-key when its families include ecc, rsa,
dh or pqc. Every window of a program without public-key crypto is a negative.
A window of a public-key program is a positive only when at most 10 % of its
aligned 16-byte chunks also occur in any non-public-key program of the same
target and profile (shared runtime, formatting and hash code is thereby not
called "public-key"); other windows of positive programs are left out.
Programs (not windows) are split into train / test by a hash of the program
name, so test windows come from programs the model never saw.

Environment (outside the repository), created from PyPI:

    python3 -m venv .venv/accel-venv      # any path
    .venv/accel-venv/bin/pip install tensorflow-cpu==2.21.* numpy
    .venv/accel-venv/bin/python scripts/model/train.py

Writes accel/models/pk_detect_int8.tflite and accel/models/pk_detect_int8.json
(metadata: input layout, labels, accuracy on the held-out programs, both for
the float Keras model and for the int8 TFLite model run by TFLite's own
interpreter).
"""

import hashlib
import json
import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LABELS = os.path.join(ROOT, "scripts", "corpus", "labels.tsv")
OUT_DIR = os.path.join(ROOT, "accel", "models")
WINDOW = 512
STRIDE = 256
CHUNK = 16
PK_FAMILIES = {"ecc", "rsa", "dh", "pqc"}
SEED = 20261122


def load_corpus():
    progs = []
    with open(LABELS) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            path, fams = line.rstrip("\n").split("\t")[:2]
            if not path.endswith(".bin"):
                continue
            full = os.path.join(ROOT, path)
            if not os.path.exists(full):
                continue
            fam = {x for x in fams.split(",") if x}
            group = os.path.dirname(path)  # target/profile
            name = os.path.splitext(os.path.basename(path))[0]
            with open(full, "rb") as fh:
                data = fh.read()
            progs.append((group, name, bool(fam & PK_FAMILIES), data))
    return progs


def chunks(data):
    return {data[i : i + CHUNK] for i in range(0, len(data) - CHUNK + 1, CHUNK)}


def windows(data):
    for off in range(0, max(len(data) - WINDOW, 0) + 1, STRIDE):
        w = data[off : off + WINDOW]
        if len(w) == WINDOW and len(set(w)) > 8:  # skip padding/erased runs
            yield w


def is_test(name):
    return hashlib.sha256(name.encode()).digest()[0] % 4 == 0


def build_dataset(progs):
    neg_chunks = {}
    for group, _, pk, data in progs:
        if not pk:
            neg_chunks.setdefault(group, set()).update(chunks(data))
    sets = {"train": ([], []), "test": ([], [])}
    for group, name, pk, data in progs:
        split = "test" if is_test(name) else "train"
        xs, ys = sets[split]
        shared = neg_chunks.get(group, set())
        for w in windows(data):
            if pk:
                c = [w[i : i + CHUNK] for i in range(0, WINDOW, CHUNK)]
                if sum(x in shared for x in c) > 0.1 * len(c):
                    continue
            xs.append(np.frombuffer(w, dtype=np.uint8))
            ys.append(1.0 if pk else 0.0)
    out = {}
    for k, (xs, ys) in sets.items():
        out[k] = (np.stack(xs).astype(np.float32) / 255.0, np.array(ys, dtype=np.float32))
    return out


def make_model(batch_size=None):
    inp = tf.keras.Input(shape=(WINDOW,), name="window", batch_size=batch_size)
    x = tf.keras.layers.Reshape((WINDOW, 1))(inp)
    x = tf.keras.layers.Conv1D(32, 8, strides=2, activation="relu")(x)
    x = tf.keras.layers.Conv1D(32, 8, strides=2, activation="relu")(x)
    x = tf.keras.layers.Conv1D(64, 4, strides=2, activation="relu")(x)
    x = tf.keras.layers.GlobalMaxPooling1D()(x)
    x = tf.keras.layers.Dense(32, activation="relu")(x)
    out = tf.keras.layers.Dense(1, activation="sigmoid", name="pk")(x)
    return tf.keras.Model(inp, out)


def main():
    tf.keras.utils.set_random_seed(SEED)
    progs = load_corpus()
    if not progs:
        sys.exit(f"no corpus images listed in {LABELS}; build the corpus first")
    data = build_dataset(progs)
    (xtr, ytr), (xte, yte) = data["train"], data["test"]
    print(f"train windows: {len(ytr)} ({int(ytr.sum())} positive); "
          f"test windows: {len(yte)} ({int(yte.sum())} positive)")
    model = make_model()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    pos = max(ytr.mean(), 1e-3)
    cw = {0: 0.5 / (1 - pos), 1: 0.5 / pos}
    model.fit(xtr, ytr, epochs=int(os.environ.get("EPOCHS", "8")), batch_size=64,
                    class_weight=cw, verbose=2, validation_data=(xte, yte))
    float_acc = float(((model.predict(xte, batch_size=256, verbose=0)[:, 0] > 0.5) == (yte > 0.5)).mean())

    rng = np.random.default_rng(SEED)
    rep_idx = rng.choice(len(xtr), size=min(300, len(xtr)), replace=False)

    def representative():
        for i in rep_idx:
            yield [xtr[i : i + 1]]

    # Export with a fixed batch of 1 (one window per inference).
    export = make_model(batch_size=1)
    export.set_weights(model.get_weights())
    conv = tf.lite.TFLiteConverter.from_keras_model(export)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    # Per-tensor (not per-channel) weights for FULLY_CONNECTED: TFLite before
    # 2.15 (the 2.6.0 library pqbench ships, and libedgetpu's <= 2.11 range)
    # ignores per-channel FC scales and would compute garbage (checked:
    # constant output with 2.6.0 while TF 2.21 and tflite-runtime 2.14 agree).
    conv._experimental_disable_per_channel_quantization_for_dense_layers = True
    tfl = conv.convert()
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, "pk_detect_int8.tflite")
    with open(path + ".tmp", "wb") as f:
        f.write(tfl)
    os.replace(path + ".tmp", path)

    interp = tf.lite.Interpreter(model_content=tfl)
    interp.allocate_tensors()
    ind, outd = interp.get_input_details()[0], interp.get_output_details()[0]
    s_in, z_in = ind["quantization"]
    s_out, z_out = outd["quantization"]
    correct = tp = fp = fn = 0
    for x, y in zip(xte, yte):
        q = np.clip(np.round(x / s_in + z_in), -128, 127).astype(np.int8)[None, :]
        interp.set_tensor(ind["index"], q)
        interp.invoke()
        p = (interp.get_tensor(outd["index"]).astype(np.float32)[0, 0] - z_out) * s_out
        pred, truth = p > 0.5, y > 0.5
        correct += pred == truth
        tp += pred and truth
        fp += pred and not truth
        fn += truth and not pred
    n = len(yte)
    meta = {
        "model": "pk_detect_int8.tflite",
        "task": "does a 512-byte firmware window contain public-key crypto code (ecc, rsa, dh, pqc)?",
        "input": {"name": ind["name"], "shape": [int(d) for d in ind["shape"]], "dtype": "int8",
                  "scale": float(s_in), "zero_point": int(z_in),
                  "meaning": "bytes b of the window as int8 round(b/255/scale)+zero_point"},
        "output": {"name": outd["name"], "shape": [int(d) for d in outd["shape"]], "dtype": "int8",
                   "scale": float(s_out), "zero_point": int(z_out),
                   "meaning": "probability of public-key crypto after dequantization"},
        "corpus": "scripts/corpus/labels.tsv (.bin images)",
        "train_windows": int(len(ytr)), "test_windows": int(n),
        "test_positive": int(yte.sum()),
        "test_programs": sorted({p[1] for p in progs if is_test(p[1])}),
        "accuracy_float_keras": round(float_acc, 4),
        "accuracy_int8_tflite": round(correct / n, 4),
        "precision_int8_tflite": round(tp / max(tp + fp, 1), 4),
        "recall_int8_tflite": round(tp / max(tp + fn, 1), 4),
        "majority_class_baseline": round(float(max(yte.mean(), 1 - yte.mean())), 4),
        "tensorflow": tf.__version__,
        "seed": SEED,
    }
    with open(os.path.join(OUT_DIR, "pk_detect_int8.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
