#!/usr/bin/env bash
# History (`pqbench history`): change points cross-checked with Apache Otava.
#  1. The shared synthetic series and Otava's change-point indexes are
#     recomputed with the installed Otava (scripts/.cache/otava, from
#     scripts/setup.d/50-history.sh) and must equal the committed
#     scripts/history/otava-reference.json;
#  2. pqbench's E-divisive means must find the same change points as
#     Otava on the fresh file (same count, each index within one run:
#     harness/tests/integration/history_otava.rs with PQBENCH_OTAVA_REF);
#  3. negative control: a copy of the reference with one Otava index moved
#     by 3 runs must make that test fail.
#  4. the PostgreSQL store on a real server: a private cluster started here
#     (scripts/history/pg-server.sh), then harness/tests/integration/history_postgres.rs
#     with PQBENCH_PG_URL (the same answers as SQLite for the same files,
#     idempotent adds, corrupt file refused, concurrent writers, newer schema
#     refused).
# Without Otava (it could not be installed), steps 1-3 are skipped with a
# note; the committed reference is still checked by `cargo test`. Without a
# PostgreSQL server (it could not be installed or started), step 4 is skipped
# with the reason.
set -euo pipefail
root="${PQBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"
tmp="$(mktemp -d)"
# Its own directory under /tmp: the server runs as the postgres user, who
# cannot enter $tmp (mode 0700, root's).
pg="$(mktemp -d /tmp/pqbench-pg.XXXXXX)"
trap 'scripts/history/pg-server.sh stop "$pg/cluster"; rm -rf "$tmp" "$pg"' EXIT
chmod 755 "$pg"

echo "--- PostgreSQL store on a real server"
set +e
env_line="$(scripts/history/pg-server.sh start "$pg/cluster")"
rc=$?
set -e
case "$rc" in
0)
    eval "$env_line"
    cargo test -q --locked -p pqbench --test integration history_postgres::
    unset PQBENCH_PG_URL
    echo "50-history: the PostgreSQL store passes on a real server"
    ;;
3) echo "50-history: SKIPPED the PostgreSQL store tests: PostgreSQL is not installed (see above)" ;;
*) echo "50-history: the PostgreSQL server is installed but did not start" >&2; exit 1 ;;
esac

echo "--- change points against Apache Otava"
otava="$root/scripts/.cache/otava"
if ! PYTHONPATH="$otava" python3 -c 'import otava.change_point_divisive.detector' 2>/dev/null; then
    echo "50-history: SKIPPED the Otava cross-check: Apache Otava is not installed in scripts/.cache/otava (scripts/setup.d/50-history.sh could not install it)"
    exit 0
fi
PYTHONPATH="$otava" python3 scripts/history/otava_reference.py "$tmp/ref.json" >/dev/null
python3 - scripts/history/otava-reference.json "$tmp/ref.json" <<'PY'
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:3])
for a, b in zip(old["series"], new["series"], strict=True):
    if a["name"] != b["name"] or a["values"] != b["values"]:
        sys.exit(f"50-history: series {a['name']} differs from the committed reference")
    if a["otava"] != b["otava"]:
        sys.exit(f"50-history: Otava {new['otava_version']} now finds {b['otava']} in {a['name']}, committed {a['otava']}")
print(f"50-history: Otava {new['otava_version']} reproduces the committed reference ({len(new['series'])} series)")
PY
PQBENCH_OTAVA_REF="$tmp/ref.json" cargo test -q -p pqbench --test integration history_otava::
python3 - "$tmp/ref.json" "$tmp/moved.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = next(s for s in r["series"] if s["otava"])
s["otava"][0] += 3
json.dump(r, open(sys.argv[2], "w"))
PY
if PQBENCH_OTAVA_REF="$tmp/moved.json" cargo test -q -p pqbench --test integration \
    history_otava::change_points_agree_with_otava >/dev/null 2>&1; then
    echo "50-history: the Otava comparison accepted a moved change point" >&2
    exit 1
fi
echo "50-history: ok (pqbench and Otava agree; a moved index is rejected)"
