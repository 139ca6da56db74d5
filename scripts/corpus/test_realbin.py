#!/usr/bin/env python3
"""Offline self-check of scripts/corpus/realbin.py (well under a second, no
network): a tiny .deb made here, served from a file:// mirror, pinned in a
temporary lock. A correct pin extracts the ELF shared object only (not the
non-ELF file, not the symlink) and writes the manifest; a wrong SHA-256
exits 1 with "checksum mismatch", keeps no .deb and writes no manifest; an
unreachable mirror exits 1 naming the URL. Prints 'N passed, N failed'.
"""
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "realbin.py"


def ar(members):
    out = io.BytesIO()
    out.write(b"!<arch>\n")
    for name, body in members:
        hdr = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(body):<10}`\n".encode()
        assert len(hdr) == 60
        out.write(hdr + body + (b"\n" if len(body) & 1 else b""))
    return out.getvalue()


def make_deb():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as t:
        for name, body in [("./usr/lib/x/libfake.so.1.0", b"\x7fELF" + bytes(200)),
                           ("./usr/share/doc/x/readme.so.txt", b"not an ELF file")]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            t.addfile(info, io.BytesIO(body))
        link = tarfile.TarInfo("./usr/lib/x/libfake.so.1")
        link.type, link.linkname = tarfile.SYMTYPE, "libfake.so.1.0"
        t.addfile(link)
    return ar([("debian-binary", b"2.0\n"), ("control.tar.xz", lzma.compress(b"")),
               ("data.tar.xz", lzma.compress(data.getvalue()))])


def fetch(root, lock, mirror):
    return subprocess.run([sys.executable, str(SCRIPT), "fetch", "--dir", str(root / "c"), "--lock", str(lock),
                           "--mirror", mirror], capture_output=True, text=True)


def main():
    passed = failed = 0

    def check(ok, what, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}\n{detail}")

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        deb = make_deb()
        rel = "pool/main/f/fake/libfake1_1.0_amd64.deb"
        (root / "debian" / rel).parent.mkdir(parents=True)
        (root / "debian" / rel).write_bytes(deb)
        entry = {"package": "libfake1", "arch": "amd64", "version": "1.0", "filename": rel,
                 "size": len(deb), "sha256": hashlib.sha256(deb).hexdigest()}
        lock = root / "lock.json"
        mirror = (root / "debian").as_uri()

        lock.write_text(json.dumps({"distribution": "test", "packages": [entry]}))
        r = fetch(root, lock, mirror)
        so = root / "c/amd64/libfake1/usr/lib/x/libfake.so.1.0"
        check(r.returncode == 0 and so.is_file(), "a correct pin extracts the shared object", r.stderr)
        check(not (root / "c/amd64/libfake1/usr/share").exists(), "non-ELF files are not extracted")
        check(not (root / "c/amd64/libfake1/usr/lib/x/libfake.so.1").exists(), "symlinks are not extracted")
        manifest = root / "c/MANIFEST.json"
        files = json.loads(manifest.read_text())["files"] if manifest.exists() else []
        check(len(files) == 1 and files[0]["sha256"] == hashlib.sha256(so.read_bytes()).hexdigest(),
              "the manifest lists the file with its sha256", str(files))

        lock.write_text(json.dumps({"distribution": "test", "packages": [dict(entry, sha256="0" * 64)]}))
        r = fetch(root, lock, mirror)
        check(r.returncode == 1 and "checksum mismatch" in r.stderr, "a wrong pin fails", r.stderr)
        check(not manifest.exists() and not list((root / "c/.debs").iterdir()),
              "a wrong pin keeps no .deb and no manifest")

        r = fetch(root, lock, (root / "nowhere").as_uri())
        check(r.returncode == 1 and "cannot download" in r.stderr, "a missing mirror fails clearly", r.stderr)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
