"""Where each feature's dialogs and pages join the main window: menus, pages, shortcuts.

Kept out of main_window.py so the window stays a frame and every feature is wired in one
readable place. Dialog modules are imported when first used, so start-up stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from deckfollow.core.clock import Clock
from deckfollow.core.due import DueItem
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.team.server_away import open_when_server_back

T = TypeVar("T")


def _open(dialog: QDialog, closed: Callable[[int], object] | None = None) -> None:
    """Open a dialog over the window, run `closed(result)` once it is closed, then let Qt
    delete it: a dialog parented to the window would otherwise live (and hold its data)
    until the app quits. Opened, not run with a loop of its own, so the window keeps
    receiving the database's answers while the user works in it."""

    def finished(result: int) -> None:
        try:
            if closed is not None:
                closed(result)
        finally:
            dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()


def _if_accepted(result: int, done: Callable[[], object]) -> None:
    if result == QDialog.DialogCode.Accepted:
        done()


def _opening(window: MainWindow, opener: Callable[[], T], text: str) -> T | None:
    """Open what `opener` opens; while the team server is away, once it is back."""
    what = f"“{text.replace('&', '').rstrip('…').strip()}”"
    return open_when_server_back(window, opener, what=what)


def _action(
    window: MainWindow,
    menu: str,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | str | None = None,
) -> QAction:
    action = QAction(text, window)
    action.triggered.connect(lambda _checked=False: _opening(window, slot, text))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        # Reachable from every page and every focused widget of the window.
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    window.menu(menu).addAction(action)
    return action


