#!/usr/bin/env bash
# A local Ralph LRS (ralph-malph 5.1.0) for development, tests and demos, in its own virtualenv.
#
#   scripts/lrs.sh install        create .lrs/venv with Ralph (once; about 57 MB)
#   scripts/lrs.sh credentials    generate a user and password in $LRS_DIR (once) and print them
#   scripts/lrs.sh serve          install, generate credentials, serve Ralph on 127.0.0.1:$LRS_PORT (foreground)
#   scripts/lrs.sh env            print LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD as shell assignments
#   scripts/lrs.sh exec CMD...    wait (up to $LRS_WAIT s) for the credentials, export them, run CMD
#                                 (used by the Procfile for the web server and the worker)
# With LRS_ENDPOINT already set (an LRS of one's own), `serve` starts nothing and `exec` changes nothing.
#
# Environment: LRS_DIR (state: credentials, auth.json, statements; default .lrs), LRS_PORT (default 8100),
# LRS_WAIT (default 300). The virtualenv is always .lrs/venv, shared by every LRS_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.lrs/venv"
LRS_DIR=${LRS_DIR:-$ROOT/.lrs}
LRS_PORT=${LRS_PORT:-8100}
LRS_WAIT=${LRS_WAIT:-300}
CREDS="$LRS_DIR/credentials.env"
RALPH_VERSION=5.1.0

install() {
  local stamp="$VENV/.installed-ralph-$RALPH_VERSION"
  [ -f "$stamp" ] && return 0
  mkdir -p "$ROOT/.lrs"
  exec 9>"$ROOT/.lrs/.install.lock"
  flock 9  # two test processes may install at once
  [ -f "$stamp" ] && return 0
  local py
  py=$("$ROOT/scripts/find-python.sh")
  echo "==> installing Ralph $RALPH_VERSION into .lrs/venv (about a minute the first time)" >&2
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
  # `requests` is an undeclared dependency of Ralph 5.1.0.
  if ! "$VENV/bin/python" -m pip install -q "ralph-malph[lrs,cli]==$RALPH_VERSION" requests >"$ROOT/.lrs/pip.log" 2>&1; then
    tail -30 "$ROOT/.lrs/pip.log" >&2
    echo "Ralph installation failed (full log: .lrs/pip.log)" >&2
    exit 1
  fi
  touch "$stamp"
}

credentials() {
  mkdir -p "$LRS_DIR/app" "$LRS_DIR/data"
  if [ ! -f "$CREDS" ] || [ ! -f "$LRS_DIR/app/auth.json" ]; then
    local user pass
    user="platform-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    pass=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
    RALPH_APP_DIR="$LRS_DIR/app" RALPH_AUTH_FILE="$LRS_DIR/app/auth.json" RALPH_RUNSERVER_BACKEND=fs \
      "$VENV/bin/ralph" auth -u "$user" -p "$pass" -s statements/write -s statements/read \
      -A "$user" https://lrs.example.org -w >"$LRS_DIR/auth.log" 2>&1 || { cat "$LRS_DIR/auth.log" >&2; exit 1; }
    umask 077
    printf 'LRS_USERNAME=%s\nLRS_PASSWORD=%s\nLRS_PORT=%s\n' "$user" "$pass" "$LRS_PORT" >"$CREDS.tmp"
    mv "$CREDS.tmp" "$CREDS"
  fi
}

print_env() {
  # shellcheck disable=SC1090
  source "$CREDS"
  printf 'LRS_ENDPOINT=http://127.0.0.1:%s/xAPI\nLRS_USERNAME=%s\nLRS_PASSWORD=%s\n' "$LRS_PORT" "$LRS_USERNAME" "$LRS_PASSWORD"
}

case "${1:-serve}" in
  install) install ;;
  credentials) install; credentials; print_env ;;
  env) print_env ;;
  serve)
    if [ -n "${LRS_ENDPOINT:-}" ]; then
      # An LRS of one's own is configured: no local Ralph (stay up, or honcho would stop everything).
      echo "==> LRS_ENDPOINT is set ($LRS_ENDPOINT): not starting a local Ralph" >&2
      exec sleep infinity
    fi
    install
    credentials
    source "$CREDS"
    export RALPH_APP_DIR="$LRS_DIR/app" RALPH_AUTH_FILE="$LRS_DIR/app/auth.json" RALPH_RUNSERVER_BACKEND=fs \
      RALPH_RUNSERVER_AUTH_BACKENDS=basic RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$LRS_DIR/data"
    echo "==> Ralph LRS on http://127.0.0.1:$LRS_PORT/xAPI (user $LRS_USERNAME; credentials in $CREDS)" >&2
    # Plain uvicorn on loopback (not `ralph runserver`: it binds 0.0.0.0 and reloads on file changes).
    # xapi/lrs_app.py applies the append-mode fix for the filesystem backend before importing Ralph's app.
    cd "$LRS_DIR"
    exec "$VENV/bin/uvicorn" --app-dir "$ROOT" xapi.lrs_app:app --host 127.0.0.1 --port "$LRS_PORT" \
      --no-access-log --log-level warning
    ;;
  exec)
    shift
    [ -n "${LRS_ENDPOINT:-}" ] && exec "$@"  # an LRS of one's own: use it as configured
    for _ in $(seq "$LRS_WAIT"); do [ -f "$CREDS" ] && break; sleep 1; done
    if [ -f "$CREDS" ]; then
      set -a
      eval "$(print_env)"
      set +a
    else
      echo "no LRS credentials in $CREDS after ${LRS_WAIT}s: starting without an LRS (statements accumulate)" >&2
    fi
    exec "$@"
    ;;
  *) sed -n "2,15p" "$0" >&2; exit 2 ;;
esac
