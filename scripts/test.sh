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
# database first, ~15 s, so more workers than cores only adds that); TEST_WORKERS=N overrides, `-n 0` in the arguments
# runs it in one process. Each worker has its own database file, MEDIA_ROOT and exports directory (lms/settings/test.py
# names them by process). `--dist load` hands out the tests in pytest-django's order (all database tests, then the
# transactional ones, which flush the database, the data migrations' rows included, then those without a database),
# and each worker runs its share in that order. `--dist loadfile`/`loadscope` would not: they hand out whole files,
# so a worker could run a file after another file's transactional test had emptied its database. A module's shared
# world (tests/built_once.py) is built again only on a worker that gets part of that module.
WORKERS=${TEST_WORKERS:-$(n=$(nproc) && echo $((n < 4 ? n : 4)))}
echo "==> tests on SQLite ($WORKERS workers)"
(unset DATABASE_URL; $PY -m pytest -m "$FAST_MARKERS" -n "$WORKERS" --dist load "$@")
[ "$SQLITE_ONLY" = 1 ] && exit 0

source scripts/postgres.sh
pg_use_or_start
scripts/ensure-browser.sh
echo "==> tests on PostgreSQL, with the browser, LRS and slow suites"
# Serially: this leg starts a Ralph LRS, Chromium, live servers and gunicorn processes, and its slow suites share
# them; one process keeps a single LRS and browser for the whole run.
$PY -m pytest "$@"
