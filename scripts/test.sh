#!/usr/bin/env bash
# Set up docflow with its test tools, start a throwaway PostgreSQL server, run the tests.
# Usage: scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

started_pg=0
if [ -z "${DOCFLOW_TEST_PG_URL:-}" ]; then
  if url=$(bash scripts/pg_test_server.sh); then
    export DOCFLOW_TEST_PG_URL="$url"
    started_pg=1
    echo "test: PostgreSQL for the store tests at $url"
  else
    echo "test: PostgreSQL could not start; PostgreSQL tests will be skipped" >&2
  fi
fi
cleanup() { if [ "$started_pg" = 1 ]; then bash scripts/pg_test_server.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

.venv/bin/ruff check engine tests bench scripts
.venv/bin/mypy --strict engine/docflow
.venv/bin/python -m pytest -n 2 -q "$@"
