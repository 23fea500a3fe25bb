#!/usr/bin/env bash
# `make load-test`: the load test (bench/load/run.py) on a real PostgreSQL, a few minutes. Arguments go to run.py,
# e.g. scripts/load-test.sh --configs 1x1,2x1 --users 5,10 --stage-seconds 10
# Database: LOAD_DATABASE_URL, else a database `lms_load` on the PostgreSQL scripts/postgres.sh finds or starts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${LOAD_DATABASE_URL:-}" ]; then
  # shellcheck source=scripts/postgres.sh
  source scripts/postgres.sh
  PG_TEST_DBNAME=lms_load pg_use_or_start
  export LOAD_DATABASE_URL="${DATABASE_URL%/*}/lms_load"
fi
.venv/bin/python bench/load/run.py "$@"
