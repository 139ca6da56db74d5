#!/usr/bin/env python3
"""Real-binary throughput corpus: Debian 12 (bookworm) shared libraries for
several ISAs and both byte orders, pinned in `realbin.lock.json` (package,
architecture, version, pool path, size, SHA-256), fetched, checked and
extracted into a cache outside git.

This is a benchmark input (the `detect/*/pqbench/realbin` workloads, the
`throughput` example's `--corpus`, `peers.py --corpus`), not a test input:
CI's test command never runs it.

Usage:
  scripts/corpus/realbin.py fetch [--dir DIR] [--mirror URL]
      Download every pinned .deb (skipping those already cached and
      verified), check size and SHA-256, extract the ELF shared objects into
      DIR/<arch>/<package>/<path in the package>. Exit 1 with a message on a
      network failure or a checksum mismatch (nothing unverified is kept).
  scripts/corpus/realbin.py path      print the corpus directory
  scripts/corpus/realbin.py summary   what the lock pins (per ISA: packages, MB)
  scripts/corpus/realbin.py lock [--arch A ...] [--package P ...]
      Maintainers: re-pin to the candidate versions apt sees now (a private
      apt state in DIR/../realbin-apt with the foreign architectures; the system's
      apt configuration is not changed).

DIR: $PQBENCH_REALBIN_DIR, else ${XDG_CACHE_HOME:-~/.cache}/pqbench/realbin.
The mirror: --mirror, else $PQBENCH_DEBIAN_MIRROR, else the first Debian
(resp. Debian security) URI of the system's apt sources.
"""
import argparse
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK = HERE / "realbin.lock.json"
ARCHES = ["amd64", "arm64", "armhf", "i386", "ppc64el", "s390x"]
PACKAGES = [
    # crypto
    "libssl3", "libgcrypt20", "libnettle8", "libhogweed6", "libsodium23",
    "libmbedcrypto7", "libwolfssl35", "libgnutls30",
    # non-crypto
    "libstdc++6", "zlib1g", "libsqlite3-0", "libxml2", "libcurl4", "libzstd1",
]
CRYPTO = set(PACKAGES[:8])
# Architecture -> (ISA label, byte order); the label is what reports group by.
ISA = {
    "amd64": ("x86-64", "le"), "i386": ("x86", "le"), "arm64": ("aarch64", "le"),
    "armhf": ("arm32 (thumb-2)", "le"), "ppc64el": ("ppc64le", "le"),
    "s390x": ("s390x", "be"), "mips64el": ("mips64el", "le"),
}


