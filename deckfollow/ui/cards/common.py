"""What the card dialogs share: stationery and style pickers, PDF preview and printing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QMarginsF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from deckfollow.core.card_preferences import MOTIFS, CardPreferences, Units
from deckfollow.printing.card_dialogs import remember_card_choices
from deckfollow.printing.fonts import FONTS
from deckfollow.printing.handwriting import INK_NAMES, INKS, HandStyle
from deckfollow.printing.render import MATCH, CardFront, PrintOptions
from deckfollow.printing.stationery import (
    CARDS,
    ENVELOPES,
    LABEL_SHEETS,
    card_label,
    card_stock,
    envelope_label,
    sheet_label,
)
from deckfollow.ui.cards.pdf_raster import open_pdf
from deckfollow.ui.operations import Failure, Operations
from deckfollow.ui.theme import active_theme


class StyleForm(QWidget):
    """Stationery (in the owner's units), envelope or labels, the card's front and date
    line, handwriting font, ink and an optional signature; starts from `prefs`."""

    changed = Signal()

    def __init__(self, prefs: CardPreferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label_sheet = prefs.label_sheet
        self.units = QComboBox()
        self.units.addItem("Millimetres", "mm")
        self.units.addItem("Inches", "in")
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
        for sh in LABEL_SHEETS:
            self.labels.addItem(sh.name, sh.key)
        self.start_label = QSpinBox()
        self.start_label.setAccessibleName("First free label")
        self.start_label.setRange(1, 30)
        self.start_label.setPrefix("start at label ")
        self.start_label.setEnabled(False)
        self.motif = QComboBox()
        for key, name in MOTIFS.items():
            self.motif.addItem(name, key)
        self.logo_path: Path | None = None
        self.logo_button = QPushButton("Use my logo…")
        self.logo_button.setToolTip("A PNG or JPEG on the card's front instead of the picture")
        self.logo_clear = QPushButton("Remove")
        self.date_line = QCheckBox("Write today's date at the top")
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

        self.select(self.units, prefs.units)
        self.select(self.card, prefs.card)
        self.select(self.envelope, None if prefs.envelope == "none" else prefs.envelope)
        self.select(self.labels, prefs.labels_choice)
        self.select(self.motif, prefs.motif)
        self.select(self.hand_font, prefs.font)
        self.select(self.ink, prefs.ink)
        self.date_line.setChecked(prefs.date_line)
        self._set_logo(Path(prefs.logo) if prefs.logo else None)
        self._name_stationery()

        labels_row = QHBoxLayout()
        labels_row.setContentsMargins(0, 0, 0, 0)
        labels_row.addWidget(self.labels, 1)
        labels_row.addWidget(self.start_label)
        front_row = QHBoxLayout()
        front_row.setContentsMargins(0, 0, 0, 0)
        front_row.addWidget(self.motif, 1)
        front_row.addWidget(self.logo_button, 1)
        front_row.addWidget(self.logo_clear)
        sig_row = QHBoxLayout()
        sig_row.setContentsMargins(0, 0, 0, 0)
        sig_row.addWidget(self.signature_button, 1)
        sig_row.addWidget(self.signature_clear)
        card_row = QHBoxLayout()
        card_row.setContentsMargins(0, 0, 0, 0)
        card_row.addWidget(self.card, 1)
        card_row.addWidget(self.units)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Stationery", card_row)
        form.addRow("Envelope", self.envelope)
        form.addRow("Address labels", labels_row)
        form.addRow("Card front", front_row)
        form.addRow("Date line", self.date_line)
        form.addRow("Handwriting", self.hand_font)
        form.addRow("Ink", self.ink)
        form.addRow("Signature", sig_row)
        self._sync_enabled()

        for box in (self.card, self.envelope, self.labels, self.hand_font, self.ink, self.motif):
            box.currentIndexChanged.connect(self._changed)
        self.units.currentIndexChanged.connect(self._units_changed)
        self.start_label.valueChanged.connect(self._changed)
        self.date_line.toggled.connect(self._changed)
        self.signature_button.clicked.connect(self._pick_signature)
        self.signature_clear.clicked.connect(lambda: self.set_signature(None))
        self.logo_button.clicked.connect(self._pick_logo)
        self.logo_clear.clicked.connect(lambda: self.set_logo(None))

    def _name_stationery(self) -> None:
        """Every size in the chosen units: millimetres or inches."""
        units = str(self.units.currentData())
        for i, c in enumerate(CARDS):
            self.card.setItemText(i, card_label(c, units))
        match = card_stock(str(self.card.currentData())).envelope
        matching = next((e for e in ENVELOPES if e.key == match), None)
        self.envelope.setItemText(
            0,
            "Matching envelope"
            + (f": {envelope_label(matching, units)}" if matching is not None else ""),
        )
        for i, e in enumerate(ENVELOPES, start=1):
            self.envelope.setItemText(i, envelope_label(e, units))
        for i, sh in enumerate(LABEL_SHEETS, start=1):
            self.labels.setItemText(i, sheet_label(sh, units))

    def _units_changed(self) -> None:
        self._name_stationery()
        self.changed.emit()

    def _sync_enabled(self) -> None:
        sheet = self.labels.currentData()
        self.start_label.setEnabled(sheet is not None)
        if sheet is not None:
            self._label_sheet = str(sheet)
            per = next(s.per_sheet for s in LABEL_SHEETS if s.key == sheet)
            self.start_label.setMaximum(per)
        stock = card_stock(str(self.card.currentData()))
        # A postcard carries its own address: an envelope would only confuse.
        self.envelope.setEnabled(stock.envelope is not None)
        # Only a folded card has a front of its own.
        folded = stock.fold_y is not None
        for w in (self.motif, self.logo_button, self.logo_clear):
            w.setEnabled(folded)
        self.logo_clear.setEnabled(folded and self.logo_path is not None)
        self.motif.setToolTip("" if folded else "Only a folded card has a front")

    def _changed(self) -> None:
        self._sync_enabled()
        self._name_stationery()
        self.changed.emit()

    def _pick_signature(self) -> None:
        _ask_image(self, "Scanned signature", self.set_signature)

    def _pick_logo(self) -> None:
        _ask_image(self, "Your logo for the card's front", self.set_logo)

    def _set_logo(self, path: Path | None) -> None:
        self.logo_path = path
        self.logo_button.setText(path.name if path else "Use my logo…")
        self.logo_clear.setEnabled(path is not None)
        self.motif.setEnabled(path is None or self.motif.currentData() == "border")

    def set_logo(self, path: Path | None) -> None:
        self._set_logo(path)
        self._changed()

    def set_signature(self, path: Path | None) -> None:
        self.signature_path = path
        self.signature_button.setText(path.name if path else "Add a scanned signature…")
        self.signature_clear.setEnabled(path is not None)
        self.changed.emit()

    def select(self, combo: QComboBox, key: object) -> None:
        index = combo.findData(key)
        if index >= 0:
            combo.setCurrentIndex(index)

    def remember(self, ops: Operations, owner: QWidget, failure: Failure) -> None:
        """Keep the choices as they stand as the owner's, on the database thread."""
        prefs = self.preferences()
        ops.run_change(
            owner,
            lambda s: remember_card_choices(s, prefs),
            initiator=owner,
            failure=failure,
            error_title="Card choices not kept",
        )

    def preferences(self) -> CardPreferences:
        """The choices as they stand, to be remembered."""
        envelope = self.envelope.currentData()
        units: Units = "in" if self.units.currentData() == "in" else "mm"
        return CardPreferences(
            card=str(self.card.currentData()),
            label_sheet=self._label_sheet,
            units=units,
            envelope="none" if envelope is None else str(envelope),
            labels=self.labels.currentData() is not None,
            motif=str(self.motif.currentData()),
            logo=str(self.logo_path) if self.logo_path else "",
            font=str(self.hand_font.currentData()),
            ink=str(self.ink.currentData()),
            date_line=self.date_line.isChecked(),
        )

    def options(self, base: PrintOptions) -> PrintOptions:
        """`base` (the return address, the front's name and today's date) with the choices
        made here."""
        card = str(self.card.currentData())
        envelope = self.envelope.currentData() if self.envelope.isEnabled() else None
        front = base.front or CardFront()
        return replace(
            base,
            card=card,
            style=HandStyle(
                font=str(self.hand_font.currentData()), ink=str(self.ink.currentData())
            ),
            envelope=envelope,
            labels=self.labels.currentData(),
            start_label=self.start_label.value(),
            signature=self.signature_path,
            front=replace(front, motif=str(self.motif.currentData()), logo=self.logo_path),
            date_text=base.date_text if self.date_line.isChecked() else None,
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


OUTSIDE_NOTE = "Right: the outside, its front upside down so it is the right way up once folded"


def card_pages(
    pdf: bytes, wanted: list[int], options: PrintOptions, width_px: int = 520
) -> tuple[list[QImage], list[int]]:
    """Pages `wanted` of a card PDF for the preview, folds marked; with their row layout: a
    two-sided card's inside and outside side by side, then the envelope or labels below."""
    pages = pdf_pages(pdf, width_px, wanted)
    fold = stock_fold(options.card)
    sides = 2 if options.two_sided else 1
    if fold is not None:
        for i in range(min(sides, len(pages))):
            pages[i] = mark_fold(pages[i], fold)
    return pages, [sides, 1]


def stock_fold(card_key: str) -> float | None:
    """Where a card stock folds, as a share of the page height from the top (None: flat)."""
    stock = card_stock(card_key)
    return None if stock.fold_y is None else 1.0 - stock.fold_y / stock.height


@dataclass(frozen=True)
class Frame:
    """Where a preview will be shown, read on the GUI thread when it is asked for: how wide
    to render a page, the label's size in device pixels and the desk's colour."""

    page_px: int
    target: QSize
    background: str


@dataclass(frozen=True)
class Sheet:
    """Pages laid out side by side and in rows on the desk (`full`), and the same scaled to
    the label it was made for (`fitted`): made on any thread, shown on the GUI thread."""

    full: QImage
    fitted: QImage
    target: QSize  # what `fitted` was scaled to fit


def lay_out(pages: list[QImage], rows: list[int] | None, frame: Frame) -> Sheet | None:
    """Pages laid out in rows (`rows` gives how many pages sit side by side in each row;
    default one a row), each with a shadowed edge, and scaled to fit `frame`."""
    if not pages:
        return None
    gap = 16
    counts = list(rows) if rows else [1] * len(pages)
    grid: list[list[QImage]] = []
    i = 0
    for n in counts:
        if i < len(pages):
            grid.append(pages[i : i + n])
            i += n
    if i < len(pages):
        grid.extend([p] for p in pages[i:])
    width = max(sum(p.width() for p in row) + gap * (len(row) + 1) for row in grid)
    height = sum(max(p.height() for p in row) for row in grid) + gap * (len(grid) + 1)
    sheet = QImage(width, height, QImage.Format.Format_RGB32)
    sheet.fill(QColor(frame.background))
    painter = QPainter(sheet)
    y = gap
    for row in grid:
        row_w = sum(p.width() for p in row) + gap * (len(row) - 1)
        x = (width - row_w) // 2
        for p in row:
            painter.fillRect(x + 3, y + 3, p.width(), p.height(), QColor(0, 0, 0, 70))
            painter.drawImage(x, y, p)
            x += p.width() + gap
        y += max(p.height() for p in row) + gap
    painter.end()
    return Sheet(sheet, _scaled(sheet, frame.target), frame.target)


def _scaled(sheet: QImage, target: QSize) -> QImage:
    return sheet.scaled(
        target.expandedTo(QSize(1, 1)),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class PreviewLabel(QLabel):
    """Shows rendered pages with a shadowed edge, scaled to the label; while a new preview
    takes long, the old one stays with a quiet "Updating preview…" in its corner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(420, 360)
        self.setStyleSheet(
            f"background: {active_theme().desk_bg}; border-radius: 4px;"
            f" color: {active_theme().desk_fg};"
        )
        # The pages follow the label's size, never the other way round.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._sheet: Sheet | None = None
        self.updating = QLabel("Updating preview…", self)
        self.updating.setAccessibleName("Preview status")
        self.updating.setStyleSheet(
            f"background: {active_theme().desk_bg}; color: {active_theme().desk_fg};"
            " border-radius: 3px; padding: 2px 6px;"
        )
        self.updating.adjustSize()
        self.updating.hide()
        self._smooth = QTimer(self)
        self._smooth.setSingleShot(True)
        self._smooth.setInterval(150)
        self._smooth.timeout.connect(lambda: self._fit(smooth=True))

    def set_updating(self, on: bool) -> None:
        """Say (or stop saying) that a newer preview is on its way."""
        self.updating.setVisible(on)
        if on:
            self.updating.raise_()

    def settled(self) -> bool:
        """The pages are shown at their final quality (not still roughly scaled after a
        resize)."""
        return not self._smooth.isActive()

    def frame(self, logical_px: int = 520) -> Frame:
        """Where a preview for this label is to be made: pages `logical_px` wide."""
        return Frame(self.render_width(logical_px), self._target(), active_theme().desk_bg)

    def show_pages(self, pages: list[QImage], rows: list[int] | None = None) -> None:
        """Pages laid out in rows (see `lay_out`), scaled to the label."""
        self.show_sheet(lay_out(pages, rows, self.frame()))

    def show_sheet(self, sheet: Sheet | None) -> None:
        """Pages laid out (on the rendering thread), or nothing."""
        self._sheet = sheet
        if sheet is None:
            self.clear()
            return
        self._fit()

    def _target(self) -> QSize:
        # Device pixels, so at 200% the card is drawn from twice the pixels instead of
        # being blown up from a 100% image.
        return (self.size() - QSize(8, 8)) * self.devicePixelRatioF()

    def _fit(self, smooth: bool = False) -> None:
        if self._sheet is None:
            return
        fitted = self._sheet.fitted
        target = self._target()
        if target != self._sheet.target:
            # Resized since it was made: roughly at once, smoothly once the size has settled
            # (a dialog relaid out moves it several times in a row).
            mode = Qt.TransformationMode.FastTransformation
            if smooth:
                mode = Qt.TransformationMode.SmoothTransformation
            else:
                self._smooth.start()
            fitted = self._sheet.full.scaled(
                target.expandedTo(QSize(1, 1)), Qt.AspectRatioMode.KeepAspectRatio, mode
            )
            if smooth:
                self._sheet = replace(self._sheet, fitted=fitted, target=target)
        shown = QPixmap.fromImage(fitted)
        shown.setDevicePixelRatio(self.devicePixelRatioF())
        self.setPixmap(shown)

    def render_width(self, logical_px: int) -> int:
        """How many pixels wide to render a page shown `logical_px` wide on this screen."""
        return max(1, round(logical_px * self.devicePixelRatioF()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updating.move(8, 8)
        self._fit()


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


# The questions below are opened, not run with a loop of their own: a loop inside the
# dialog would hold back every answer from the database thread until the user chose.


def ask_and_print(
    parent: QWidget,
    pdf: bytes,
    title: str = "Print cards",
    printed: Callable[[], object] | None = None,
) -> QPrintDialog:
    """Open the system print dialog; once the user chose a printer, print, then
    `printed()` when anything was printed (nothing happens on Cancel)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen() -> None:
        if print_pdf(printer, pdf) > 0 and printed is not None:
            printed()

    dialog.accepted.connect(chosen)
    QDialog.open(dialog)  # QPrintDialog's own open() wants a slot to call
    return dialog


def ask_save_path(parent: QWidget, suggested: str, chosen: Callable[[Path], object]) -> QFileDialog:
    """Open a "Save as PDF" dialog; `chosen(path)` once the user picked where (with the
    .pdf ending added when it was left off)."""
    dialog = QFileDialog(parent, "Save as PDF", suggested, "PDF files (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def picked(path: str) -> None:
        if path:
            chosen(Path(path if path.lower().endswith(".pdf") else path + ".pdf"))

    dialog.fileSelected.connect(picked)
    dialog.open()
    return dialog


def _ask_image(parent: QWidget, title: str, chosen: Callable[[Path], object]) -> None:
    dialog = QFileDialog(parent, title, "", "Images (*.png *.jpg *.jpeg)")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: chosen(Path(path)) if path else None)
    dialog.open()


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
