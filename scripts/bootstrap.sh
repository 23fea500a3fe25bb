#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the project with its dev tools, at the versions and hashes of
# requirements.lock (pyproject.toml's dependencies and dev extra, resolved; README explains how to update it).
# Re-runs pip only when pyproject.toml or requirements.lock changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  py=$(scripts/find-python.sh)
  echo "==> creating .venv with $("$py" -V 2>&1) ($py)"
  rm -rf .venv
  "$py" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "==> installing dependencies into .venv (about a minute the first time)"
  if ! {
    .venv/bin/python -m pip install --upgrade pip &&
      .venv/bin/python -m pip install --require-hashes -r requirements.lock &&
      .venv/bin/python -m pip install --no-deps -e .
  } >.venv/pip.log 2>&1; then
    grep -v '^WARNING: Location' .venv/pip.log | tail -40 >&2
    echo "dependency installation failed (full log: .venv/pip.log)" >&2
    exit 1
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
