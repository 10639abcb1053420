"""The team server goes away while a dialog is open: what was typed stays, the dialog and
the banner say so, Save waits, and once the server is back it saves exactly what was typed
by itself (or, cancelled meanwhile, nothing). A dialog opened while the server is away says
so and opens once it is back; a read for an open dialog fills it in once it is back.

The server is cut off by a relay in front of the real PostgreSQL server: every open
connection drops and new ones are refused, as when the server stops or the network goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.changes import Changes
from deckfollow.core.consent import consent_overview
from deckfollow.core.enums import Outcome
from deckfollow.core.errors import ServerAwayError
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.models import Customer, Touch
from deckfollow.core.quotes import quote_details
from deckfollow.core.settings import load_settings, set_setting
from deckfollow.core.unit_of_work import Session
from deckfollow.storage.database import Database, open_database
from deckfollow.ui import operations
from deckfollow.ui.consent.stop import StopContactDialog
from deckfollow.ui.customer_detail import DetailPanel
from deckfollow.ui.features import install_features
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.new_lead import NewLeadDialog
from deckfollow.ui.operations import Operations
from deckfollow.ui.owner_settings import OwnerSettingsDialog
from deckfollow.ui.quote_editor import QuoteDialog
from deckfollow.ui.team.server_away import (
    WaitingDialog,
    error_text,
    open_when_server_back,
    server_watch,
)
from deckfollow.ui.team.server_banner import ServerBanner
from tests.storage.pg_proxy import Relay, relay_to
from tests.ui.conftest import close_operations
from tests.ui.messaging.screens import log_outcome_dialog
from tests.ui.waiting import settle, wait_idle

BACK = 15_000  # ms: the watch probes every two seconds


@pytest.fixture
def away(pg_url: str, pg: Database) -> Iterator[tuple[Relay, Database]]:
    """The module's server (emptied after each test, `pg`) behind a relay that can cut it."""
    with relay_to(pg_url) as (relay, url):
        db = open_database(url)
        server_watch().watch(url)  # as the window's live listener tells it
        yield relay, db
        relay.restore()
        close_operations()
        db.close()
    server_watch().set_state(True)


@pytest.fixture
def lead(away: tuple[Relay, Database], now: datetime) -> LeadCreated:
    _relay, db = away
    with db.unit_of_work() as s:
        return add_lead(
            s,
            NewLead("Grace Hopper", phone="+61412000111", country="AU", answered=True),
            now=now,
        )


def _note(dialog: QDialog) -> QLabel | None:
    return dialog.findChild(QLabel, "team_server_away_note")


def _noted(dialog: QDialog) -> bool:
    note = _note(dialog)
    return note is not None and note.isVisible()


def _says_waiting(dialog: QDialog) -> str:
    note = _note(dialog)
    assert note is not None and note.isVisible(), "the dialog says it is waiting"
    said = note.text()
    assert "Can't reach the team server" in said and "saved as soon as" in said
    assert "psycopg" not in said and "Error" not in said and "postgresql" not in said
    return said


def test_the_quote_dialog_keeps_its_text_and_saves_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    banner = ServerBanner(db.display)
    qtbot.addWidget(banner)
    ops = Operations(db)  # the window's database thread: it reads and saves for the dialog
    dialog = QuoteDialog(db, clock=lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.form is not None)
    label = dialog.save_button.text()
    dialog.amount.setText("4850")
    relay.cut()
    dialog.save()
    qtbot.waitUntil(lambda: _noted(dialog), timeout=BACK)
    assert dialog.isVisible(), "the dialog stays open"
    assert dialog.amount.text() == "4850", "what was typed is kept"
    _says_waiting(dialog)
    assert not dialog.save_button.isEnabled()
    assert not banner.isHidden() and "Can't reach the team server" in banner.label.text()
    relay.restore()
    # Saved by itself once the server answers, and closed.
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=BACK)
    assert dialog.save_button.text() == label
    qtbot.waitUntil(ops.is_idle)
    ops.close()
    assert banner.isHidden()
    with db.reading() as s:
        assert quote_details(s, lead.quote_id).amount == Decimal("4850.00")


