#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes DATABASE_URL point at a real PostgreSQL.
# 1. DATABASE_URL already set to postgres:// → use it.
# 2. A server on 127.0.0.1:5432 accepting user postgres → use it.
# 3. Otherwise start a throwaway cluster (installing PostgreSQL with apt-get when root), stopped on exit.
pg_use_or_start() {
  if [[ "${DATABASE_URL:-}" == postgres* ]]; then
    echo "==> PostgreSQL from DATABASE_URL"
    return 0
  fi
  local name=${PG_TEST_DBNAME:-lms}
  if .venv/bin/python - <<'PY' 2>/dev/null
import psycopg, sys
try:
    psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3").close()
except Exception:
    sys.exit(1)
PY
  then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${name}"
    echo "==> PostgreSQL already listening on 127.0.0.1:5432"
    return 0
  fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bindir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing PostgreSQL (apt-get)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "No PostgreSQL found. Install it (sudo apt-get install postgresql) or set DATABASE_URL=postgres://…" >&2
      return 1
    fi
  fi
  PG_TMP=$(mktemp -d /tmp/lms-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  local run=""
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_TMP"; run="runuser -u postgres --"; fi
  $run "$bindir/initdb" -D "$PG_TMP/data" -A trust -U postgres >/dev/null
  local port=54329
  $run "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c fsync=off -c unix_socket_directories=$PG_TMP" >/dev/null
  PG_STOP="$run $bindir/pg_ctl -D $PG_TMP/data -m fast stop"
  trap 'echo "==> stopping the throwaway PostgreSQL"; $PG_STOP >/dev/null; rm -rf "$PG_TMP"' EXIT
  export DATABASE_URL="postgres://postgres@127.0.0.1:${port}/${name}"
  echo "==> started a throwaway PostgreSQL cluster on 127.0.0.1:$port"
}
