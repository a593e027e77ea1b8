#!/usr/bin/env bash
# A throw-away PostgreSQL on loopback for the workspace's HTTP tests (CI and developers).
#   eval "$(bash tools/pg-test.sh start)"   # prints export DATABASE_URL=... and PG_TEST_DIR=...
#   bash tools/pg-test.sh stop "$PG_TEST_DIR"
# The cluster lives in a temporary folder (initdb), trusts loopback connections only, and is run as
# the postgres user when this script runs as root (as CI does).
set -euo pipefail
cmd="${1:-start}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL tidak terpasang (bash tools/install.sh --test)" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "$cmd" in
  start)
    dir=$(mktemp -d /tmp/renstra-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null"
    as_pg "'$bin/pg_ctl' -D '$dir/data' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off\" -l '$dir/log' -w start >/dev/null"
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/renstra PG_TEST_DIR=$dir"
    ;;
  stop)
    dir="${2:?folder}"
    as_pg "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    rm -rf "$dir"
    ;;
esac
