"""Small pieces the consent dialogs share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from deckfollow.core.consent import ConsentScreenCustomer, consent_screen_customer
from deckfollow.core.enums import LedgerSource
from deckfollow.core.errors import DeckfollowError
from deckfollow.ui.formatting import full_date_time_text
from deckfollow.ui.operations import Operations
from deckfollow.ui.theme import active_theme


class ErrorLabel(QLabel):
    """An inline, specific message in red; empty and hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("errorLabel")
        self.setStyleSheet(f"color: {active_theme().error_text}; font-weight: 600;")
        self.hide()

    def show_error(self, exc: DeckfollowError | str) -> None:
        self.setText(str(exc))
        self.show()

    def clear_error(self) -> None:
        self.setText("")
        self.hide()


def source_combo(
    parent: QWidget | None = None, default: LedgerSource = LedgerSource.CALL
) -> QComboBox:
    """How the customer told us, from the ledger's fixed list (the evidence must be exact);
    `currentData()` is the LedgerSource."""
    box = QComboBox(parent)
    for source in LedgerSource:
        box.addItem(source.value.capitalize(), source)
    box.setCurrentIndex(box.findData(default))
    return box


def chosen_source(box: QComboBox) -> str:
    """The ledger source picked in a `source_combo`."""
    return LedgerSource(box.currentData()).value


def local_text(dt: datetime | None, tz: str) -> str:
    """A moment on the owner's clock, with the customer's (`tz`) beside it when it differs."""
    return full_date_time_text(dt, tz) if dt else ""


def open_once_read(
    screen: QWidget,
    ops: Operations,
    customer_id: int,
    waiting: Iterable[QWidget],
    *,
    fill: Callable[[ConsentScreenCustomer], object],
    failed: Callable[[DeckfollowError], object],
) -> None:
    """A consent screen's opening: the `waiting` widgets stay shut (what is typed
    elsewhere meanwhile stays) while who the customer is is read on the window's
    database thread; once it has arrived they open and `fill(customer)` shows it."""
    shut = tuple(waiting)
    for widget in shut:
        widget.setEnabled(False)

    def arrived(customer: ConsentScreenCustomer) -> None:
        for widget in shut:
            widget.setEnabled(True)
        fill(customer)

    ops.run_query(
        screen,
        lambda s: consent_screen_customer(s, customer_id),
        success=arrived,
        failure=failed,
    )
