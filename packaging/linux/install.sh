#!/usr/bin/env bash
# Install the unpacked tarball for this user: the app in ~/.local/lib/deckfollow, a command in
# ~/.local/bin, the applications-menu entry and icons. Your data folder is not touched, so an
# upgrade (running this again from a newer tarball) keeps every customer and quote.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
DEST="$HOME/.local/lib/deckfollow"
rm -rf "$DEST.new" && mkdir -p "$(dirname "$DEST")"
cp -a "$HERE/app" "$DEST.new"
rm -rf "$DEST" && mv "$DEST.new" "$DEST"
mkdir -p "$HOME/.local/bin" "$DATA/applications"
ln -sf "$DEST/deckfollow" "$HOME/.local/bin/deckfollow"
sed "s|^Exec=.*|Exec=$DEST/deckfollow gui|" "$HERE/deckfollow.desktop" > "$DATA/applications/deckfollow.desktop"
for png in "$HERE"/icons/deckfollow-*.png; do
    size="$(basename "$png" .png)"; size="${size#deckfollow-}"
    install -D -m 0644 "$png" "$DATA/icons/hicolor/${size}x${size}/apps/deckfollow.png"
done
install -D -m 0644 "$HERE/icons/deckfollow.svg" "$DATA/icons/hicolor/scalable/apps/deckfollow.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
echo "deckfollow installed: run 'deckfollow' or find it in your applications menu."
