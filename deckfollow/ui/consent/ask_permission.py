""" "OK to check in Thursday?": record an agreed follow-up while talking to the customer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.clock_format import clocks_agree, hours_text
from deckfollow.core.consent import ConsentScreenCustomer
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.followups import agree_follow_up, agreed_plan
from deckfollow.core.permission import ContactSnapshot, channel_decision
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import (
    ErrorLabel,
    chosen_source,
    open_once_read,
    source_combo,
)
from deckfollow.ui.formatting import (
    owner_zone,
    readable_date_edit,
    readable_time_edit,
)
from deckfollow.ui.qt_values import pydate, qdate
from deckfollow.ui.their_time_label import TheirTimeLabel
from deckfollow.ui.theme import active_theme

CHANNEL_LABELS = {
    Channel.CALL: "Call",
    Channel.TEXT: "Text",
    Channel.EMAIL: "Email",
    Channel.CARD: "Card (post)",
    Channel.VISIT: "Visit",
    Channel.VIDEO: "Video message",
}


@dataclass(frozen=True)
class _Agreed:
    follow_up_id: int
    changes: Changes = field(default_factory=lambda: Changes(follow_ups=True, consent=True))


class AskPermissionDialog(QDialog):
    """Agreed day and time window, channel, reason and the customer's own words.

    Saving records an *agreed* follow-up and its ledger entry in one transaction.
    `saved` carries the core's Changes; `follow_up_id` holds the new follow-up. The
    customer is read, and the follow-up recorded, on the window's database thread; the
    fields open for typing once the read has arrived (`loaded`).
    """

    saved = Signal(object)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        customer_id: int,
        quote_id: int | None = None,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("asking permission needs the operations of an open database")
        self._ops, self._customer_id, self._quote_id, self._clock = (
            ops,
            customer_id,
            quote_id,
            clock,
        )
        self.follow_up_id: int | None = None
        self._snap: ContactSnapshot | None = None  # the customer, once read
        self.setWindowTitle("Ask permission")
        self.setMinimumWidth(520)

        self.intro = intro = QLabel()
        intro.setWordWrap(True)
        self.hours = hours = QLabel()
        hours.setWordWrap(True)
        hours.setStyleSheet(f"color: {active_theme().muted_text};")

        self.channel = QComboBox()
        for ch, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, ch.value)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        readable_date_edit(self.day, weekday=True)
        self.start = QTimeEdit(QTime(10, 0))
        self.end = QTimeEdit(QTime(11, 0))
        for t in (self.start, self.end):
            readable_time_edit(t)
        # One clock: the window is typed on the owner's clock, the customer's beside it.
        self.their_time = TheirTimeLabel()
        window = QHBoxLayout()
        window.addWidget(self.start)
        window.addWidget(QLabel("to"))
        window.addWidget(self.end)
        window.addWidget(self.their_time)
        window.addStretch(1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("The reason I'm calling is … (e.g. to go over the colours)")
        self.words = QPlainTextEdit()
        self.words.setPlaceholderText('What they said, e.g. "Sure, check in Thursday after five"')
        self.words.setFixedHeight(64)
        self.source = source_combo()
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet(f"color: {active_theme().warning_text};")
        self.reopen = QCheckBox("They are re-opening this channel (their words above)")

        form = QFormLayout()
        form.addRow("Channel", self.channel)
        form.addRow("Day", self.day)
        form.addRow("Time window", window)
        form.addRow("Reason", self.reason)
        form.addRow("Their words", self.words)
        form.addRow("How they said it", self.source)

        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            "Record agreed follow-up", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(hours)
        layout.addLayout(form)
        layout.addWidget(self.blocked)
        layout.addWidget(self.reopen)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.day.dateChanged.connect(self._show_their_time)
        self.start.timeChanged.connect(self._show_their_time)
        self.end.timeChanged.connect(self._show_their_time)
        self.blocked.hide()
        self.reopen.hide()
        fields = (self.channel, self.day, self.start, self.end, self.reason, self.words)
        open_once_read(
            self,
            ops,
            customer_id,
            (*fields, self.source, self.save_button),
            fill=self._fill,
            failed=self.error.show_error,
        )

    def _fill(self, customer: ConsentScreenCustomer) -> None:
        """Show who it is and their hours: the fields are open for typing."""
        snap = self._snap = customer.snap
        self.setWindowTitle(f"Ask permission: {snap.name}")
        now = self._clock()
        apart = not clocks_agree(now, owner_zone(), snap.hours.tz)
        self.intro.setText(
            f"Agree the next contact with <b>{snap.name}</b> now: when, how and why. "
            + (
                f"Times are on your clock, with theirs (<b>{snap.timezone}</b>) beside them."
                if apart
                else "Times are on your clock."
            )
        )
        self.hours.setText(
            f"Their usual hours{', their time' if apart else ''}: "
            f"{hours_text(snap.hours.hours.description) or 'any time'}. "
            "A time they agree to is their own choice and stands."
        )
        today = now.astimezone(ZoneInfo(owner_zone())).date()
        self.day.setMinimumDate(qdate(today))
        self.day.setDate(qdate(today + timedelta(days=1)))
        if customer.preferred is not None:
            self.channel.setCurrentIndex(max(0, self.channel.findData(customer.preferred.value)))
        self._channel_changed()
        self._show_their_time()
        # The words read in arrive after the dialog showed: grow to fit them, never squeeze
        # the fields below.
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        self.reason.setFocus()
        self.loaded.emit()

    def _picked(self, clock: QTime) -> datetime:
        """A time of the window on the owner's clock, on the picked day, as a UTC moment."""
        return local_to_utc(pydate(self.day.date()), _pytime(clock), ZoneInfo(owner_zone()))

    def _show_their_time(self) -> None:
        """ "9:00 am–10:00 am their time" where the customer's clock reads another time."""
        if self._snap is None:
            return
        window = (self._picked(self.start.time()), self._picked(self.end.time()))
        self.their_time.show_at(*window, tz=self._snap.timezone)

    def selected_channel(self) -> Channel:
        return Channel(self.channel.currentData())

    def _channel_changed(self) -> None:
        if self._snap is None:
            return
        decision = channel_decision(self._snap, self.selected_channel(), owner_tz=owner_zone())
        self.blocked.setText("" if decision.allowed else decision.reason)
        self.blocked.setVisible(not decision.allowed)
        self.reopen.setVisible(not decision.allowed)
        self.reopen.setChecked(False)

    def save(self) -> None:
        """Validate and record; on a refusal the message stays in the dialog."""
        self.error.clear_error()
        snap = self._snap
        if snap is None:
            return
        try:
            if self.end.time() <= self.start.time():
                raise ValidationError("time window", "the window must end after it starts")
            plan = agreed_plan(
                pydate(self.day.date()),
                _pytime(self.start.time()),
                _pytime(self.end.time()),
                owner_zone(),
                self.selected_channel(),
                self.reason.text(),
                self.words.toPlainText().strip(),
            )
            now = self._clock()
            if plan.due_at <= now:
                raise ValidationError("day", "pick a time that is still to come")
        except DeckfollowError as exc:
            self._refused(exc)
            return
        customer_id, quote_id = self._customer_id, self._quote_id
        source = chosen_source(self.source)
        reopen = not self.reopen.isHidden() and self.reopen.isChecked()

        def agree(session: Session) -> _Agreed:
            fu = agree_follow_up(
                session, customer_id, quote_id, plan, now=now, source=source, reopen=reopen
            )
            session.flush()
            return _Agreed(fu.id)

        # The team server away: the operations keep the dialog open and record once it is back.
        self._ops.run_change(
            self, agree, initiator=self, success=self._agreed, failure=self._refused
        )

    def _refused(self, exc: DeckfollowError) -> None:
        if not self.blocked.isHidden() and str(exc).startswith(self.blocked.text()[:40]):
            # The reason is already on screen; say what would let this through.
            self.error.show_error(
                "Not recorded: tick the box above only if their words re-open this channel."
            )
        else:
            self.error.show_error(exc)

    def _agreed(self, agreed: _Agreed) -> None:
        self.follow_up_id = agreed.follow_up_id
        self.saved.emit(agreed.changes)
        self.accept()


def _pytime(t: QTime) -> time:
    return time(t.hour(), t.minute())
