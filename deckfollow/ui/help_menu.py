"""Help: the user guide (shipped with the app, read in a window), the data folder, the log."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from deckfollow.app_log import log_file


def guide_text() -> str:
    return (resources.files("deckfollow") / "resources" / "docs" / "user-guide.md").read_text(
        encoding="utf-8"
    )


def data_folder(db_path: Path | None) -> Path:
    """The folder holding the database file (a team database: the local data folder, where
    the backups and settings still live)."""
    if db_path is not None:
        return db_path.expanduser().resolve().parent
    return Path(user_data_dir("deckfollow", appauthor=False))


def _open(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


class UserGuide(QDialog):
    """The guide, read here: no browser, no network, the version that matches the app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("deckfollow user guide")
        self.text = QTextBrowser()
        self.text.setAccessibleName("User guide")
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(guide_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 640)


def show_folder(parent: QWidget, folder: Path, what: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not _open(QUrl.fromLocalFile(str(folder))):
        QMessageBox.information(parent, what, f"No file manager opened it. It is:\n{folder}")


def show_log(parent: QWidget, path: Path) -> None:
    """Open the log in the system's text viewer; before anything was logged, its folder."""
    if path.is_file() and _open(QUrl.fromLocalFile(str(path))):
        return
    show_folder(parent, path.parent, "The log folder")


def install_help_menu(window: QMainWindow, menu: QMenu, db_path: Path | None) -> None:
    """Put the guide, the data folder and the log at the top of `menu`."""
    first = menu.actions()[0] if menu.actions() else None
    guide = QAction("deckfollow &User Guide", window)
    guide.setShortcuts(QKeySequence.StandardKey.HelpContents)
    guide.triggered.connect(lambda _=False: UserGuide(window).exec())
    data = QAction("Show &data folder", window)
    data.triggered.connect(
        lambda _=False: show_folder(window, data_folder(db_path), "Your data folder")
    )
    log = QAction("Show &log", window)
    log.triggered.connect(lambda _=False: show_log(window, log_file()))
    for action in (guide, data, log):
        if first is None:
            menu.addAction(action)
        else:
            menu.insertAction(first, action)
    if first is not None:
        menu.insertSeparator(first)
