"""The executable of a bench target, as cargo reports it: shared by the
scripts that build bench binaries (harness_cost.py, paired_sensitivity.py,
scripts/sensitivity/sensitivity.py)."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench_executable(cargo_args, target, env=None):
    """Runs `cargo bench CARGO_ARGS --no-run --message-format=json` (from the
    repository root, ENV added to the environment) and returns the
    executable of the bench target named TARGET; exits when there is none."""
    p = subprocess.run(["cargo", "bench"] + list(cargo_args) + ["--no-run", "--message-format=json"],
                       cwd=ROOT, env=dict(os.environ, **(env or {})), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"cargo bench {' '.join(cargo_args)} --no-run failed:\n{p.stderr[-2000:]}")
    exe = None
    for line in p.stdout.splitlines():
        try:
            m = json.loads(line)
        except json.JSONDecodeError:
            continue
        if m.get("reason") == "compiler-artifact" and m.get("executable") \
                and m.get("target", {}).get("name") == target:
            exe = m["executable"]
    if not exe:
        sys.exit(f"cargo did not report the executable of bench target {target}")
    return exe
