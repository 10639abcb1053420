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
echo "== pytest";       .venv/bin/python -m pytest -m "not bench" "$@"