def install_features(window: MainWindow, db: Store, clock: Clock) -> None:
    """Add every feature's menu entries, pages and Today's actions to `window`."""
    from deckfollow.core.changes import EVERYTHING

    # For the dialogs that still save on their own and say only that they did: every page
    # may have changed.
    def changed() -> None:
        window.ops.announce(EVERYTHING)

    # -- File -------------------------------------------------------------------------------
    file_menu = window.menu("File")
    # New entries go above Quit, which the window puts in the File menu.
    first = file_menu.actions()[0]

    def new_lead() -> None:
        from deckfollow.ui.new_lead import NewLeadDialog

        dialog = NewLeadDialog(window.ops, clock=clock, parent=window)
        dialog.created.connect(lambda _id: remind_now())
        dialog.created.connect(lambda _id: lead_added(dialog.customer_id))
        _open(dialog)

    def lead_added(customer_id: int | None) -> None:
        # Over the Customers page the list highlights whom the lead is for (new, or the
        # existing customer chosen instead of a duplicate) and the details show them.
        if customer_id is not None and window.stack.currentWidget() is window.customers:
            window.customers.show_added(customer_id)

    def remind_now() -> None:
        """A new lead's first reply is due now: its reminder should not wait for the timer."""
        reminders = getattr(window, "reminders", None)
        check = getattr(reminders, "check_now", None)
        if callable(check):
            QTimer.singleShot(0, check)

    lead = QAction("&New lead…", window)
    lead.setShortcut(QKeySequence.StandardKey.New)
    lead.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    lead.triggered.connect(lambda _checked=False: _opening(window, new_lead, "New lead"))
    file_menu.insertAction(first, lead)

    def quote_dialog(quote_id: int | None = None) -> None:
        from deckfollow.ui.quote_editor import QuoteDialog

        if quote_id is None and window.stack.currentWidget() is not window.quotes:
            window.show_page("quotes")  # where the new quote will be found
        dialog = QuoteDialog(db, clock=clock, quote_id=quote_id, parent=window)

        def closed(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.quote_id is not None:
                changed()
                window.open_quote(dialog.quote_id)

        _open(dialog, closed)

    def edit_current_quote() -> None:
        if window.current_quote_id is None:
            window.statusBar().showMessage(
                "Select a quote on the board or in the list first.", 5000
            )
            return
        quote_dialog(window.current_quote_id)

    new_quote = QAction("New &quote…", window)
    new_quote.setShortcut(QKeySequence("Ctrl+Shift+N"))
    new_quote.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    new_quote.triggered.connect(lambda _checked=False: _opening(window, quote_dialog, "New quote"))
    file_menu.insertAction(first, new_quote)
    window.quotes.new_quote_requested.connect(lambda: _opening(window, quote_dialog, "New quote"))
    window.quotes.edit_quote_requested.connect(
        lambda quote_id: _opening(window, lambda: quote_dialog(quote_id), "Edit quote")
    )

    def import_contacts() -> None:
        from deckfollow.ui.importer import ImportWizard

        wizard = ImportWizard(db, clock=clock, parent=window)
        wizard.imported.connect(lambda _n: changed())
        _open(wizard)

    def export_csv() -> None:
        from deckfollow.ui.importer import export_customers_csv

        export_customers_csv(window, db)

    def export_json() -> None:
        from deckfollow.ui.importer import export_everything_json

        export_everything_json(window, db, clock)

    def export_vcards() -> None:
        from deckfollow.ui.importer import export_vcard

        export_vcard(window, db)

    def export_calendar() -> None:
        from deckfollow.ui.reminders import ask_and_export_calendar

        ask_and_export_calendar(
            db,
            clock=clock,
            parent=window,
            said=lambda said: window.statusBar().showMessage(said, 8000),
        )

    for text, slot in (
        ("&Import contacts…", import_contacts),
        ("Export customers and quotes as &CSV…", export_csv),
        ("Export contacts as &vCard…", export_vcards),
        ("Export &everything as JSON…", export_json),
        ("Export follow-ups to a ca&lendar…", export_calendar),
    ):
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False, s=slot, t=text: _opening(window, s, t))
        file_menu.insertAction(first, action)
    file_menu.insertSeparator(first)

    def remove_sample() -> None:
        from deckfollow.ui.sample_data import remove_sample_data_asking

        remove_sample_data_asking(
            window, window.ops, clock, lambda said: window.statusBar().showMessage(said, 8000)
        )

    remove_action = QAction("&Remove sample data…", window)
    remove_action.setObjectName("remove_sample_data")
    remove_action.triggered.connect(lambda _checked=False: remove_sample())
    file_menu.insertAction(first, remove_action)
    file_menu.insertSeparator(first)

    def offer_removal() -> None:
        """Shown while there is sample data to remove (the welcome points here)."""
        from deckfollow.ui.sample_data import show_if_sample_data

        show_if_sample_data(window.ops, window, remove_action.setVisible)

    file_menu.aboutToShow.connect(offer_removal)

    # -- Edit -------------------------------------------------------------------------------
    def trash() -> None:
        from deckfollow.ui.backups import TrashDialog

        _open(TrashDialog(db, clock=clock, parent=window), lambda _result: changed())

    _action(window, "Edit", "&Edit quote…", edit_current_quote, "Ctrl+E")
    to_trash = _action(window, "Edit", "Move quote to the &trash", window.trash_current_quote)
    # Window-wide, not application-wide: Delete in a text field must still delete text.
    to_trash.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    _action(window, "Edit", "Move &customer to the trash…", window.trash_current_customer)
    _action(window, "Edit", "&Trash…", trash)

    # -- Tools ------------------------------------------------------------------------------
    def write_card(customer_id: int | None = None) -> None:
        from deckfollow.ui.cards import CardsDialog

        _open(CardsDialog(db, clock=clock, parent=window, customer_id=customer_id))

    def card_batch() -> None:
        from deckfollow.ui.cards import CardBatchDialog

        dialog = CardBatchDialog(db, clock=clock, parent=window)
        dialog.mailed.connect(
            lambda _c: window.statusBar().showMessage(dialog.mail_status.text(), 10000)
        )
        _open(dialog)

    def templates() -> None:
        from deckfollow.ui.messaging import TemplateLibraryDialog

        _open(TemplateLibraryDialog(db, clock=clock, parent=window))

    def follow_up_plans() -> None:
        from deckfollow.ui.consent.cadences import CadenceDialog

        _open(CadenceDialog(db, clock=clock, parent=window), lambda _result: changed())

    _action(window, "Tools", "Cards to send this &week…", card_batch)
    _action(window, "Tools", "Write a &card…", write_card)
    _action(window, "Tools", "Scripts and &templates…", templates)
    _action(window, "Tools", "Follow-up &plans…", follow_up_plans)

    # -- Settings ---------------------------------------------------------------------------
    def email_settings() -> None:
        from deckfollow.ui.messaging import SmtpSettingsDialog

        _open(SmtpSettingsDialog(db, parent=window))

    def text_settings() -> None:
        from deckfollow.ui.messaging.sms_settings import show_sms_settings

        show_sms_settings(window.ops, window)

    def reply_settings() -> None:
        from deckfollow.ui.messaging.inbox_settings import show_inbox_settings

        show_inbox_settings(window.ops, window, saved=lambda _c: changed())

    def reminder_settings() -> None:
        from deckfollow.ui.reminders import ReminderSettingsWidget

        _page_dialog(window, "Reminders", ReminderSettingsWidget(db, clock=clock))

    def backups() -> None:
        from deckfollow.ui.backups import BackupsPage

        _page_dialog(window, "Backups", BackupsPage(db, clock=clock), closed=changed)

    def business() -> None:
        from deckfollow.ui.owner_settings import show_owner_settings

        show_owner_settings(window.ops, window)

    _action(window, "Settings", "Your &business…", business)
    _action(window, "Settings", "&Email account…", email_settings)
    _action(window, "Settings", "&Texts (SMS provider)…", text_settings)
    _action(window, "Settings", "Re&plies from your inbox…", reply_settings)
    _action(window, "Settings", "&Reminders and start at login…", reminder_settings)
    _action(window, "Settings", "&Backups…", backups)

    def team() -> None:
        from deckfollow.ui.team.settings_page import TeamSettingsDialog, request_switch

        dialog = TeamSettingsDialog(db, parent=window)

        def closed(_result: int) -> None:
            if dialog.switch_target is not None:
                request_switch(window, dialog.switch_target)

        _open(dialog, closed)

    _action(window, "Settings", "T&eam…", team)

    # -- Help -------------------------------------------------------------------------------
    from deckfollow.ui.help_menu import install_help_menu

    install_help_menu(window, window.menu("Help"), db.path)

    # -- Today's one-click actions ------------------------------------------------------------
    today = window.today

    # Follow-ups whose screen is being read: a double click opens it once, not twice.
    opening: set[int] = set()

    def act(follow_up_id: int, done: Callable[[], object]) -> None:
        from deckfollow.ui.messaging import act_on_follow_up

        if follow_up_id in opening:
            return
        opening.add(follow_up_id)
        # Opened once who it is about has been read; `done` once it was logged.
        _opening(
            window,
            lambda: act_on_follow_up(
                db,
                follow_up_id,
                clock=clock,
                parent=window,
                done=done,
                settled=lambda: opening.discard(follow_up_id),
            ),
            "the follow-up",
        )

    def snooze(follow_up_id: int, done: Callable[[], object]) -> None:
        from deckfollow.ui.reminders import SnoozeDialog

        def run() -> None:
            dialog = SnoozeDialog(db, follow_up_id, clock=clock, parent=window)
            _open(dialog, lambda result: _if_accepted(result, done))

        _opening(window, run, "Snooze")

    def log_outcome(item: DueItem, done: Callable[[], object]) -> None:
        from deckfollow.ui.log_outcome import open_log_outcome

        def run() -> None:
            open_log_outcome(
                db,
                clock=clock,
                parent=window,
                opened=lambda dialog: _open(dialog, lambda result: _if_accepted(result, done)),
                follow_up_id=item.follow_up_id,
                quote_id=item.quote_id,
                customer_id=item.customer_id,
            )

        _opening(window, run, "Log outcome")

    def card_for(customer_id: int) -> None:
        _opening(window, lambda: write_card(customer_id), "Write a card")

    today.act = act
    today.write_card = card_for
    today.snooze = snooze
    today.log_outcome = log_outcome


def _page_dialog(
    window: MainWindow, title: str, page: object, closed: Callable[[], object] | None = None
) -> None:
    """Show a settings page in its own dialog with a Close button; `closed()` once closed."""
    from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout, QWidget

    assert isinstance(page, QWidget)
    dialog = QDialog(window)
    dialog.setWindowTitle(title)
    dialog.setMinimumSize(620, 460)
    layout = QVBoxLayout(dialog)
    layout.addWidget(page, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    _open(dialog, None if closed is None else lambda _result: closed())
