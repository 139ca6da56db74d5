#!/usr/bin/env bash
# Starts a private, throw-away PostgreSQL server for the history store's
# tests (Debian's postgresql package, installed by scripts/setup.d/50-history.sh):
#
#   eval "$(scripts/history/pg-server.sh start DIR)"   # exports PQBENCH_PG_URL
#   scripts/history/pg-server.sh stop DIR
#
# The cluster lives in DIR (created; trust authentication, loopback only, a
# free port), owned by the `postgres` system user when run as root (the
# server refuses to run as root; DIR's parent must be traversable by that
# user, e.g. a directory made by `mktemp -d` directly under /tmp). Exits 3,
# with the reason, when PostgreSQL is not installed here; 1 when it is but
# the server fails to start (a real failure).
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?directory}"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
    echo "pg-server: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (package postgresql)" >&2
    exit 3
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
case "$cmd" in
start)
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg-server: running as root and there is no 'postgres' user to run the server" >&2
        exit 3
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$pgbin/initdb" -D "$dir/data" -U pqbench --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    echo "export PQBENCH_PG_URL=postgres://pqbench@127.0.0.1:$port/postgres"
    ;;
stop)
    [ -d "$dir/data" ] && as_owner "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
