#!/usr/bin/env bash
# Set up (first time) and launch deckfollow on its own demo database, filled when empty.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DECKFOLLOW_DB="${DECKFOLLOW_DB:-$PWD/.demo/deckfollow-demo.db}"
mkdir -p "$(dirname "$DECKFOLLOW_DB")"
# Fills the demo database only while it holds no quotes.
.venv/bin/deckfollow demo --if-empty --customers 600 --quotes 1500 --seed 7
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && "$(uname)" == "Linux" ]]; then
    echo "run-app: no screen here; running on a virtual display (Xvfb)"
    exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/deckfollow gui "$@"
fi
exec .venv/bin/deckfollow gui "$@"