def corpus_dir(arg=None):
    """The cache directory (not created)."""
    if arg:
        return Path(arg)
    if os.environ.get("PQBENCH_REALBIN_DIR"):
        return Path(os.environ["PQBENCH_REALBIN_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "pqbench" / "realbin"


def die(msg):
    print(f"realbin: {msg}", file=sys.stderr)
    sys.exit(1)


def load_lock(path=None):
    path = Path(path or LOCK)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")


def apt_mirrors():
    """{'debian': uri, 'debian-security': uri} from the system's apt sources."""
    found = {}
    texts = []
    for p in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        if p.suffix in (".list", ".sources") or p.name == "sources.list":
            try:
                texts.append(p.read_text())
            except OSError:
                pass
    for t in texts:
        uris = re.findall(r"^\s*URIs:\s*(\S+)", t, re.M)
        uris += re.findall(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", t, re.M)
        for u in uris:
            u = u.rstrip("/")
            key = "debian-security" if u.endswith("debian-security") else "debian" if u.endswith("/debian") else None
            if key and key not in found:
                found[key] = u
    return found


def mirror_for(entry, mirror):
    archive = "debian-security" if entry["filename"].startswith("pool/updates/") else "debian"
    if mirror:
        base = mirror.rstrip("/")
        return base if archive == "debian" else re.sub(r"/debian$", "/debian-security", base)
    found = apt_mirrors()
    if archive not in found:
        die(f"no {archive} mirror in the apt sources: give --mirror URL (a Debian mirror's /debian)")
    return found[archive]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(entry, dest, mirror):
    """Downloads one pinned .deb to dest, verified; exits on any failure."""
    url = f"{mirror_for(entry, mirror)}/{entry['filename']}"
    tmp = dest.with_suffix(".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as r, open(tmp, "wb") as f:
            shutil.copyfileobj(r, f)
    except (urllib.error.URLError, OSError) as e:
        tmp.unlink(missing_ok=True)
        hint = (" (HTTP 404: the pinned version left the mirror; re-pin with `realbin.py lock`)"
                if isinstance(e, urllib.error.HTTPError) and e.code == 404 else " (offline?)")
        die(f"cannot download {url}: {e}{hint}")
    got, size = sha256(tmp), tmp.stat().st_size
    if size != entry["size"] or got != entry["sha256"]:
        tmp.unlink()
        die(f"checksum mismatch for {entry['package']}:{entry['arch']} {entry['version']} from {url}: "
            f"sha256 {got}, size {size}; pinned "
            f"{entry['sha256']}, {entry['size']} bytes. Nothing kept.")
    tmp.rename(dest)


def ar_members(data):
    """(name, bytes) of a Unix ar archive (a .deb)."""
    if data[:8] != b"!<arch>\n":
        raise ValueError("not an ar archive")
    off = 8
    while off + 60 <= len(data):
        hdr = data[off:off + 60]
        name = hdr[:16].decode().strip().rstrip("/")
        size = int(hdr[48:58].decode().strip())
        yield name, data[off + 60:off + 60 + size]
        off += 60 + size + (size & 1)


def extract(deb, out):
    """Extracts the ELF shared objects (regular files) of `deb` under `out`;
    returns their paths relative to `out`."""
    data_tar = None
    for name, body in ar_members(deb.read_bytes()):
        if name.startswith("data.tar"):
            data_tar = (name, body)
    if data_tar is None:
        raise ValueError(f"{deb}: no data.tar member")
    name, body = data_tar
    if name.endswith(".xz"):
        body = lzma.decompress(body)
    elif name.endswith(".zst"):
        # Python has no zstd: let dpkg-deb unpack instead.
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                           stdout=open(os.path.join(d, "data.tar"), "wb"))
            body = Path(d, "data.tar").read_bytes()
    kept = []
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
        for m in tar.getmembers():
            if not m.isfile() or ".so" not in Path(m.name).name:
                continue
            content = tar.extractfile(m).read()
            if content[:4] != b"\x7fELF":
                continue
            rel = Path(m.name.lstrip("./"))
            if ".." in rel.parts:
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            kept.append(str(rel))
    return kept


def fetch(args):
    lock = load_lock(args.lock)
    root = corpus_dir(args.dir)
    debs = root / ".debs"
    debs.mkdir(parents=True, exist_ok=True)
    # The manifest marks a complete corpus: gone until this fetch completes.
    (root / "MANIFEST.json").unlink(missing_ok=True)
    manifest = {"lock_sha256": hashlib.sha256(Path(args.lock or LOCK).read_bytes()).hexdigest(), "files": []}
    total = 0
    for e in lock["packages"]:
        deb = debs / Path(e["filename"]).name
        if not (deb.exists() and deb.stat().st_size == e["size"] and sha256(deb) == e["sha256"]):
            print(f"fetching {e['package']}:{e['arch']}={e['version']} ({e['size'] / 1e6:.1f} MB)", flush=True)
            download(e, deb, args.mirror)
        out = root / e["arch"] / e["package"]
        shutil.rmtree(out, ignore_errors=True)
        for rel in extract(deb, out):
            p = out / rel
            size = p.stat().st_size
            total += size
            manifest["files"].append({"path": str(p.relative_to(root)), "arch": e["arch"],
                                      "package": e["package"], "bytes": size, "sha256": sha256(p)})
        if not args.keep_debs:
            deb.unlink()
    (root / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(manifest['files'])} shared objects, {total / 1e6:.1f} MB, in {root}")


def summary(_args):
    lock = load_lock()
    root = corpus_dir(None)
    m = root / "MANIFEST.json"
    files = json.loads(m.read_text())["files"] if m.exists() else []
    rows = {}
    for e in lock["packages"]:
        r = rows.setdefault(e["arch"], [0, 0, 0, 0, 0])
        r[0] += 1
        r[1] += e["size"]
        r[2] += e.get("installed_kib", 0) * 1024
    for f in files:
        if f["arch"] in rows:
            rows[f["arch"]][3] += 1
            rows[f["arch"]][4] += f["bytes"]
    print(f"{lock['distribution']}: {len(lock['packages'])} packages "
          f"({', '.join(sorted({e['package'] for e in lock['packages']}))})")
    print("| arch | ISA | byte order | packages | .deb MB | installed MB | shared objects | extracted MB |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for a, (n, deb, inst, nf, fb) in rows.items():
        isa, bo = ISA.get(a, (a, "?"))
        print(f"| {a} | {isa} | {bo} | {n} | {deb / 1e6:.1f} | {inst / 1e6:.1f} | {nf} | {fb / 1e6:.1f} |")
    if files:
        print(f"extracted in {root}: {len(files)} shared objects, {sum(f['bytes'] for f in files) / 1e6:.1f} MB")
    else:
        print(f"not fetched yet ({root}): scripts/corpus/realbin.py fetch")


def lock_cmd(args):
    arches, pkgs = args.arch or ARCHES, args.package or PACKAGES
    # Beside the corpus, not in it: scanners walking the corpus never see it.
    state = corpus_dir(args.dir).parent / "realbin-apt"
    for d in ["lists/partial", "cache/archives/partial"]:
        (state / d).mkdir(parents=True, exist_ok=True)
    (state / "status").touch()
    conf = state / "apt.conf"
    conf.write_text(
        f'Dir::State::Lists "{state}/lists";\nDir::State::status "{state}/status";\n'
        f'Dir::Cache "{state}/cache";\nAPT::Architectures {{ {" ".join(f"{a!r};" for a in arches)} }};\n'
        'APT::Sandbox::User "root";\nAcquire::Languages "none";\n'.replace("'", '"'))
    env = dict(os.environ, APT_CONFIG=str(conf))
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    # One apt-cache call for every package (each call parses all the lists).
    names = [f"{p}:{a}" for a in arches for p in pkgs]
    out = subprocess.run(["apt-cache", "show", "--no-all-versions", *names], env=env,
                         capture_output=True, text=True)
    stanzas = {}
    for block in out.stdout.split("\n\n"):
        f = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", block, re.M))
        if "SHA256" in f:
            stanzas[(f["Package"], f["Architecture"])] = f
    entries = []
    for a in arches:
        for p in pkgs:
            f = stanzas.get((p, a))
            if f is None:
                die(f"apt knows no {p}:{a}: {out.stderr.strip()}")
            entries.append({"package": p, "arch": a, "version": f["Version"], "filename": f["Filename"],
                            "size": int(f["Size"]), "sha256": f["SHA256"],
                            "installed_kib": int(f.get("Installed-Size", 0)),
                            "crypto": p in CRYPTO})
    shutil.rmtree(state / "lists", ignore_errors=True)
    lock = {"distribution": "Debian 12 (bookworm)",
            "note": "Pinned by scripts/corpus/realbin.py lock; fetch with scripts/corpus/realbin.py fetch.",
            "packages": entries}
    LOCK.write_text(json.dumps(lock, indent=1) + "\n")
    print(f"pinned {len(entries)} packages in {LOCK}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch")
    f.add_argument("--dir")
    f.add_argument("--mirror", default=os.environ.get("PQBENCH_DEBIAN_MIRROR"))
    f.add_argument("--lock", help="another lock file (tests)")
    f.add_argument("--keep-debs", action="store_true", help="keep the verified .debs under DIR/.debs")
    f.set_defaults(fn=fetch)
    p = sub.add_parser("path")
    p.add_argument("--dir")
    p.set_defaults(fn=lambda a: print(corpus_dir(a.dir)))
    sub.add_parser("summary").set_defaults(fn=summary)
    k = sub.add_parser("lock")
    k.add_argument("--dir")
    k.add_argument("--arch", action="append")
    k.add_argument("--package", action="append")
    k.set_defaults(fn=lock_cmd)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