def test_the_log_outcome_dialog_keeps_the_note_and_logs_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    dialog = log_outcome_dialog(db, lambda: now, quote_id=lead.quote_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.REACHED.value))
    dialog.note.setPlainText("Wants merbau, not treated pine")
    dialog.close_quote.setChecked(True)
    dialog.lost.setChecked(True)
    dialog.lost_reason.setText("went with a cheaper quote")
    assert dialog.ok_button.isEnabled()
    relay.cut()
    dialog.save()
    settle(qtbot, operations.current())  # the save found the server away
    assert dialog.isVisible()
    assert dialog.note.toPlainText() == "Wants merbau, not treated pine"
    assert dialog.lost_reason.text() == "went with a cheaper quote"
    _says_waiting(dialog)
    assert not dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.logged, timeout=BACK):
        relay.restore()
    assert not dialog.isVisible()
    with db.reading() as s:
        notes = list(s.execute(select(Touch.summary)).scalars())
    assert "Wants merbau, not treated pine" in notes


def _new_lead(
    ops: Operations, now: datetime, _lead: LeadCreated
) -> tuple[QDialog, Callable[[], None]]:
    dialog = NewLeadDialog(ops, clock=lambda: now)
    dialog.name.setText("Ada Lovelace")
    dialog.phone.setText("+61412000999")
    return dialog, dialog.save


def _lead_saved(db: Database, _lead: LeadCreated) -> bool:
    with db.reading() as s:
        return "Ada Lovelace" in s.execute(select(Customer.display_name)).scalars().all()


def _stop(ops: Operations, now: datetime, lead: LeadCreated) -> tuple[QDialog, Callable[[], None]]:
    dialog = StopContactDialog(ops.store, lead.customer_id, clock=lambda: now)
    wait_idle(ops)  # who it is about is read before Stop can be pressed
    assert dialog.stop_button.isEnabled()
    dialog.words.setPlainText("Please don't contact me again")
    return dialog, dialog.save


def _stopped(db: Database, lead: LeadCreated) -> bool:
    with db.reading() as s:
        return consent_overview(s, lead.customer_id).do_not_contact


def _business(
    ops: Operations, now: datetime, _lead: LeadCreated
) -> tuple[QDialog, Callable[[], None]]:
    with ops.store.reading() as s:
        current = load_settings(s)
    dialog = OwnerSettingsDialog(ops, current)
    dialog.business_name.setText("Hardwood Decks & Pergolas")
    return dialog, dialog.save


def _business_saved(db: Database, _lead: LeadCreated) -> bool:
    with db.reading() as s:
        return load_settings(s).business_name == "Hardwood Decks & Pergolas"


DIALOGS = {
    "new lead": (_new_lead, _lead_saved),
    "stop contact": (_stop, _stopped),
    "your business": (_business, _business_saved),
}


@pytest.mark.parametrize("which", DIALOGS)
def test_a_dialog_saving_while_the_server_is_away_saves_once_it_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime, which: str
) -> None:
    relay, db = away
    make, saved = DIALOGS[which]
    ops = Operations(db)
    dialog, save = make(ops, now, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    relay.cut()
    save()
    qtbot.waitUntil(lambda: _noted(dialog), timeout=BACK)
    assert dialog.isVisible(), "still open, with what was typed"
    _says_waiting(dialog)
    relay.restore()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=BACK)
    qtbot.waitUntil(ops.is_idle)
    ops.close()
    assert saved(db, lead)


