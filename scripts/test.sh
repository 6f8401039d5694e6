#!/usr/bin/env bash
# Sets up everything and runs every test: lint, types, unit + integration (PGlite, and PostgreSQL when
# TEST_DATABASE_URL is set), then the Playwright end-to-end journey in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Chromium from Debian's packages"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium
fi

echo "== npm install (from the lock file; npm ci refuses it here: the registry has no other-platform binaries)"
npm install --no-audit --no-fund

echo "== lint";      npm run lint
echo "== typecheck"; npm run typecheck

echo "== unit + integration tests on PGlite"
env -u TEST_DATABASE_URL npx vitest run

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== the same tests on PostgreSQL ($TEST_DATABASE_URL)"
  npx vitest run
else
  echo "== PostgreSQL pass skipped: set TEST_DATABASE_URL=postgresql://user@host:5432/db to run it"
fi

echo "== build"; npm run build
echo "== end-to-end (Playwright, Chromium)"; npx playwright test
