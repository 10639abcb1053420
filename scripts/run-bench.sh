#!/usr/bin/env bash
# Set up (first time) and run the benchmark suite on generated data; prints a report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --tests
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest tests/bench -m bench -s -p no:randomly "$@"
