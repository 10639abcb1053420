"""Starting the desktop app: the Qt application, the database, the window, the first welcome."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware and in UTC (the core never reads the clock itself)."""
    return datetime.now(UTC)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings has a home."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("deckfollow")
    app.setApplicationName("deckfollow")
    app.setApplicationDisplayName("deckfollow")
    app.setDesktopFileName("deckfollow")
    return app


def _database_is_empty(db: object) -> bool:
    from sqlalchemy import func, select

    from deckfollow.core.models import Customer, Quote
    from deckfollow.core.settings import get_setting
    from deckfollow.storage.database import Database

    assert isinstance(db, Database)
    with db.reading() as session:
        if get_setting(session, "ui.welcome_done") is not None:
            return False
        customers = session.execute(select(func.count(Customer.id))).scalar_one()
        quotes = session.execute(select(func.count(Quote.id))).scalar_one()
    return customers == 0 and quotes == 0


def import_wizard_factory() -> Callable[..., QWidget] | None:
    """The CSV import wizard when this build has one."""
    import importlib

    try:
        module = importlib.import_module("deckfollow.ui.importer")
    except ImportError:
        return None
    factory = getattr(module, "ImportWizard", None)
    return factory if callable(factory) else None


def offer_welcome(window: QWidget, db: object, clock: Clock) -> None:
    """On a brand-new database: ask who the owner is and how they want to start."""
    from deckfollow.core.settings import save_setting, set_setting
    from deckfollow.storage.database import Database
    from deckfollow.ui.welcome import WelcomeChoice, WelcomeDialog

    assert isinstance(db, Database)
    if not _database_is_empty(db):
        return
    wizard = import_wizard_factory()
    dialog = WelcomeDialog(can_import=wizard is not None, parent=window)
    dialog.exec()
    with db.unit_of_work() as session:
        for key, value in dialog.owner_details().items():
            save_setting(session, key, value)
        set_setting(session, "ui.welcome_done", dialog.choice.value)
    if dialog.choice is WelcomeChoice.SAMPLE:
        from deckfollow.demo.generator import generate_demo

        with db.unit_of_work() as session:
            generate_demo(session, customers=80, quotes=200, seed=7, now=clock())
    elif dialog.choice is WelcomeChoice.IMPORT and wizard is not None:
        wizard(db, clock=clock, parent=window).exec()  # type: ignore[attr-defined]
    refresh = getattr(window, "refresh", None)
    if callable(refresh):
        refresh()


def run_gui(target: str, *, clock: Clock = system_clock, argv: list[str] | None = None) -> int:
    """Open the database at `target` (creating it if new) and run the app until it quits."""
    from deckfollow.core.errors import DeckfollowError

    app = make_application(argv)
    try:
        from deckfollow.storage.database import open_database

        db = open_database(target, create=True)
    except DeckfollowError as exc:
        QMessageBox.critical(None, "deckfollow cannot open its database", str(exc))
        return 1

    from deckfollow.core.cadences import seed_builtin_cadences
    from deckfollow.ui.features import install_features
    from deckfollow.ui.main_window import MainWindow

    with db.unit_of_work() as session:
        seed_builtin_cadences(session)
    window = MainWindow(db, clock=clock)
    install_features(window, db, clock)
    window.restore_last_page()
    window.show()
    # Data loads after the first paint so the window appears at once.
    QTimer.singleShot(0, window.refresh)
    QTimer.singleShot(0, lambda: offer_welcome(window, db, clock))
    try:
        return app.exec()
    finally:
        db.close()
