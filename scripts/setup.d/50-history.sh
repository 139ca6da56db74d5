#!/usr/bin/env bash
# History area: Apache Otava, the reference of the change-point detection
# (test step 50-history.sh), pinned with its hash in
# scripts/requirements-otava.txt and installed without its dependencies
# (which serve Otava's CLI and data sources, not its change-point code) into
# scripts/.cache/otava. About 2 s when PyPI is reachable. And Debian's
# PostgreSQL server (package postgresql), against which the test step runs
# the store's PostgreSQL tests on a private throw-away cluster
# (scripts/history/pg-server.sh); a no-op where it is installed. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql ||
        echo "setup: note: PostgreSQL could not be installed: the PostgreSQL store tests of 50-history.sh will be skipped" >&2
fi
dest="$here/../.cache/otava"
if [ -f "$dest/otava/change_point_divisive/detector.py" ]; then
    exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
    --target "$dest" -r "$here/../requirements-otava.txt" ||
    echo "setup: note: Apache Otava could not be installed: the Otava cross-check of 50-history.sh will be skipped" >&2
