#!/usr/bin/env bash
# Set up (first time) and run every check: ruff, mypy, the layering contracts, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --tests
export QT_QPA_PLATFORM=offscreen
echo "== ruff";         .venv/bin/ruff check deckfollow tests
echo "== ruff format";  .venv/bin/ruff format --check -q deckfollow tests
echo "== mypy";         .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports --no-cache | sed -n '/Contracts:/,$p'
# The test files are shared out over one worker per core (at most four: each worker may
# hold a PostgreSQL server and a window; a file's tests stay on one worker, so its module
# fixtures are built once). DECKFOLLOW_TEST_WORKERS=0 runs them in this one process.
workers=${DECKFOLLOW_TEST_WORKERS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}
echo "== pytest";       .venv/bin/python -m pytest -m "not bench" -n "$workers" --dist loadfile "$@"
