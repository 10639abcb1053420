"""deckfollow's own icon: drawn at every size a desktop asks for, sharp when small, and worn by
the window, its dialogs and (in the user's icon theme) the start-at-login entry."""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from deckfollow.app_icon import ICON_NAME, ICON_SIZES, icon_png, icon_svg
from deckfollow.reminders.autostart import autostart_path, enable_autostart, launch_command
from deckfollow.storage.database import Database
from deckfollow.ui.app import make_application
from deckfollow.ui.app_icon import app_icon
from deckfollow.ui.main_window import MainWindow

# The flat colours of the drawing: the card, the tick's badge, the heading and the writing.
FLAT = {0xFFFFFFFF, 0xFFF76707, 0xFF2F6DB5, 0xFFB7C9E2}


def _argb(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def _same(icon: QIcon, size: int) -> bool:
    """The icon, asked for `size` px, gives the PNG drawn for that size.

    Qt keeps icons premultiplied, so a half-transparent edge pixel may come back one step off
    per channel; a scaled (blurred) drawing differs by far more.
    """
    got = _argb(icon.pixmap(size, size).toImage())
    drawn = _argb(QImage(str(icon_png(size))))
    if got.size() != drawn.size():
        return False
    return all(
        abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) <= 2
        for y in range(size)
        for x in range(size)
        for a, b in [(got.pixel(x, y), drawn.pixel(x, y))]
        for shift in (0, 8, 16, 24)
    )


def _scaled_down(size: int) -> QImage:
    renderer = QSvgRenderer(str(icon_svg()))
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return _argb(image)


def _flat_share(image: QImage) -> float:
    """How much of the image is whole pixels of the drawing's colours (not blends)."""
    w, h = image.width(), image.height()
    return sum(image.pixel(x, y) in FLAT for y in range(h) for x in range(w)) / (w * h)


def test_the_icon_is_drawn_at_every_size_and_loads(qapp: object):
    for size in ICON_SIZES:
        path = icon_png(size)
        image = QImage(str(path))
        assert not image.isNull(), path
        assert image.size() == QSize(size, size)
        assert image.hasAlphaChannel()  # rounded corners, no white box on a dark panel
        assert not QIcon(str(path)).isNull()
    assert QSvgRenderer(str(icon_svg())).isValid()
    svg = QIcon(str(icon_svg()))
    assert not svg.isNull()
    assert svg.pixmap(512, 512).width() == 512  # the scalable drawing scales up cleanly
    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == list(ICON_SIZES)
    for size in ICON_SIZES:
        assert _same(icon, size)


@pytest.mark.parametrize("size", [16, 22, 24])
def test_tray_sizes_are_drawn_on_the_pixel_grid_not_blurred(qapp: object, size: int):
    drawn = _argb(QImage(str(icon_png(size))))
    blurred = _scaled_down(size)
    assert drawn != blurred
    # The card, its writing and the tick sit on whole pixels: far more of the small icon is
    # clean colour than when the big drawing is shrunk to the same size.
    assert _flat_share(drawn) >= 0.25
    assert _flat_share(drawn) > 1.5 * _flat_share(blurred)


def test_the_window_and_its_dialogs_wear_the_icon(qtbot: QtBot, db: Database, now: datetime):
    app = make_application()
    for size in (16, 32, 48):
        assert _same(app.windowIcon(), size)
    window = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(window)
    box = QMessageBox(window)
    qtbot.addWidget(box)
    for widget in (window, box):
        assert _same(widget.windowIcon(), 32)


@pytest.fixture
def user_icon_theme() -> Iterator[None]:
    """Qt looks for themed icons where a desktop does ($XDG_DATA_HOME/icons first); put back
    afterwards, since Qt keeps these settings for the whole process."""
    paths, name = QIcon.themeSearchPaths(), QIcon.themeName()
    data_home = Path(os.environ["XDG_DATA_HOME"])
    QIcon.setThemeSearchPaths([str(data_home / "icons"), "/usr/share/icons"])
    QIcon.setThemeName("hicolor")
    try:
        yield
    finally:
        QIcon.setThemeSearchPaths(paths)
        QIcon.setThemeName(name)


def test_the_login_entrys_icon_is_found_in_the_users_icon_theme(
    qapp: object, tmp_path: Path, user_icon_theme: None
):
    if not Path("/usr/share/icons/hicolor/index.theme").is_file():
        pytest.skip("needs the hicolor icon theme (Debian: hicolor-icon-theme)")
    assert QIcon.fromTheme(ICON_NAME).isNull()  # nothing installed before the entry is
    enable_autostart(launch_command(str(tmp_path / "deckfollow.db")), platform="linux")
    path = autostart_path("linux")
    assert path is not None
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(path)
    name = entry["Desktop Entry"]["Icon"]
    assert name == ICON_NAME
    # Looked up by name through Qt's own implementation of the icon theme rules (after it
    # forgets the miss above, as a desktop reading its themes afresh at login).
    QIcon.setThemeSearchPaths(QIcon.themeSearchPaths())
    themed = QIcon.fromTheme(name)
    assert not themed.isNull()
    assert {s.width() for s in themed.availableSizes()} >= set(ICON_SIZES)
