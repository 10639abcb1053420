#!/usr/bin/env bash
# Build the Linux bundle: dist/deckfollow/ (runs with no Python installed), a tarball of it,
# and a .deb. Usage: bash packaging/build-linux.sh   (or: make bundle)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
"$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install -q -e ".[bundle]"
for tool in icupkg genccode objcopy ld; do
    command -v "$tool" >/dev/null || {
        echo "build-linux: $tool is missing: bash scripts/bootstrap.sh --bundle" \
            "(installs packaging/debian-build-packages.txt)" >&2
        exit 1
    }
done
VERSION="$("$PY" -c 'import deckfollow; print(deckfollow.__version__)')"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"

rm -rf build/pyinstaller dist/deckfollow
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/deckfollow.spec

echo "bundle: $(du -sh dist/deckfollow | cut -f1) on disk"

# Tarball: the folder plus the menu entry and icons, with install.sh for a per-user install.
STAGE="build/tar/deckfollow-$VERSION"
rm -rf build/tar && mkdir -p "$STAGE"
cp -a dist/deckfollow "$STAGE/app"
install -m 0644 packaging/linux/deckfollow.desktop "$STAGE/deckfollow.desktop"
install -m 0755 packaging/linux/install.sh "$STAGE/install.sh"
mkdir -p "$STAGE/icons"
cp deckfollow/resources/icons/deckfollow-*.png deckfollow/resources/icons/deckfollow.svg "$STAGE/icons/"
TARBALL="dist/deckfollow-$VERSION-linux-$ARCH.tar.gz"
tar -C build/tar -czf "$TARBALL" "deckfollow-$VERSION"
echo "tarball: $TARBALL ($(du -h "$TARBALL" | cut -f1))"

# .deb: the folder in /opt/deckfollow, a command in /usr/bin, the menu entry and icons.
if command -v dpkg-deb >/dev/null; then
    DEB="build/deb/deckfollow_${VERSION}_${ARCH}"
    rm -rf build/deb && mkdir -p "$DEB/DEBIAN" "$DEB/opt" "$DEB/usr/bin" "$DEB/usr/share/applications"
    cp -a dist/deckfollow "$DEB/opt/deckfollow"
    ln -s /opt/deckfollow/deckfollow "$DEB/usr/bin/deckfollow"
    sed 's|^Exec=.*|Exec=/opt/deckfollow/deckfollow gui|' packaging/linux/deckfollow.desktop \
        > "$DEB/usr/share/applications/deckfollow.desktop"
    for png in deckfollow/resources/icons/deckfollow-*.png; do
        size="$(basename "$png" .png)"; size="${size#deckfollow-}"
        install -D -m 0644 "$png" "$DEB/usr/share/icons/hicolor/${size}x${size}/apps/deckfollow.png"
    done
    install -D -m 0644 deckfollow/resources/icons/deckfollow.svg \
        "$DEB/usr/share/icons/hicolor/scalable/apps/deckfollow.svg"
    SIZE_KB="$(du -sk "$DEB" | cut -f1)"
    sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE_KB/" \
        packaging/linux/control.in > "$DEB/DEBIAN/control"
    dpkg-deb --root-owner-group --build "$DEB" "dist/deckfollow_${VERSION}_${ARCH}.deb" >/dev/null
    echo "deb: dist/deckfollow_${VERSION}_${ARCH}.deb ($(du -h "dist/deckfollow_${VERSION}_${ARCH}.deb" | cut -f1))"
fi
