"""The main window: navigation on the left, one page at a time, menus every feature adds to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.storage.database import Database

Clock = Callable[[], datetime]

_CHANNEL_LABELS = {"call": "Calls", "text": "Texts", "email": "Emails", "card": "Cards"}


def _count(n: int, channel: str) -> str:
    noun = _CHANNEL_LABELS.get(channel, channel).lower()
    return f"{n} {noun if n != 1 else noun.rstrip('s')}"


class GlancePage(QWidget):
    """Today at a glance: what is due and overdue, by channel, oldest first."""

    def __init__(self, db: Database, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.counts = QLabel()
        self.counts.setStyleSheet("color: palette(mid); font-size: 13px;")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Due", "Customer", "Channel", "Reason", "Basis"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(self.headline)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        """Reload from the database."""
        from deckfollow.core.due import due_items
        from deckfollow.core.settings import load_settings

        now = self._clock()
        with self._db.reading() as session:
            owner_tz = load_settings(session).owner_timezone
            day = now.astimezone(ZoneInfo(owner_tz)).date()
            items = due_items(session, day=day, now=now, owner_tz=owner_tz)
        overdue = sum(i.overdue for i in items)
        if items:
            noun = "follow-up" if len(items) == 1 else "follow-ups"
            self.headline.setText(f"{len(items)} {noun} for {day:%A %d %B}")
        else:
            self.headline.setText(f"Nothing due for {day:%A %d %B}")
        by_channel: dict[str, int] = {}
        for i in items:
            by_channel[i.channel.value] = by_channel.get(i.channel.value, 0) + 1
        parts = [_count(n, c) for c, n in sorted(by_channel.items())]
        if overdue:
            parts.append(f"{overdue} overdue")
        self.counts.setText(" · ".join(parts) or "Follow-ups appear here when they fall due.")
        self.table.setRowCount(len(items))
        for row, i in enumerate(items):
            cells = [
                i.due_at.strftime("%a %d %b %H:%M"),
                i.customer + (f"  ({i.quote})" if i.quote else ""),
                _CHANNEL_LABELS.get(i.channel.value, i.channel.value).rstrip("s"),
                i.reason,
                "agreed" if i.basis.value == "agreed" else "planned",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if i.overdue and col == 0:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)


class MainWindow(QMainWindow):
    """The window a tradesperson keeps open all day.

    Features add themselves through `add_page` and `menu`; `data_changed` tells every page
    to reload after something was saved.
    """

    data_changed = Signal()

    def __init__(self, db: Database, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.setWindowTitle("deckfollow")
        self.setMinimumSize(900, 600)
        self._pages: dict[str, QWidget] = {}
        self._menus: dict[str, QMenu] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#nav { background: palette(window); font-size: 14px; padding-top: 8px; }"
            "QListWidget#nav::item { padding: 8px 14px; }"
            "QListWidget#nav::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 4px; }"
        )
        self.stack = QStackedWidget()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff4ce; color: #3d3000; padding: 8px 12px;"
            " border-bottom: 1px solid #e6d28a;"
        )
        self.banner.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._on_nav)

        self._build_menus()
        self.glance = GlancePage(db, clock=clock)
        self.add_page("today", "Today", self.glance)
        self.data_changed.connect(self.refresh)
        self.statusBar().showMessage(str(db.path or "team database"))
        self._restore_settings()

    # -- features plug in here ---------------------------------------------------------------

    def add_page(self, key: str, title: str, widget: QWidget) -> None:
        """Add a page to the navigation (in the order pages are added)."""
        self._pages[key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def show_page(self, key: str) -> None:
        """Switch to a page by its key."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return

    def page(self, key: str) -> QWidget | None:
        return self._pages.get(key)

    def menu(self, name: str) -> QMenu:
        """The menu called `name` ("File", "Edit", "View", "Tools", "Help"), made on first use."""
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(f"&{name}")
        return self._menus[name]

    def show_banner(self, text: str) -> None:
        """A message across the top of the window (empty text hides it)."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def refresh(self) -> None:
        """Reload every page that knows how."""
        for widget in self._pages.values():
            reload = getattr(widget, "refresh", None)
            if callable(reload):
                reload()

    # -- internals ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menu("File")
        self.menu("Edit")
        view = self.menu("View")
        self.menu("Tools")
        help_menu = self.menu("Help")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self._quit)
        file_menu.addAction(quit_action)
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        view.addAction(refresh)
        about = QAction("&About deckfollow", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.close()
        QApplication.quit()

    def _about(self) -> None:
        from deckfollow import __version__

        QMessageBox.about(
            self,
            "About deckfollow",
            f"<b>deckfollow {__version__}</b><p>Follow up every quote, only the way each "
            "customer agreed to.</p><p>Your data stays in:<br>"
            f"<code>{self.db.path or 'a team database'}</code></p>",
        )

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        widget = self._pages[key]
        self.stack.setCurrentWidget(widget)
        QSettings().setValue("main/last_page", key)

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def restore_last_page(self) -> None:
        """Show the page the user had open last time (call after every page is added)."""
        last = QSettings().value("main/last_page")
        if isinstance(last, str):
            self.show_page(last)

    def closeEvent(self, event: object) -> None:
        QSettings().setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)  # type: ignore[arg-type]
