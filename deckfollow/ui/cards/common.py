"""What the card dialogs share: stationery and style pickers, PDF preview and printing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QMarginsF,
    QSize,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from deckfollow.printing.fonts import FONTS
from deckfollow.printing.handwriting import INK_NAMES, INKS, HandStyle
from deckfollow.printing.render import MATCH, Address, PrintOptions
from deckfollow.printing.stationery import CARDS, ENVELOPES, LABEL_SHEETS, card_stock
from deckfollow.ui.cards.pdf_raster import open_pdf

Clock = Callable[[], datetime]


class StyleForm(QWidget):
    """Stationery, envelope or labels, handwriting font, ink and an optional signature."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = QComboBox()
        for c in CARDS:
            self.card.addItem(c.name, c.key)
        self.envelope = QComboBox()
        self.envelope.addItem("Matching envelope", MATCH)
        for e in ENVELOPES:
            self.envelope.addItem(e.name, e.key)
        self.envelope.addItem("No envelope", None)
        self.labels = QComboBox()
        self.labels.addItem("No labels", None)
        for s in LABEL_SHEETS:
            self.labels.addItem(s.name, s.key)
        self.start_label = QSpinBox()
        self.start_label.setRange(1, 30)
        self.start_label.setPrefix("start at label ")
        self.start_label.setEnabled(False)
        self.hand_font = QComboBox()
        for f in FONTS:
            self.hand_font.addItem(f.name, f.key)
        self.ink = QComboBox()
        for key in INKS:
            self.ink.addItem(INK_NAMES[key], key)
        self.signature_path: Path | None = None
        self.signature_button = QPushButton("Add a scanned signature…")
        self.signature_clear = QPushButton("Remove")
        self.signature_clear.setEnabled(False)

        labels_row = QHBoxLayout()
        labels_row.setContentsMargins(0, 0, 0, 0)
        labels_row.addWidget(self.labels, 1)
        labels_row.addWidget(self.start_label)
        sig_row = QHBoxLayout()
        sig_row.setContentsMargins(0, 0, 0, 0)
        sig_row.addWidget(self.signature_button, 1)
        sig_row.addWidget(self.signature_clear)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Stationery", self.card)
        form.addRow("Envelope", self.envelope)
        form.addRow("Address labels", labels_row)
        form.addRow("Handwriting", self.hand_font)
        form.addRow("Ink", self.ink)
        form.addRow("Signature", sig_row)

        for box in (self.card, self.envelope, self.labels, self.hand_font, self.ink):
            box.currentIndexChanged.connect(self._changed)
        self.start_label.valueChanged.connect(self._changed)
        self.signature_button.clicked.connect(self._pick_signature)
        self.signature_clear.clicked.connect(lambda: self.set_signature(None))

    def _changed(self) -> None:
        sheet = self.labels.currentData()
        self.start_label.setEnabled(sheet is not None)
        if sheet is not None:
            per = next(s.per_sheet for s in LABEL_SHEETS if s.key == sheet)
            self.start_label.setMaximum(per)
        # A postcard carries its own address: an envelope would only confuse.
        self.envelope.setEnabled(card_stock(self.card.currentData()).envelope is not None)
        self.changed.emit()

    def _pick_signature(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Scanned signature", "", "Images (*.png *.jpg *.jpeg)"
        )
        if path:
            self.set_signature(Path(path))

    def set_signature(self, path: Path | None) -> None:
        self.signature_path = path
        self.signature_button.setText(path.name if path else "Add a scanned signature…")
        self.signature_clear.setEnabled(path is not None)
        self.changed.emit()

    def select(self, combo: QComboBox, key: object) -> None:
        index = combo.findData(key)
        if index >= 0:
            combo.setCurrentIndex(index)

    def options(self, return_address: Address | None) -> PrintOptions:
        card = str(self.card.currentData())
        envelope = self.envelope.currentData() if self.envelope.isEnabled() else None
        return PrintOptions(
            card=card,
            style=HandStyle(
                font=str(self.hand_font.currentData()), ink=str(self.ink.currentData())
            ),
            envelope=envelope,
            labels=self.labels.currentData(),
            start_label=self.start_label.value(),
            return_address=return_address,
            signature=self.signature_path,
        )


def pdf_pages(pdf: bytes, width_px: int, pages: list[int] | None = None) -> list[QImage]:
    """Pages of the PDF (all, or the 0-based `pages`) rendered `width_px` wide on white."""
    images: list[QImage] = []
    with open_pdf(pdf) as doc:
        wanted = range(doc.count()) if pages is None else pages
        for i in wanted:
            if not 0 <= i < doc.count():
                continue
            width_pt, height_pt = doc.size_pt(i)
            height = max(1, round(width_px * height_pt / max(width_pt, 1.0)))
            images.append(doc.render(i, width_px, height))
    return images


