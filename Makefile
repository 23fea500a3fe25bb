# Self-documenting Makefile: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

run: ## Install everything, load the demo and start the platform on http://127.0.0.1:8000
	@scripts/run.sh

test: ## Install everything and run the whole test suite (checks, ruff check and format, SQLite, then PostgreSQL)
	@scripts/test.sh

test-fast: ## Only the SQLite leg (no PostgreSQL, browser or LRS tests)
	@scripts/test.sh --sqlite-only

load-test: install ## Load test: locust learners against gunicorn (1, 2, 4 workers) on PostgreSQL, outbox to Ralph (~5 min)
	@scripts/load-test.sh

lrs: ## Start a local Ralph LRS on 127.0.0.1:8100 (own virtualenv and credentials in .lrs/)
	@scripts/lrs.sh serve

worker: install ## Deliver the xAPI outbox to the local LRS until Ctrl-C (make run starts it too)
	@scripts/lrs.sh exec $(PY) manage.py send_statements

install: ## Create .venv and install the dependencies
	@scripts/bootstrap.sh

demo: install ## Migrate and (re)load the demo content and accounts
	@$(PY) manage.py migrate --no-input -v0 && $(PY) manage.py load_demo

lint: install ## ruff check and format check
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

messages: install ## Extract and compile translations (needs gettext)
	@$(PY) manage.py makemessages -l fr -l en --ignore='.venv/*' --ignore='var/*' && $(PY) manage.py compilemessages --ignore='.venv/*'

bench-pages: install ## Time the learner's pages against a bare page (gunicorn, PostgreSQL: DATABASE_URL or lms_bench)
	@DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms_bench} $(PY) bench/bench_pages.py

clean: ## Remove the local database, media and caches (keeps .venv)
	rm -rf var staticfiles .pytest_cache .ruff_cache .hypothesis

.PHONY: help run test test-fast install demo lint messages clean lrs worker load-test bench-pages
