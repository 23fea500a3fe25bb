#!/usr/bin/env bash
# `make test`: the whole suite. Checks and ruff, the tests on SQLite, then again on a real PostgreSQL
# together with the slow suites (browser, LRS, property-based), which run once, there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
PY=.venv/bin/python
FAST_MARKERS="not postgres and not lrs and not browser and not slow"
SQLITE_ONLY=0
if [ "${1:-}" = "--sqlite-only" ]; then SQLITE_ONLY=1; shift; fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> manage.py check"
DJANGO_SETTINGS_MODULE=lms.settings.dev $PY manage.py check
echo "==> makemigrations --check"
DJANGO_SETTINGS_MODULE=lms.settings.dev $PY manage.py makemigrations --check --dry-run
echo "==> manage.py check --deploy (production settings)"
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=formation.example.org \
  DJANGO_SETTINGS_MODULE=lms.settings.production $PY manage.py check --deploy --fail-level WARNING

# The SQLite leg runs in parallel (pytest-xdist): one worker per core, at most 4 (each worker migrates its own test
# database, ~15 s, so more workers than cores only adds that); TEST_WORKERS overrides, `-n 0` in the arguments runs it
# serially. `--dist loadfile` keeps each test file on one worker, so the worlds built once per module
# (tests/built_once.py) are built once, not once per worker. Each worker has its own database file, MEDIA_ROOT and
# exports directory (lms/settings/test.py names them by process).
WORKERS=${TEST_WORKERS:-$(n=$(nproc) && echo $((n < 4 ? n : 4)))}
echo "==> tests on SQLite ($WORKERS workers)"
(unset DATABASE_URL; $PY -m pytest -m "$FAST_MARKERS" -n "$WORKERS" --dist loadfile "$@")
[ "$SQLITE_ONLY" = 1 ] && exit 0

source scripts/postgres.sh
pg_use_or_start
scripts/ensure-browser.sh
echo "==> tests on PostgreSQL, with the browser, LRS and slow suites"
# Serially: this leg starts a Ralph LRS, Chromium, live servers and gunicorn processes, and its slow suites share
# them; one process keeps a single LRS and browser for the whole run.
$PY -m pytest "$@"