def mark_fold(page: QImage, fold_from_top: float) -> QImage:
    """The page with a dashed line where the card is folded (on screen only: the printed
    card carries no mark), so a message on the lower half reads as the inside of a card."""
    marked = page.copy()
    y = round(marked.height() * fold_from_top)
    painter = QPainter(marked)
    pen = QPen(QColor("#8a8f98"))
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setWidth(max(1, marked.width() // 400))
    painter.setPen(pen)
    painter.drawLine(0, y, marked.width(), y)
    font = painter.font()
    font.setPixelSize(max(9, marked.width() // 24))
    painter.setFont(font)
    painter.drawText(6, y - 4, "fold")
    painter.end()
    return marked


def stock_fold(card_key: str) -> float | None:
    """Where a card stock folds, as a share of the page height from the top (None: flat)."""
    stock = card_stock(card_key)
    return None if stock.fold_y is None else 1.0 - stock.fold_y / stock.height


class PreviewLabel(QLabel):
    """Shows rendered pages with a shadowed edge, scaled to the label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(420, 360)
        self.setStyleSheet("background: #8a8f98; border-radius: 4px;")

    def show_pages(self, pages: list[QImage]) -> None:
        if not pages:
            self.clear()
            return
        gap = 16
        width = max(p.width() for p in pages) + 2 * gap
        height = sum(p.height() for p in pages) + gap * (len(pages) + 1)
        sheet = QImage(width, height, QImage.Format.Format_RGB32)
        sheet.fill(QColor("#8a8f98"))
        painter = QPainter(sheet)
        y = gap
        for p in pages:
            x = (width - p.width()) // 2
            painter.fillRect(x + 3, y + 3, p.width(), p.height(), QColor(0, 0, 0, 70))
            painter.drawImage(x, y, p)
            y += p.height() + gap
        painter.end()
        from PySide6.QtGui import QPixmap

        # Scaled in device pixels and tagged with the ratio, so at 200% the card is drawn
        # from twice the pixels instead of being blown up from a 100% image.
        ratio = self.devicePixelRatioF()
        pix = QPixmap.fromImage(sheet)
        target = (self.size() - QSize(8, 8)) * ratio
        shown = pix.scaled(
            target,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        shown.setDevicePixelRatio(ratio)
        self.setPixmap(shown)

    def render_width(self, logical_px: int) -> int:
        """How many pixels wide to render a page shown `logical_px` wide on this screen."""
        return max(1, round(logical_px * self.devicePixelRatioF()))


# Handwriting is sharp at 600 dpi. A printer that asks for more (1200 dpi is common) would
# get four times the pixels for nothing a reader can see: a US Letter label sheet at 1200 dpi
# is a 540 MB image and took 1.2 s a page here; at 600 dpi it is 135 MB and a quarter of that.
MAX_PRINT_DPI = 600


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Send every page to `printer` at its own paper size; returns the pages printed."""
    with open_pdf(pdf) as doc:
        count = doc.count()
        painter: QPainter | None = None
        for i in range(count):
            width_pt, height_pt = doc.size_pt(i)
            size = QPageSize(QSizeF(width_pt, height_pt), QPageSize.Unit.Point)
            layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
            printer.setPageLayout(layout)
            if painter is None:
                painter = QPainter()
                if not painter.begin(printer):
                    return 0
            else:
                printer.newPage()
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            img = doc.render(i, round(width_pt * dpi / 72), round(height_pt * dpi / 72))
            # The image is stretched over the whole sheet at the printer's own resolution.
            painter.drawImage(printer.pageLayout().fullRectPixels(printer.resolution()), img)
        if painter is not None:
            painter.end()
        return count


def ask_and_print(parent: QWidget, pdf: bytes) -> bool:
    """The system print dialog, then print; False when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print cards")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return print_pdf(printer, pdf) > 0


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save as PDF", suggested, "PDF files (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def save_private(path: Path, pdf: bytes) -> None:
    """Write the PDF readable by the owner only (it holds names and addresses), whole: it is
    written beside the target and moved into place. Raises OSError when it cannot be."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # POSIX; a stale .tmp may have wider rights
                os.fchmod(fh.fileno(), 0o600)
            fh.write(pdf)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_failed(path: Path, exc: OSError) -> str:
    """What to tell the user when a PDF could not be saved."""
    return f"Could not save {path}: {exc.strerror or exc}. Nothing was written."
