#!/usr/bin/env bash
# `make run`: install, migrate, load the demo content and accounts, start the platform.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-lms.settings.dev}
PY=.venv/bin/python
export PORT=${PORT:-8000}
# Links in e-mails and attestations, xAPI ids and Wagtail's admin links point at this port. Exported here because
# honcho gives each other process a PORT of its own (web's + 100, + 200…).
export PLATFORM_BASE_URL=${PLATFORM_BASE_URL:-http://127.0.0.1:${PORT}}
echo "==> migrating the database (${DATABASE_URL:-SQLite in ${VAR_DIR:-var}/db.sqlite3})"
$PY manage.py migrate --no-input -v0
$PY manage.py createcachetable
echo "==> loading the demo content and accounts"
$PY manage.py load_demo
echo "==> starting on http://127.0.0.1:${PORT}/ (links point to ${PLATFORM_BASE_URL}; Ctrl-C stops everything)"
exec .venv/bin/honcho -f Procfile start -p "${PORT}"
