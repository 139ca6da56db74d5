#!/usr/bin/env python3
"""Standard models beside the project's own, so pqbench's numbers can be set
beside published tables (results/anchors.json): MobileNet v1 1.0/224 and
MobileNet v2 1.0/224 (Keras architectures, ImageNet-sized, 1000 classes) and
an MLPerf Tiny-style keyword-spotting DS-CNN (49x10 MFCC input, 12 classes:
a 10x4/2 convolution with 64 filters, four depthwise-separable blocks of 64,
average pooling, a dense classifier), each in float32 and in full-integer
int8 (post-training quantization, 16 seeded representative inputs).

    python3 -m venv V && V/bin/pip install 'tensorflow-cpu==2.21.*' numpy
    V/bin/python scripts/model/standard_models.py [--out DIR] [--only ds_cnn]

Weights are random with a fixed seed (tf.keras.utils.set_random_seed(0);
BatchNormalization statistics measured on seeded calibration inputs, so that
outputs vary with the input):
pretrained weights cannot be fetched offline here, and latency does not
depend on weight values (accuracy is not measured for these models). Dense
layers are quantized per tensor (TFLite before 2.15, including the 2.6.0 C
library pqbench uses for tflite-cpu, ignores per-channel FULLY_CONNECTED
scales). Default output: scripts/.cache/models/ (gitignored); the small
DS-CNN files are committed under accel/models/standard/. Run any of them with
`pqbench run --target litert-cpu,tflite-cpu --model FILE`.
"""

import argparse
import os

import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ds_cnn():
    """DS-CNN after the MLPerf Tiny keyword-spotting reference architecture."""
    L = tf.keras.layers
    x = inp = L.Input((49, 10, 1))
    x = L.Conv2D(64, (10, 4), strides=(2, 2), padding="same", use_bias=False)(x)
    x = L.BatchNormalization()(x)
    x = L.ReLU()(x)
    for _ in range(4):
        x = L.DepthwiseConv2D((3, 3), padding="same", use_bias=False)(x)
        x = L.BatchNormalization()(x)
        x = L.ReLU()(x)
        x = L.Conv2D(64, (1, 1), use_bias=False)(x)
        x = L.BatchNormalization()(x)
        x = L.ReLU()(x)
    x = L.GlobalAveragePooling2D()(x)
    out = L.Dense(12, activation="softmax")(x)
    return tf.keras.Model(inp, out, name="ds_cnn")


MODELS = {
    "mobilenet_v1_1.0_224": lambda: tf.keras.applications.MobileNet(weights=None, input_shape=(224, 224, 3)),
    "mobilenet_v2_1.0_224": lambda: tf.keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3)),
    "ds_cnn_kws": ds_cnn,
}


def calibration_inputs(model, n=16, seed=0):
    """Inputs whose level and contrast vary (offset in [-0.8, 0.8], noise
    amplitude in [0.05, 0.5]), so outputs depend on them."""
    rng = np.random.default_rng(seed)
    shape = tuple(model.input_shape[1:])
    out = []
    for _ in range(n):
        off, amp = rng.uniform(-0.8, 0.8), rng.uniform(0.05, 0.5)
        out.append(np.clip(off + rng.uniform(-amp, amp, shape), -1.0, 1.0).astype(np.float32))
    return np.stack(out)


def spread(model):
    """Gives a model with random weights BatchNormalization statistics
    measured on calibration inputs (layer by layer, in order) and random
    scales and shifts (seed 1), so activations keep their spread through the
    network and outputs vary with the input. With Keras's initial
    statistics (mean 0, variance 1) the signal fades layer after layer and
    every input gives the same output: an output check would compare
    constants."""
    rng = np.random.default_rng(1)
    x = calibration_inputs(model)
    for layer in model.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            a = tf.keras.Model(model.input, layer.input)(x, training=False).numpy()
            axes = tuple(range(a.ndim - 1))
            gamma, _, _, _ = layer.get_weights()
            layer.set_weights([
                rng.uniform(0.5, 1.5, gamma.shape).astype(np.float32),
                rng.normal(0.0, 0.2, gamma.shape).astype(np.float32),
                a.mean(axis=axes).astype(np.float32),
                (a.var(axis=axes) + 1e-3).astype(np.float32),
            ])


def convert(model, int8):
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    if int8:
        shape = (1,) + tuple(model.input_shape[1:])
        rep = [r.reshape(shape) for r in calibration_inputs(model, seed=2)]
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = lambda: ([r] for r in rep)
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
        conv._experimental_disable_per_channel_quantization_for_dense_layers = True
    return conv.convert()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "scripts/.cache/models"))
    ap.add_argument("--only", choices=sorted(MODELS), action="append")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in a.only or sorted(MODELS):
        tf.keras.utils.set_random_seed(0)
        model = MODELS[name]()
        spread(model)
        for int8 in (False, True):
            data = convert(model, int8)
            path = os.path.join(a.out, f"{name}_{'int8' if int8 else 'float32'}.tflite")
            with open(path, "wb") as f:
                f.write(data)
            print(f"{path}: {len(data):,} bytes, {model.count_params():,} parameters")


if __name__ == "__main__":
    main()