@pytest.mark.parametrize("which", DIALOGS)
def test_cancelling_a_waiting_dialog_saves_nothing_when_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime, which: str
) -> None:
    relay, db = away
    make, saved = DIALOGS[which]
    ops = Operations(db)
    dialog, save = make(ops, now, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    relay.cut()
    save()
    qtbot.waitUntil(lambda: _noted(dialog), timeout=BACK)
    dialog.reject()
    relay.restore()
    qtbot.waitUntil(lambda: server_watch().up, timeout=BACK)
    qtbot.waitUntil(ops.is_idle)
    ops.close()
    assert not saved(db, lead)


def _read_then_stop(db: Database, lead: LeadCreated, now: datetime) -> StopContactDialog:
    """An opener that reads before its dialog can show (as the customers page's "New
    customer" still does), then opens the stop screen."""
    with db.reading() as s:
        consent_overview(s, lead.customer_id)
    return StopContactDialog(db, lead.customer_id, clock=lambda: now)


def test_a_dialog_opened_while_the_server_is_away_opens_once_it_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    ops = Operations(db)  # the window's database thread: the dialog's own read runs there
    relay.cut()
    seen: list[str] = []

    def look() -> None:
        waiting = [w for w in QApplication.topLevelWidgets() if isinstance(w, WaitingDialog)]
        if not waiting or not waiting[0].isVisible():
            QTimer.singleShot(50, look)
            return
        said = waiting[0].label.text()
        seen.append(said)
        relay.restore()

    def opener() -> StopContactDialog:
        dialog = _read_then_stop(db, lead, now)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    QTimer.singleShot(0, look)
    opened = open_when_server_back(None, opener, what="Stop contact")
    assert seen and "Can't reach the team server" in seen[0] and "opens by itself" in seen[0]
    assert "psycopg" not in seen[0] and "postgresql" not in seen[0]
    assert opened is not None and opened.isVisible()
    settle(qtbot, ops)  # and fills in with who it is about
    assert opened.windowTitle() == "Stop contact: Grace Hopper"
    assert opened.stop_button.isEnabled() and not _noted(opened)
    ops.close()


def test_a_dialog_whose_read_finds_the_server_away_fills_in_once_it_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    ops = Operations(db)
    relay.cut()
    dialog = StopContactDialog(db, lead.customer_id, clock=lambda: now)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: _noted(dialog), timeout=BACK)
    note = _note(dialog)
    assert note is not None
    said = note.text()
    assert "Can't reach the team server" in said and "fills in by itself" in said
    assert "psycopg" not in said and "postgresql" not in said
    # Nothing guessed meanwhile: no name, no count, and Stop cannot be pressed.
    assert dialog.windowTitle() == "Stop contact" and dialog.effect.text() == ""
    assert not dialog.stop_button.isEnabled()
    dialog.words.setPlainText("Please don't contact me again")
    relay.restore()
    qtbot.waitUntil(dialog.stop_button.isEnabled, timeout=BACK)
    assert dialog.windowTitle() == "Stop contact: Grace Hopper" and not _noted(dialog)
    assert "cancels" in dialog.effect.text()
    assert dialog.words.toPlainText() == "Please don't contact me again", "typed text kept"
    settle(qtbot, ops)
    ops.close()


def test_a_waiting_open_can_be_cancelled(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    relay.cut()

    def cancel() -> None:
        waiting = [w for w in QApplication.topLevelWidgets() if isinstance(w, WaitingDialog)]
        if not waiting or not waiting[0].isVisible():
            QTimer.singleShot(50, cancel)
            return
        waiting[0].reject()

    QTimer.singleShot(0, cancel)
    opened = open_when_server_back(None, lambda: _read_then_stop(db, lead, now))
    assert opened is None


class _Form(QDialog):
    """A dialog on the window's operations: reads its business name, saves a new one."""

    def __init__(self, ops: Operations) -> None:
        super().__init__()
        self.ops = ops
        self.label = QLabel("…")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.buttons)
        self.typed = ""

    def load(self) -> None:
        self.ops.run_query(
            self, lambda s: load_settings(s).business_name, success=self.label.setText
        )

    def save(self) -> None:
        typed = self.typed

        def op(s: Session) -> Changes:
            set_setting(s, "business_name", typed)
            return Changes(settings=True)

        self.ops.run_change(self, op, success=lambda _c: self.accept())


