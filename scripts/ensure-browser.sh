#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser) and inject axe-core from npm; the single sign-on
# tests start npm's oidc-provider (tests/oidc/provider.mjs) as their real OpenID Connect provider.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Chromium (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the browser tests: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/oidc-provider/package.json ]; then
  echo "==> installing axe-core and oidc-provider (npm)"
  npm ci --no-audit --no-fund --silent
fi
