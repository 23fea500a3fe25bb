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

echo "==> tests on SQLite"
(unset DATABASE_URL; $PY -m pytest -m "$FAST_MARKERS" "$@")
[ "$SQLITE_ONLY" = 1 ] && exit 0

source scripts/postgres.sh
pg_use_or_start
scripts/ensure-browser.sh
echo "==> tests on PostgreSQL, with the browser, LRS and slow suites"
$PY -m pytest "$@"
