#!/usr/bin/env bash
# Set up everything and run the whole test suite: lint, unit + integration tests on SQLite and on
# PostgreSQL 15 (with real Redis, RQ workers and an S3 API server), then the browser tests in
# Chromium (AppHarness + Playwright) against SQLite and against PostgreSQL + Redis state.
# Knobs: E2E_DATABASES="sqlite postgres" (default both), PYTEST_ARGS, SKIP_E2E=1.
set -Eeuo pipefail
T0=$(date +%s)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
log() { printf '[test +%4ss] %s\n' "$(($(date +%s) - T0))" "$*"; }

bash scripts/setup.sh --test
source scripts/env.sh
RUN=$(mktemp -d "${CI_TMP_ROOT:-/tmp}/techledger-test.XXXXXX")
chmod 755 "$RUN"; mkdir -p "$RUN/tmp"
source scripts/services.sh "$RUN/services"
cleanup() {
  local rc=$?
  set +e
  services_stop
  for d in /tmp/bun-node-*; do [ "$(readlink "$d/bun" 2>/dev/null)" = "$CI_WORK/bun/node_modules/bun/bin/bun.exe" ] && rm -rf "$d"; done
  rm -rf "$RUN"
  log "total wall time: $(($(date +%s) - T0))s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log "starting PostgreSQL, Redis and the S3 API server"
services_start
export TMPDIR="$RUN/tmp" SCREENSHOT_DIR="${SCREENSHOT_DIR:-$REPO/artifacts}"
unset DATABASE_URL REDIS_URL STORAGE_URL

declare -A RESULTS=()
FAILED=0
log "ruff"
if ruff check . && ruff format --check .; then RESULTS[ruff]=0; else RESULTS[ruff]=1; FAILED=1; fi
suite() {  # suite NAME pytest-args...
  local name=$1; shift
  log "pytest: $name"
  set +e
  timeout -k 30 3000 python -m pytest -o console_output_style=classic --timeout=900 -p no:cacheprovider \
    --basetemp="$RUN/pytest-$name" "$@" ${PYTEST_ARGS:-}
  local rc=$?
  set -e
  RESULTS[$name]=$rc
  [ $rc = 0 ] || FAILED=1
}

suite sqlite tests/unit tests/integration
TEST_DATABASE_URL="$DATABASE_URL_PG" suite postgres tests/unit tests/integration
if [ "${SKIP_E2E:-0}" != 1 ]; then
  for db in ${E2E_DATABASES:-sqlite postgres}; do
    if [ "$db" = postgres ]; then
      E2E_DATABASE_URL="$DATABASE_URL_PG_E2E" E2E_REDIS_URL="$TEST_REDIS_URL" suite e2e-postgres tests/e2e
    else
      suite e2e-sqlite tests/e2e
    fi
  done
fi

for name in "${!RESULTS[@]}"; do log "suite $name: exit ${RESULTS[$name]}"; done
[ $FAILED = 0 ] && log "all suites passed" || log "SOME SUITES FAILED"
exit $FAILED
