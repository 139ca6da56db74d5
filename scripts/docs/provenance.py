"""Where and when a measuring script ran, in the shape scripts/docs/generate.py
reads back: `{"command", "measured", "host": {"machine", "cpus",
"cpu_model", "git_commit"}}`, and an atomic JSON writer for the results.

Measuring scripts import it with

    sys.path.insert(0, str(ROOT / "scripts" / "docs"))
    import provenance
"""
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (None elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def git_commit():
    """The checked-out commit of the repository (None outside git)."""
    try:
        out = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def stamp(argv=None):
    """The provenance block of a results file: the command as typed (script
    path relative to the repository), the UTC date and the host."""
    argv = list(sys.argv if argv is None else argv)
    if argv and os.path.isabs(argv[0]):
        argv[0] = os.path.relpath(argv[0], ROOT)
    return {
        "command": " ".join(shlex.quote(a) for a in argv),
        "measured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                 "cpu_model": cpu_model(), "git_commit": git_commit()},
    }


def write_json(path, data):
    """Writes DATA to PATH atomically (temporary file in the same directory,
    then rename), so an interrupted script never leaves half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
