#!/usr/bin/env bash
# Report area checks beyond `cargo test` (which checks determinism, verdicts,
# merge rules and compiles report.tex when pdflatex exists):
#   1. real results files: host, tflite-cpu and qemu:mps2-an386 runs, merged
#      by `pqbench merge`, plus a second host run as a base/new pair;
#   2. `pqbench report` on the merged file and on the pair; report.tex of each
#      compiled with pdflatex;
#   3. each index.html opened in headless Chromium (from file://): fails on a
#      console error, on a figure without its SVG, axes (tick labels) or data
#      marks, on a missing standalone SVG, and on any URL in the page; the
#      detector itself is checked on a page with a deliberate console error;
#      screenshots kept in target/report-check/.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
art="$root/target/report-check"
rm -rf "$art"
mkdir -p "$art"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cargo build -q --locked -p pqbench
bin="$root/target/debug/pqbench"
filters=(-f ml-kem.keygen/rustcrypto/512 -f x25519.keygen -f sha256.digest/rustcrypto/1KiB)

echo "--- real results: host (x2), tflite-cpu, qemu:mps2-an386"
# -p 6 / -p 4: the report needs replications, not the default count.
"$bin" run "${filters[@]}" --bench-time 0.2s -p 6 -o "$tmp/host.json" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
"$bin" run "${filters[@]}" --bench-time 0.2s -p 6 -o "$tmp/host-new.json" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
"$bin" run --target tflite-cpu --bench-time 0.3s -p 4 -o "$tmp/tflite.json" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
# The firmware image the QEMU tests and 60-cortexm.sh use (fast `ci` profile,
# same families): built once per test command, shared through the cache.
PQBENCH_FIRMWARE_PROFILE=ci PQBENCH_CORTEXM_FAMILIES=hash,mlkem,mlkem-pqclean,mldsa-pqclean,test-faults PQBENCH_CORTEXM_CODE_SIZE=0 \
PQBENCH_CORTEXM_ITERATIONS=2 "$bin" run --target qemu:mps2-an386 --suite hash,pqc \
    -f sha256.digest/rustcrypto/1KiB -f ml-kem.keygen/rustcrypto/512 \
    --replications 2 --time-budget 0 -o "$tmp/qemu.json" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
"$bin" merge "$tmp/host.json" "$tmp/qemu.json" "$tmp/tflite.json" -o "$tmp/all.json"
python3 - "$tmp/all.json" results/schema-v1.json <<'PY'
import json, sys, jsonschema
d, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.validate(d, schema)
hosts = {d["environments"][r["environment"]]["hostname"] for r in d["results"]}
targets = sorted({r["target"] for r in d["results"]})
assert d["schema_version"] == "1.2" and len(d["environments"]) == 3, d["schema_version"]
print(f"merged: schema 1.2 valid, {len(d['results'])} results, targets {targets}, machines {sorted(hosts)}")
PY
# the merged file feeds compare too
"$bin" compare "$tmp/all.json" "$tmp/all.json" >/dev/null

echo "--- pqbench report: merged file, base/new pair"
"$bin" report "$tmp/all.json" --title "pqbench: host, QEMU mps2-an386, TFLite CPU" -o "$art/merged"
"$bin" report --baseline "$tmp/host.json" "$tmp/host-new.json" -o "$art/pair"
cmp -s <("$bin" report "$tmp/all.json" --title "pqbench: host, QEMU mps2-an386, TFLite CPU" -o "$tmp/again" >/dev/null; cat "$tmp/again/index.html") "$art/merged/index.html" \
    || { echo "report not deterministic" >&2; exit 1; }

if command -v pdflatex >/dev/null; then
    for d in merged pair; do
        (cd "$art/$d" && pdflatex -interaction=nonstopmode -halt-on-error report.tex >"$tmp/tex.log" 2>&1) \
            || { tail -40 "$tmp/tex.log"; echo "report.tex of $d does not compile" >&2; exit 1; }
        echo "$d/report.tex: compiled ($(stat -c %s "$art/$d/report.pdf") bytes PDF)"
    done
