"""PDF pages as QImages through PDFium (pypdfium2, an 8 MB wheel), so the app needs no
QtPdf: that module ships only in the 439 MB PySide6-Addons wheel.

PDFium may not be called from two threads at once, not even for two documents: the card
previews are rasterised on their own thread while printing runs on the GUI thread, so a
document is only ever open while holding `PDFIUM`, and every page is closed before it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

PDFIUM = threading.RLock()


class PdfPages:
    """An open PDF: its page count, page sizes in points, and pages rendered on white."""

    def __init__(self, doc: pypdfium2.PdfDocument) -> None:
        self._doc = doc

    def count(self) -> int:
        return len(self._doc)

    def size_pt(self, index: int) -> tuple[float, float]:
        page = self._doc[index]
        try:
            width, height = page.get_size()
        finally:
            page.close()  # here, not later by the collector on whichever thread it runs
        return float(width), float(height)

    def render(self, index: int, width_px: int, height_px: int) -> QImage:
        """Page `index` drawn `width_px` × `height_px` (stretched if the ratio differs)."""
        page = self._doc[index]
        width_pt = page.get_width()
        scale = width_px / max(float(width_pt), 1.0)
        # BGRx in memory is QImage's RGB32 on every little-endian machine the app runs on.
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), prefer_bgrx=True)
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB32,
        ).copy()  # own the pixels: the bitmap's buffer goes with it
        bitmap.close()
        page.close()
        if image.width() != width_px or image.height() != height_px:
            image = image.scaled(
                width_px,
                height_px,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return image


@contextmanager
def open_pdf(pdf: bytes) -> Iterator[PdfPages]:
    """The PDF open for as long as the block runs, with PDFium to this thread alone."""
    with PDFIUM:
        doc = pypdfium2.PdfDocument(pdf)
        try:
            yield PdfPages(doc)
        finally:
            doc.close()
