"""Render deckfollow's icon PNGs from its hand-drawn SVGs (run after editing an SVG).

    .venv/bin/python scripts/render-icons.py

The PNGs are committed, so neither building nor running the app needs this script. Sizes
from 32 px up come from deckfollow.svg; 16, 22 and 24 px from the pixel-grid drawings, which
keep the tray icon sharp where a scaled-down drawing would blur. Rendered with Qt's own SVG
renderer (PySide6 is already a dependency of the app).
"""

# ruff: noqa: TID251  (a build tool, not the app: Qt renders the SVGs here)
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from deckfollow.app_icon import ICON_SIZES, icon_dir

ICONS = icon_dir()
PIXEL_GRID = (16, 22, 24)


def source_for(size: int) -> Path:
    """The drawing a size is rendered from."""
    if size in PIXEL_GRID:
        return ICONS / "pixel-grid" / f"deckfollow-{size}.svg"
    return ICONS / "deckfollow.svg"


def render(source: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"render-icons: {source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    # Saved without gamma or time chunks, so an unchanged drawing gives the same bytes.
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(str(out)):
        raise SystemExit(f"render-icons: cannot write {out}")


def main() -> int:
    QGuiApplication(sys.argv[:1])
    for size in ICON_SIZES:
        out = ICONS / f"deckfollow-{size}.png"
        render(source_for(size), size, out)
        print(f"{out.relative_to(ICONS.parents[2])}  {size}x{size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