else
    echo "note: pdflatex not installed (scripts/setup.d/40-report.sh installs it): LaTeX not compiled"
fi

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "note: chromium not installed (scripts/setup.d/40-report.sh installs it): browser check skipped"
    exit 0
fi
echo "--- headless Chromium"
# open PAGE NAME: DOM after load into $tmp/NAME.dom, console into
# $tmp/NAME.console, screenshot into $art/NAME.png
open_page() {
    local page="$1" name="$2"
    local flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars
        --no-first-run --disable-extensions --disable-background-networking
        --user-data-dir="$tmp/profile-$name")
    timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 \
        --dump-dom "file://$page" >"$tmp/$name.dom" 2>"$tmp/$name.console"
    timeout 120 "$browser" "${flags[@]}" --window-size=1280,2400 \
        --screenshot="$art/$name.png" "file://$page" >/dev/null 2>&1
}
check() {
    python3 - "$@" <<'PY'
import os, re, sys
from html.parser import HTMLParser
dom_path, console_path, report_dir = sys.argv[1:4]
dom = open(dom_path, encoding="utf-8").read()
console = open(console_path, encoding="utf-8", errors="replace").read()
errors = [l for l in console.splitlines() if "CONSOLE" in l or "Uncaught" in l]
assert not errors, "console errors:\n" + "\n".join(errors)
assert dom.strip(), "browser returned no DOM"

class Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figs, self.cur, self.urls = [], None, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for v in a.values():
            if v and re.match(r"(https?:)?//", v):
                self.urls.append(v)
        if tag == "figure" and "pq-figure" in (a.get("class") or ""):
            self.cur = {"file": a.get("data-file"), "svg": 0, "text": 0, "marks": 0}
            self.figs.append(self.cur)
        elif self.cur is not None:
            if tag == "svg":
                self.cur["svg"] += 1
            elif tag == "text":
                self.cur["text"] += 1
            elif tag in ("polyline", "circle", "rect", "path", "line"):
                self.cur["marks"] += 1
    def handle_endtag(self, tag):
        if tag == "figure":
            self.cur = None

p = Figures()
p.feed(dom)
assert not p.urls, f"URLs in the page: {p.urls[:5]}"
assert p.figs, "no figures"
for f in p.figs:
    assert f["svg"] == 1, f"figure {f['file']}: no inline SVG"
    assert f["text"] >= 4, f"figure {f['file']}: no axes (tick labels)"
    assert f["marks"] >= 5, f"figure {f['file']}: no data marks"
    path = os.path.join(report_dir, f["file"])
    assert os.path.getsize(path) > 500, f"missing standalone {path}"
kinds = sorted({re.search(r'-(\w+)\.svg$', f["file"]).group(1) for f in p.figs})
print(f"{report_dir}: {len(p.figs)} figures with axes and data marks ({', '.join(kinds)}), no console error, no URL")
PY
}
# the detector must catch a console error
printf '<!DOCTYPE html><html><body><script>console.error("deliberate")</script></body></html>\n' >"$tmp/bad.html"
open_page "$tmp/bad.html" bad
if check "$tmp/bad.dom" "$tmp/bad.console" "$tmp" >"$tmp/bad.out" 2>&1 \
    || ! grep -q "console errors" "$tmp/bad.out"; then
    cat "$tmp/bad.out"
    echo "browser check did not catch a deliberate console error" >&2
    exit 1
fi
for d in merged pair; do
    open_page "$art/$d/index.html" "$d"
    check "$tmp/$d.dom" "$tmp/$d.console" "$art/$d"
    grep -q forest "$art/$d/index.html" || [ "$d" = merged ] || { echo "pair report has no forest plot" >&2; exit 1; }
done
echo "screenshots: $art/merged.png $art/pair.png"
