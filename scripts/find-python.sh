#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, found by *running* candidates
# (a pyenv shim on PATH may exist and still fail). Exits 1 with advice when none works.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for c in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(pyenv versions --bare 2>/dev/null | sort -rV); do
    p="$root/versions/$v/bin/python3"
    if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
  done
fi
for p in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
  if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<'MSG'
No Python 3.12 or newer was found.
Install one, then run the command again:
  Debian 13 / Ubuntu 24.04+:  sudo apt-get install python3 python3-venv
  older Debian/Ubuntu:        install 3.12 with pyenv (https://github.com/pyenv/pyenv) or uv
Or point to one explicitly:   PYTHON=/path/to/python3.12 make run
MSG
exit 1
