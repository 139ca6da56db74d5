#!/usr/bin/env bash
# Report area: headless Chromium (scripts/test.d/40-report.sh opens the
# generated report in it) and TeX Live's LaTeX base + recommended packages
# (booktabs, longtable, geometry: the report's report.tex is compiled with
# pdflatex). Measured on the 2-core machine, --no-install-recommends:
# chromium 25 s, texlive-latex-base + texlive-latex-recommended 61 s and
# about 0.5 GB. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
apt_install chromium texlive-latex-base texlive-latex-recommended
