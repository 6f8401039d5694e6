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

# The PGlite and PostgreSQL passes run side by side: their tests mostly wait (on HTTP, on workers,
# on the database), so together they take little more than the longer one. The PostgreSQL pass's
# output is printed whole after it ends.
pg_pid=""
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  pg_log="$(mktemp)"
  echo "== the same tests on PostgreSQL ($TEST_DATABASE_URL), beside the PGlite pass"
  npx vitest run > "$pg_log" 2>&1 &
  pg_pid=$!
else
  echo "== PostgreSQL pass skipped: set TEST_DATABASE_URL=postgresql://user@host:5432/db to run it"
fi

echo "== unit + integration tests on PGlite"
pglite_status=0
env -u TEST_DATABASE_URL npx vitest run || pglite_status=$?

pg_status=0
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || pg_status=$?
  echo "== PostgreSQL pass (exit $pg_status)"
  cat "$pg_log"
  rm -f "$pg_log"
fi
if [ "$pglite_status" -ne 0 ] || [ "$pg_status" -ne 0 ]; then
  echo "== unit + integration tests failed (PGlite exit $pglite_status, PostgreSQL exit $pg_status)"
  exit 1
fi

echo "== build"; npm run build
# CI mode: a failed spec is tried once more and reported as flaky (playwright.config.ts), and test.only fails the run.
echo "== end-to-end (Playwright, Chromium)"; CI="${CI:-1}" npx playwright test
