#!/usr/bin/env bash
# Run a built bundle's smoke steps on a clean copy, with no virtualenv or project on PATH:
#   bash packaging/smoke.sh dist/deckfollow
# --version, demo, due --json, cards --out (a real PDF), customers with non-Latin names found,
# sorted and shown, the GUI starting offscreen and quitting; then the bundle's size.
set -euo pipefail
SRC="$(cd "${1:?usage: smoke.sh BUNDLE_DIR}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -a "$SRC" "$WORK/app"
EXE="$WORK/app/deckfollow"
# On Windows the commands run through the console twin (deckfollow.exe has no console).
[ -f "$WORK/app/deckfollow-cli.exe" ] && EXE="$WORK/app/deckfollow-cli.exe"
cd "$WORK"
# A clean environment: no Python of ours, no project, a fresh home for data and settings.
export PATH="/usr/bin:/bin" HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
    XDG_DATA_HOME="$WORK/home/.local/share" XDG_STATE_HOME="$WORK/home/.local/state" \
    XDG_CACHE_HOME="$WORK/home/.cache" QT_QPA_PLATFORM=offscreen
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV DECKFOLLOW_DB
mkdir -p "$HOME"
DB="$WORK/smoke.db"

step() { echo "== $*"; }
step "--version";  "$EXE" --version | grep -q '^deckfollow '
step "demo";       "$EXE" --db "$DB" --now 2026-03-02T09:00:00Z demo --customers 20 --quotes 30 --seed 7 >/dev/null
step "due --json"; "$EXE" --db "$DB" --now 2026-03-02T09:00:00Z due --json > due.json
head -c 1 due.json | grep -q '[[{]'
step "cards --out"
"$EXE" --db "$DB" --now 2026-03-02T09:00:00Z cards --out cards.pdf --due-within 365
head -c 5 cards.pdf | grep -q '%PDF-'
step "non-Latin names: add, search, sort"
for name in "Zoë Łukasiewicz" "王小明" "Nguyễn Văn An"; do
    "$EXE" --db "$DB" customer add --name "$name" --new >/dev/null
done
"$EXE" --db "$DB" customer list --search "Łukasiewicz" | grep -q "Zoë Łukasiewicz"
"$EXE" --db "$DB" customer list --search "王" | grep -q "王小明"
"$EXE" --db "$DB" customer list --search "Nguyễn" | grep -q "Nguyễn Văn An"
"$EXE" --db "$DB" customer list --sort name > names.txt
grep -q "王小明" names.txt
[ "$(grep -n "Zoë Łukasiewicz" names.txt | cut -d: -f1)" -gt "$(grep -n "Nguyễn Văn An" names.txt | cut -d: -f1)" ]
step "gui (offscreen, quits)"
launched="$(date +%s.%N)"
timeout 120 "$EXE" --db "$DB" gui --startup-check | tee gui.out
painted="$(sed -n 's/^deckfollow: window painted at //p' gui.out)"
[ -n "$painted" ]
awk -v a="$launched" -v b="$painted" -v c="$(date +%s.%N)" \
    'BEGIN { printf "start to first paint: %.2f s; to data shown and quit: %.2f s\n", b - a, c - a }'
echo "size: $(du -sk "$SRC" | cut -f1) KiB on disk ($(du -sh "$SRC" | cut -f1))"
echo "smoke: all steps passed"
