#!/usr/bin/env bash
# Build the macOS app: dist/deckfollow.app (PyInstaller) in dist/deckfollow-VERSION.dmg (hdiutil),
# the disk image holding the app and a link to /Applications to drag it onto.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" packaging/make_icons.py
VERSION="$("$PY" -c 'import deckfollow; print(deckfollow.__version__)')"
export DECKFOLLOW_VERSION="$VERSION"
rm -rf build/pyinstaller dist/deckfollow dist/deckfollow.app
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/deckfollow.spec
STAGE="build/dmg"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R dist/deckfollow.app "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/deckfollow-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "deckfollow $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
echo "dmg: $DMG ($(du -h "$DMG" | cut -f1))"
