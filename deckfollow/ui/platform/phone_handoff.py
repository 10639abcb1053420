"""Open a `tel:`/`sms:` link on this computer, or, when nothing here handles it, hand the call
or text to the owner's phone: the number to copy and a QR code the phone's camera opens."""

from __future__ import annotations

import io
import sys

import segno
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.ui.platform.phone_links import has_handler, phone_number, qr_text

QR_SIZE = 220  # logical pixels: big enough for any phone camera at arm's length


def open_phone_link(parent: QWidget | None, uri: str, *, platform: str = sys.platform) -> bool:
    """Open `uri` in this computer's phone app; without one, show the phone hand-off instead.
    Returns True when an app here took the link."""
    scheme = uri.split(":", 1)[0].lower()
    if has_handler(scheme, platform) is not False and QDesktopServices.openUrl(QUrl(uri)):
        return True
    PhoneHandoffDialog(uri, parent).exec()
    return False


def qr_pixmap(text: str, logical_px: int, ratio: float) -> QPixmap:
    """The QR code, drawn for the screen's pixel ratio so it stays sharp at 200%."""
    code = segno.make(text, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    scale = max(1, round(logical_px * ratio / modules))
    png = io.BytesIO()
    code.save(png, kind="png", scale=scale, border=2)
    pix = QPixmap()
    pix.loadFromData(png.getvalue(), "PNG")
    return pix


class PhoneHandoffDialog(QDialog):
    """No app here opens the link: copy the number, or scan the code with the phone."""

    def __init__(self, uri: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texting = uri.lower().startswith("sms:")
        self.setWindowTitle("Text from your phone" if texting else "Call from your phone")
        what = "texts" if texting else "phone calls"
        explain = QLabel(
            f"This computer has no app for {what}. Scan the code with your phone's camera: "
            + (
                "Messages opens with the number and the words filled in."
                if texting
                else "the phone offers to dial the number."
            )
        )
        explain.setWordWrap(True)
        self.number = QLineEdit(phone_number(uri))
        self.number.setReadOnly(True)
        self.number.setAccessibleName("Phone number")
        self.copy_button = QPushButton("Copy number")
        self.copy_button.setAccessibleName("Copy the phone number")
        self.copy_button.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.number, 1)
        row.addWidget(self.copy_button)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName("QR code to scan with your phone")
        self.qr_text = qr_text(uri)
        ratio = self.devicePixelRatioF()
        pix = qr_pixmap(self.qr_text, QR_SIZE, ratio)
        pix.setDevicePixelRatio(ratio)
        self.qr.setPixmap(pix)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.qr)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.number.text())
        self.copy_button.setText("Copied")