def test_the_operations_path_fills_in_and_saves_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database]
) -> None:
    relay, db = away
    with db.unit_of_work() as s:
        set_setting(s, "business_name", "Before")
    ops = Operations(db)
    form = _Form(ops)
    qtbot.addWidget(form)
    form.show()
    relay.cut()
    form.load()
    qtbot.waitUntil(lambda: _noted(form), timeout=BACK)
    note = _note(form)
    assert note is not None and "fills in by itself" in note.text()
    assert form.label.text() == "…"
    relay.restore()
    qtbot.waitUntil(lambda: form.label.text() == "Before", timeout=BACK)
    assert not note.isVisible()
    qtbot.waitUntil(ops.is_idle)
    form.typed = "After"
    relay.cut()
    form.save()
    qtbot.waitUntil(lambda: _noted(form), timeout=BACK)
    assert form.isVisible()
    relay.restore()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=BACK)
    qtbot.waitUntil(ops.is_idle)
    ops.close()
    with db.reading() as s:
        assert load_settings(s).business_name == "After"


def test_the_banner_names_the_server_as_its_members_know_it(qtbot: QtBot) -> None:
    banner = ServerBanner("postgresql+psycopg://alice:s3cret@db.example.com/deckfollow")
    qtbot.addWidget(banner)
    watch = server_watch()
    try:
        banner.show_state(False, "connection refused")
        said = banner.label.text()
        assert said.startswith("Can't reach the team server db.example.com (deckfollow)")
        assert ": the connection was refused — retrying…" in said and "Last reached at" in said
        # The driver's own words never reach the banner.
        banner.show_state(False, "consuming input failed: server closed the connection")
        said = banner.label.text()
        assert ": the connection dropped — retrying…" in said and "consuming" not in said
        assert "alice" not in said and "s3cret" not in said and "postgresql" not in said
        assert not banner.isHidden()
        # An unusual port is part of how the server is known.
        watch.name_server("postgresql+psycopg://bob@10.0.0.5:6543/office")
        assert "10.0.0.5:6543 (office)" in watch.away_line()
        # Anything left to the app's last resort says the same, never the URL.
        line = error_text(ServerAwayError("cannot reach the database postgresql+psycopg://x"))
        assert "Can't reach the team server 10.0.0.5:6543 (office)" in line
        assert "postgresql" not in line
    finally:
        watch.set_state(True)
    assert banner.isHidden()


def test_the_customer_s_details_edited_in_place_are_saved_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    ops = Operations(db)  # the window's database thread: the panel reads and saves there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.resize(640, 900)
    panel.show()
    panel.show_quote(lead.quote_id)
    settle(qtbot, ops)
    email = panel.fields["email"]
    assert isinstance(email, QLineEdit)
    email.clear()
    QTest.keyClicks(email, "grace.hopper@navy.example.org")
    relay.cut()
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # Sent to the database thread: nothing more is typed or saved until it answers.
    assert email.isReadOnly() and not panel.save_button.isEnabled()
    qtbot.waitUntil(ops.is_idle, timeout=BACK)
    assert email.text() == "grace.hopper@navy.example.org", "what was typed is kept"
    assert not email.isReadOnly(), "and can be typed on while the save waits"
    assert panel.save_button.text() == "Waiting for the team server…"
    said = panel.contact_error.text()
    assert said.startswith("Can't reach the team server") and "saved as soon as" in said
    assert "postgresql" not in said
    assert not panel.save_button.isEnabled()
    with qtbot.waitSignal(panel.changed, timeout=BACK):
        relay.restore()
    with db.reading() as s:
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None and customer.email == "grace.hopper@navy.example.org"


