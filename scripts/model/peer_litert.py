#!/usr/bin/env python3
"""Peer check of `litert-cpu`: pqbench's single-stream median against Python's
LiteRT (PyPI ai-edge-litert 2.3.0) on the same model and thread count, in
ROUNDS interleaved rounds (default 5), each runner a fresh process per round.

    scripts/model/peer_litert.py [--threads 1] [--queries 5000] [--rounds 5] \
        [--model accel/models/pk_detect_int8.tflite] [--pqbench target/release/pqbench]

Runs with the venv scripts/setup.d/71-litert.sh makes (it re-executes itself
under scripts/.cache/litert/py/bin/python when started with another Python).
Per round, in alternating order: `pqbench run --target litert-cpu:threads=T
--filter single-stream -p 1 --max-samples Q` (pooled median of its Q queries
after the first, which pqbench keeps apart), and two Python peers that time
one call each with time.perf_counter_ns after one untimed first inference,
inputs set once (as pqbench does):
  * `interpreter`: ai_edge_litert.interpreter.Interpreter(num_threads=T),
    default configuration (XNNPACK applied, as litert-cpu's default),
    timing `invoke()`;
  * `compiled`: ai_edge_litert.compiled_model.CompiledModel (the same
    CompiledModel API pqbench calls through C), CPU, CpuOptions(num_threads=T),
    timing `run_by_index(0, inputs, outputs)`.
Prints each round's medians and ratios, then per peer the median ratio
pqbench / peer over the rounds and its spread (min-max of the round ratios).
The Python numbers include the interpreter's per-call overhead (a Python ->
C++ call), which pqbench does not have.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_PY = os.path.join(ROOT, "scripts/.cache/litert/py/bin/python")


def child(kind, model, threads, queries):
    import numpy as np

    times = []
    if kind == "interpreter":
        from ai_edge_litert.interpreter import Interpreter

        it = Interpreter(model_path=model, num_threads=threads)
        it.allocate_tensors()
        inp = it.get_input_details()[0]
        rng = np.random.default_rng(0)
        it.set_tensor(inp["index"], rng.integers(-128, 128, size=inp["shape"], dtype=np.int8))
        call = it.invoke
    else:
        from ai_edge_litert.compiled_model import CompiledModel
        from ai_edge_litert.cpu_options import CpuOptions
        from ai_edge_litert.hardware_accelerator import HardwareAccelerator
        from ai_edge_litert.options import Options

        cm = CompiledModel.from_file(
            model,
            options=Options(hardware_accelerators=HardwareAccelerator.CPU,
                            cpu_options=CpuOptions(num_threads=threads)),
        )
        ins, outs = cm.create_input_buffers(0), cm.create_output_buffers(0)
        rng = np.random.default_rng(0)
        ins[0].write(rng.integers(-128, 128, size=512, dtype=np.int8))

        def call():
            cm.run_by_index(0, ins, outs)

    call()  # first inference, untimed (pqbench keeps it apart too)
    clock = time.perf_counter_ns
    for _ in range(queries):
        t = clock()
        call()
        times.append(clock() - t)
    print(json.dumps({"median_ns": statistics.median(times)}))


def run_child(kind, a):
    out = subprocess.run(
        [VENV_PY if os.path.exists(VENV_PY) else sys.executable, os.path.abspath(__file__), "--child", kind, "--model", a.model,
         "--threads", str(a.threads), "--queries", str(a.queries)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["median_ns"]


def run_pqbench(a, tmp):
    path = os.path.join(tmp, "pq.json")
    cmd = [a.pqbench, "run", "--target", f"litert-cpu:threads={a.threads}", "--filter", "single-stream",
           "-p", "1", "--bench-time", "30s", "--max-samples", str(a.queries), "-o", path]
    if a.model_given:
        cmd += ["--model", a.model]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    res = json.load(open(path))["results"]
    (r,) = [r for r in res if r["id"].endswith("/single-stream")]
    assert r["details"]["litert_version"] == "2.3.0", r["details"].get("litert_version")
    return r["summary"]["median"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pqbench", default=os.path.join(ROOT, "target/release/pqbench"))
    ap.add_argument("--child", choices=["interpreter", "compiled"])
    ap.add_argument("--json", help="also write every round's medians and the ratios here (for the docs)")
    a = ap.parse_args()
    a.model_given = a.model is not None
    a.model = os.path.abspath(a.model or os.path.join(ROOT, "accel/models/pk_detect_int8.tflite"))
    if a.child:
        return child(a.child, a.model, a.threads, a.queries)
    venv = os.path.dirname(os.path.dirname(VENV_PY))
    if os.path.exists(VENV_PY) and os.path.realpath(sys.prefix) != os.path.realpath(venv) \
            and os.environ.get("PEER_LITERT_REEXEC") != "1":
        os.environ["PEER_LITERT_REEXEC"] = "1"
        os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__)] + sys.argv[1:])
    peers = ["interpreter", "compiled"]
    ratios = {p: [] for p in peers}
    rounds = []
    print(f"model {os.path.relpath(a.model, ROOT)}, {a.threads} thread(s), {a.queries} queries per runner and round, "
          f"{a.rounds} interleaved rounds; pqbench {a.pqbench}")
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(a.rounds):
            order = ["pqbench"] + peers if rnd % 2 == 0 else peers[::-1] + ["pqbench"]
            med = {}
            for who in order:
                med[who] = run_pqbench(a, tmp) if who == "pqbench" else run_child(who, a)
            line = ", ".join(f"{w} {med[w] / 1e3:.2f} us" for w in ["pqbench"] + peers)
            for p in peers:
                ratios[p].append(med["pqbench"] / med[p])
            rounds.append({"order": order, "median_ns": med})
            print(f"round {rnd + 1} ({' -> '.join(order)}): {line}; pqbench/interpreter "
                  f"{ratios['interpreter'][-1]:.3f}, pqbench/compiled {ratios['compiled'][-1]:.3f}")
    for p in peers:
        r = ratios[p]
        print(f"pqbench litert-cpu / Python {p}: median ratio {statistics.median(r):.3f} "
              f"(rounds {min(r):.3f}-{max(r):.3f})")
    if a.json:
        sys.path.insert(0, os.path.join(ROOT, "scripts", "docs"))
        import provenance
        data = provenance.stamp()
        data.update({"model": os.path.relpath(a.model, ROOT), "threads": a.threads, "queries": a.queries,
                     "rounds": rounds})
        provenance.write_json(a.json, data)


if __name__ == "__main__":
    main()
