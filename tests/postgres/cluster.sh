#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the `postgres` tests (ctest fixture postgres.start /
# postgres.stop, tests/http/CMakeLists.txt).
#
#   cluster.sh start DIR   initdb into DIR, start on a free loopback port, write DIR/url
#   cluster.sh stop DIR    stop it (immediate) and remove DIR
#   cluster.sh restart DIR a fast restart on the same port (the multi-process test)
#
# initdb refuses root: as root the cluster belongs to the `postgres` user (runuser). The cluster
# runs with fsync off: it lives for one test run, and no test crashes PostgreSQL's host
# (STOCKBELL_PG_FSYNC=on keeps it on: bench/postgres).
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?directory}
bin=${STOCKBELL_PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    trap 'stop' ERR  # a start that fails leaves nothing running
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --locale=C.UTF-8 -E UTF8 >"$dir/initdb.log"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=600 -c fsync=${STOCKBELL_PG_FSYNC:-off} -c full_page_writes=${STOCKBELL_PG_FSYNC:-off} -c synchronous_commit=on" \
      start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port" >"$dir/url"
    echo "PostgreSQL test cluster on port $port ($dir)"
    ;;
  stop) stop ;;
  restart) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null ;;
  *) echo "usage: cluster.sh start|stop|restart DIR" >&2; exit 2 ;;
esac
