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
# On every core (`-n auto`); tests sharing a module-wide server stay on one worker (see
# tests/conftest.py). Arguments come last, so `bash scripts/run-tests.sh -n 0` runs serially.
echo "== pytest";       .venv/bin/python -m pytest -m "not bench" -n auto --dist loadgroup "$@"