def test_someone_picked_in_the_details_while_the_server_is_away_fills_in_once_it_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    with db.unit_of_work() as s:
        ada = add_lead(s, NewLead("Ada Lovelace", phone="+61412000222", country="AU"), now=now)
    ops = Operations(db)  # the window's database thread: the panel reads there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_quote(lead.quote_id)
    settle(qtbot, ops)
    assert panel.name_label.text() == "Grace Hopper"
    relay.cut()
    panel.show_quote(ada.quote_id)
    # Grace is no longer shown as if she were the one picked; the panel says why it is empty.
    qtbot.waitUntil(panel.empty_label.isVisible, timeout=BACK)
    said = panel.empty_label.text()
    assert said.startswith("Can't reach the team server") and "fills in by itself" in said
    assert "postgresql" not in said
    relay.restore()
    qtbot.waitUntil(lambda: panel.name_label.text() == "Ada Lovelace", timeout=BACK)
    assert not panel.empty_label.isVisible()
    settle(qtbot, ops)
    ops.close()


def test_a_menu_entry_chosen_while_the_server_is_away_opens_once_it_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    relay, db = away
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    install_features(win, db, lambda: now)
    win.show()
    qtbot.waitUntil(win.ops.is_idle)
    relay.cut()
    action = next(
        a for a in win.menu("Settings").actions() if a.text().replace("&", "") == "Your business…"
    )
    action.trigger()
    # The window says the server is away, naming it, and nothing opens half-read.
    banner = win.server_banner
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=BACK)
    assert banner.label.text().startswith("Can't reach the team server 127.0.0.1")
    assert not _shown(OwnerSettingsDialog)
    relay.restore()
    qtbot.waitUntil(lambda: bool(_shown(OwnerSettingsDialog)), timeout=BACK)
    business = _shown(OwnerSettingsDialog)[0]
    assert isinstance(business, OwnerSettingsDialog)
    assert business.business_name.isEnabled()
    business.reject()
    win.close()


def _shown(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@pytest.mark.qt_no_exception_capture
def test_a_read_left_uncaught_while_away_says_so_in_the_status_bar_not_raw(
    qtbot: QtBot, away: tuple[Relay, Database], now: datetime
) -> None:
    import sys

    from deckfollow.ui.app import install_error_dialog

    _relay, db = away
    win = MainWindow(db, clock=lambda: now)
    qtbot.addWidget(win)
    saved_hook = sys.excepthook
    try:
        install_error_dialog(win)
        raw = "cannot reach the database postgresql+psycopg://deckfollow@127.0.0.1/deckfollow"
        try:
            raise ServerAwayError(raw)
        except ServerAwayError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = saved_hook
    said = win.statusBar().currentMessage()
    assert said.startswith("Can't reach the team server 127.0.0.1") and "postgresql" not in said
    assert QApplication.activeModalWidget() is None, "no box to close for each refresh"
    assert not server_watch().up  # the banner says it and keeps retrying
    win.close()


def test_the_details_call_button_opens_the_call_screen_once_the_server_is_back(
    qtbot: QtBot, away: tuple[Relay, Database], lead: LeadCreated, now: datetime
) -> None:
    from deckfollow.core.enums import Channel
    from deckfollow.ui.messaging.call import CallDialog

    relay, db = away
    ops = Operations(db)  # the window's database thread: the call screen is read there
    panel = DetailPanel(db, clock=lambda: now)
    qtbot.addWidget(panel)
    panel.show_quote(lead.quote_id)
    settle(qtbot, ops)
    relay.cut()
    panel.open_contact(Channel.CALL)
    qtbot.waitUntil(lambda: not server_watch().up, timeout=BACK)
    assert not panel.findChildren(CallDialog), "nothing opens while the server is away"
    assert panel.contact_error.isHidden(), "no error: it opens once the server is back"
    relay.restore()
    qtbot.waitUntil(lambda: bool(panel.findChildren(CallDialog)), timeout=BACK)
    [call] = panel.findChildren(CallDialog)
    assert call.target.customer_id == lead.customer_id
    call.close()
    qtbot.waitUntil(lambda: not panel.findChildren(QDialog))
    qtbot.waitUntil(ops.is_idle)
    ops.close()
