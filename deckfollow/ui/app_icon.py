"""deckfollow's icon as a QIcon, for the windows and the tray."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from deckfollow.app_icon import ICON_SIZES, icon_png


def app_icon() -> QIcon:
    """Every drawn size, so Qt picks the one made for the size shown (16 px in a tray, 32 in
    a title bar) instead of scaling a large one down into a blur."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon
