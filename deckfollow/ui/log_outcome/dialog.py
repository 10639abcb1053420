"""Log what happened on a touch, then answer "what's next?" before anything is saved."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QTime, QTimeZone, Signal, SignalInstance
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.clock_format import clocks_agree, hours_text
from deckfollow.core.contact_hours import local_to_utc
from deckfollow.core.enums import Basis, Channel, Direction, LedgerSource, Outcome, Stage
from deckfollow.core.errors import DeckfollowError, PermissionRefused, ValidationError
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.permission import ContactSnapshot, channel_decision, find_slot
from deckfollow.core.pipeline import Close
from deckfollow.core.touches import NextStep, PlanContinues, TouchRecord, log_touch
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.core.winning import win_quote
from deckfollow.messaging.screens import LogOutcomeScreen
from deckfollow.ui.formatting import (
    clock_pattern,
    date_time_text,
    owner_qdatetime,
    owner_zone,
    readable_date_edit,
    readable_time_edit,
    zone_date_time_text,
)
from deckfollow.ui.messaging.contact_dialog import ContactDialog
from deckfollow.ui.qt_values import pydate, qdate
from deckfollow.ui.team.server_away import hold_until_server_back
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

OUTCOME_LABELS = {
    Outcome.REACHED: "Reached them",
    Outcome.VOICEMAIL: "Left a voicemail",
    Outcome.NO_ANSWER: "No answer",
    Outcome.REPLIED: "They replied",
    Outcome.SENT: "Sent",
    Outcome.MAILED: "Mailed",
    Outcome.BOUNCED: "Bounced / undeliverable",
}

# What a user most often plans after each outcome, so the reason box starts useful.
_NEXT_REASON = {
    Outcome.VOICEMAIL: "Try again after the voicemail",
    Outcome.NO_ANSWER: "Try again: no answer last time",
}


class LogOutcomeDialog(ContactDialog):
    """Channel, direction, outcome and a note; then the next follow-up or a close.

    OK stays disabled until "what's next?" is answered. `logged` carries the core's
    Changes after the touch and its next step were saved in one transaction.
    """

    logged = Signal(object)

    def __init__(
        self,
        db: Store,
        screen: LogOutcomeScreen,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        """Built from `screen` (`read_log_outcome_screen`, read beforehand): building reads
        nothing, and neither does finding an allowed time for the next step."""
        super().__init__(db, clock=clock, parent=parent)
        target = screen.target
        self._follow_up_id = target.follow_up_id
        # What the next planned touch must fit around (rule 5), as read when it opened; the
        # save asks the rules again.
        self._planned, self._weekly_cap = screen.planned, screen.weekly_cap
        # The next step's reason starts from this one's (a first reply's is followed up).
        fu_channel, fu_reason = target.follow_up_channel, target.next_reason or ""
        plan_name = target.plan_name
        quote_id = target.quote_id
        quote_text = " · ".join(x for x in (target.quote_number, target.job) if x)
        self._snap: ContactSnapshot = screen.snapshot
        self._customer_id: int = target.customer_id
        self._quote_id = quote_id
        snap = self._snap
        self.setWindowTitle(f"Log outcome: {snap.name}")
        self.setMinimumWidth(600)

        heading = QLabel(f"<b>{snap.name}</b>" + (f" — {quote_text}" if quote_text else ""))
        heading.setWordWrap(True)

        # What happened.
        self.channel = _channel_combo()
        self.direction = QComboBox()
        self.direction.addItem("Outbound (I contacted them)", Direction.OUTBOUND.value)
        self.direction.addItem("Inbound (they contacted me)", Direction.INBOUND.value)
        self.outcome = QComboBox()
        for oc, label in OUTCOME_LABELS.items():
            self.outcome.addItem(label, oc.value)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("What was said, in a line or two")
        self.note.setFixedHeight(60)
        # When it happened, in the user's own time: a call made at lunch and logged at
        # night keeps its real time (and the lead's true response time).
        self.happened_at = QDateTimeEdit()
        self.happened_at.setTimeZone(QTimeZone(owner_zone().encode()))  # one clock: the owner's
        self.happened_at.setDateTime(_qdatetime(self._opened_at))
        readable_date_edit(self.happened_at, weekday=True, clock=clock_pattern())
        self.happened_at.setCalendarPopup(True)
        self.happened_at.setMaximumDateTime(_qdatetime(self._opened_at))
        happened = QGroupBox("What happened")
        hform = QFormLayout(happened)
        hform.addRow("Happened at", self.happened_at)
        hform.addRow("Channel", self.channel)
        hform.addRow("Direction", self.direction)
        hform.addRow("Outcome", self.outcome)
        hform.addRow("Note", self.note)

        # What's next: exactly one of two answers.
        nxt = QGroupBox("What's next?")
        self.plan_next = QRadioButton("Plan the next follow-up")
        self.close_quote = QRadioButton("Close the quote")
        self.close_quote.setEnabled(quote_id is not None)
        if quote_id is None:
            self.close_quote.setToolTip("Only a touch about a quote can close it")
        # A step of an active plan: the plan places its own next step, so planning one by
        # hand would double it (and could run into the weekly cap).
        self.plan_continues = QRadioButton(f"Let the plan continue ({plan_name})")
        self.plan_continues.setVisible(plan_name is not None)
        self._next_group = QButtonGroup(self)
        self._next_group.addButton(self.plan_continues)
        self._next_group.addButton(self.plan_next)
        self._next_group.addButton(self.close_quote)

        # One clock: the next step is picked on the owner's clock, as "Happened at" is; the
        # customer's own time shows beside it (their allowed hours are about their day).
        tz = snap.hours.tz
        self._owner_tz = ZoneInfo(owner_zone())
        now = clock()
        local_now = now.astimezone(tz)
        owner_today = now.astimezone(self._owner_tz).date()
        self.zone_label = QLabel(_zone_line(snap, now, self._owner_tz))
        self.zone_label.setWordWrap(True)
        self.zone_label.setStyleSheet(f"color: {active_theme().muted_text};")
        self.next_day = QDateEdit(qdate(owner_today + timedelta(days=2)))
        self.next_day.setCalendarPopup(True)
        readable_date_edit(self.next_day, weekday=True)
        self.next_day.setMinimumDate(qdate(owner_today))
        self.next_time = QTimeEdit(QTime(10, 0))
        readable_time_edit(self.next_time)
        # "9:00 am their time", following the picked time (empty where the clocks agree).
        self.their_time = TheirTimeLabel()
        when = QHBoxLayout()
        when.addWidget(self.next_day, 1)
        when.addWidget(self.next_time)
        when.addWidget(self.their_time)
        self.next_channel = _channel_combo()
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet(f"color: {active_theme().warning_text};")
        self.blocked.hide()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("The reason I'm getting in touch is …")
        self.agreed = QCheckBox("The customer agreed to this")
        self.agreed_words = QLineEdit()
        self.agreed_words.setPlaceholderText('Their words, e.g. "Call me Thursday after five"')
        self.agreed_words.setEnabled(False)
        self.plan_box = QWidget()
        # The zone line above the form, not a row of it: a form row gives a wrapped label
        # the height of one line, which cut its last words off.
        plan_lay = QVBoxLayout(self.plan_box)
        plan_lay.setContentsMargins(24, 0, 0, 0)
        plan_lay.addWidget(self.zone_label)
        pform = QFormLayout()
        plan_lay.addLayout(pform)
        pform.addRow("When", when)
        pform.addRow("Channel", self.next_channel)
        pform.addRow(self.blocked)
        pform.addRow("Reason", self.reason)
        pform.addRow(self.agreed)
        pform.addRow("Their words", self.agreed_words)

        self.won = QRadioButton("Won")
        self.lost = QRadioButton("Lost, because")
        self.parked = QRadioButton("Parked until")
        self._close_group = QButtonGroup(self)
        for b in (self.won, self.lost, self.parked):
            self._close_group.addButton(b)
        self.lost_reason = QLineEdit()
        self.lost_reason.setPlaceholderText("e.g. went with a cheaper quote")
        self.parked_until = QDateEdit(qdate(owner_today + timedelta(days=90)))
        self.parked_until.setCalendarPopup(True)
        readable_date_edit(self.parked_until, weekday=True)
        self.parked_until.setMinimumDate(qdate(owner_today + timedelta(days=1)))
        self.close_box = QWidget()
        cform = QFormLayout(self.close_box)
        cform.setContentsMargins(24, 0, 0, 0)
        self.after_sale = QCheckBox("Start the after-sale plan (thank-you call tonight)")
        self.after_sale.setToolTip(
            "A thank-you call the evening of the sale, a check the next day, "
            "a referral call at three weeks, then check-ins about every three months"
        )
        self.after_sale.setChecked(True)
        cform.addRow(self.won)
        cform.addRow("", self.after_sale)
        cform.addRow(self.lost, self.lost_reason)
        cform.addRow(self.parked, self.parked_until)

        nlayout = QVBoxLayout(nxt)
        nlayout.addWidget(self.plan_continues)
        nlayout.addWidget(self.plan_next)
        nlayout.addWidget(self.plan_box)
        nlayout.addWidget(self.close_quote)
        nlayout.addWidget(self.close_box)

        # After a refusal about timing or the weekly cap: one click takes the nearest allowed time.
        self.suggest_button = QPushButton()
        self.suggest_button.hide()
        self.suggest_button.clicked.connect(self._use_suggestion)
        self._suggestion: datetime | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Log outcome")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        for box in (happened, nxt):
            _bold_title(box)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(happened)
        layout.addWidget(nxt)
        layout.addWidget(self.error)
        srow = QHBoxLayout()
        srow.addWidget(self.suggest_button)
        srow.addStretch(1)
        layout.addLayout(srow)
        layout.addWidget(self.buttons)

        if fu_channel is not None:
            _select(self.channel, fu_channel.value)
        # The next step is never proposed on a channel the customer closed (rule 1).
        _close_revoked(self.next_channel, snap)
        _select(self.next_channel, _open_channel(snap, fu_channel).value)
        if fu_reason:
            self.reason.setText(fu_reason)
            self.reason.setCursorPosition(0)

        if plan_name is not None:
            self.plan_continues.setChecked(True)
        for sig in (
            self.plan_continues.toggled,
            self.plan_next.toggled,
            self.close_quote.toggled,
            self.won.toggled,
            self.lost.toggled,
            self.parked.toggled,
            self.agreed.toggled,
        ):
            sig.connect(self._refresh)
        for edit in (self.reason, self.agreed_words, self.lost_reason):
            edit.textChanged.connect(self._refresh)
        self.next_channel.currentIndexChanged.connect(self._refresh)
        self.channel.currentIndexChanged.connect(self._say_source)
        self._say_source()
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.next_day.dateChanged.connect(self._show_their_time)
        self.next_time.timeChanged.connect(self._show_their_time)
        # Start from a time the rules allow, so the usual case needs no correction.
        start = local_to_utc(local_now.date() + timedelta(days=2), time(10), tz)
        slot = self._allowed_slot(start)
        if slot is not None:
            self._set_when(slot)
        self._show_their_time()
        self._refresh()

    # -- state ---------------------------------------------------------------------------

    def _allowed_slot(self, earliest: datetime) -> datetime | None:
        """The nearest time at or after `earliest` a planned touch on the chosen channel may use."""
        return find_slot(
            self._snap,
            self._next_channel(),
            earliest,
            self._planned,
            self._weekly_cap,
            prefer_best_times=True,
        )

    def _set_when(self, at: datetime) -> None:
        local = at.astimezone(self._owner_tz)
        self.next_day.setDate(qdate(local.date()))
        self.next_time.setTime(QTime(local.hour, local.minute))

    def picked_next_at(self) -> datetime:
        """The next step's time as picked on the owner's clock, as an aware UTC moment."""
        day, at = pydate(self.next_day.date()), _pytime(self.next_time.time())
        return local_to_utc(day, at, self._owner_tz)

    def _show_their_time(self) -> None:
        self.their_time.show_at(self.picked_next_at(), tz=self._snap.timezone)

    def _use_suggestion(self) -> None:
        if self._suggestion is not None:
            self._set_when(self._suggestion)
        self.suggest_button.hide()
        self.error.clear_error()

    def _outcome_changed(self) -> None:
        outcome = Outcome(self.outcome.currentData())
        if outcome is Outcome.REPLIED:
            # A reply comes from them; saying so pauses any cadence talking over it.
            _select(self.direction, Direction.INBOUND.value)
        suggestion = _NEXT_REASON.get(outcome)
        if suggestion and not self.reason.text().strip():
            self.reason.setText(suggestion)

    def _refresh(self) -> None:
        planning, closing = self.plan_next.isChecked(), self.close_quote.isChecked()
        self.plan_box.setEnabled(planning)
        self.close_box.setEnabled(closing)
        self.agreed_words.setEnabled(planning and self.agreed.isChecked())
        self.lost_reason.setEnabled(closing and self.lost.isChecked())
        self.parked_until.setEnabled(closing and self.parked.isChecked())
        self.after_sale.setEnabled(closing and self.won.isChecked())
        decision = channel_decision(self._snap, self._next_channel(), owner_tz=owner_zone())
        self.blocked.setText("" if decision.allowed else decision.reason)
        self.blocked.setVisible(planning and not decision.allowed)
        self.ok_button.setEnabled(self.next_step_answered())

    def next_step_answered(self) -> bool:
        """True once "what's next?" has a complete answer (OK is enabled only then)."""
        if self.plan_continues.isChecked():
            return True
        if self.plan_next.isChecked():
            if not self.reason.text().strip():
                return False
            return not self.agreed.isChecked() or bool(self.agreed_words.text().strip())
        if self.close_quote.isChecked():
            if self.lost.isChecked():
                return bool(self.lost_reason.text().strip())
            return self.won.isChecked() or self.parked.isChecked()
        return False

    def _touch_time(self, now: datetime) -> datetime:
        picked = self.happened_at.dateTime()
        if picked == _qdatetime(self._opened_at):
            return now  # left as it was: the moment of logging
        return datetime.fromtimestamp(picked.toSecsSinceEpoch(), UTC)

    def starts_after_sale(self) -> bool:
        """True when saving will also start the after-sale plan for a won quote."""
        return self.close_quote.isChecked() and self.won.isChecked() and self.after_sale.isChecked()

    def _say_source(self) -> None:
        """Say where an agreement made now is recorded: on the channel of this touch."""
        source = LedgerSource.of_channel(Channel(self.channel.currentData()))
        self.agreed.setText(f"The customer agreed to this ({_SAID[source]}, for the ledger)")

    def _next_channel(self) -> Channel:
        return Channel(self.next_channel.currentData())

    def _next_step(self) -> NextStep:
        if self.plan_continues.isChecked():
            return PlanContinues()
        if self.plan_next.isChecked():
            due = self.picked_next_at()
            if due <= self._clock():
                raise ValidationError("when", "pick a time that is still to come")
            agreed = self.agreed.isChecked()
            return FollowUpPlan(
                due_at=due,
                channel=self._next_channel(),
                reason=self.reason.text().strip(),
                basis=Basis.AGREED if agreed else Basis.PLANNED,
                agreed_words=self.agreed_words.text().strip() if agreed else None,
            )
        if self.won.isChecked():
            return Close(Stage.WON)
        if self.lost.isChecked():
            return Close(Stage.LOST, lost_reason=self.lost_reason.text().strip())
        return Close(Stage.PARKED, parked_until=pydate(self.parked_until.date()))

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Save the touch and its next step together; a refusal stays in the dialog."""
        self.error.clear_error()
        self.suggest_button.hide()
        if not self.next_step_answered():
            self.error.show_error("What's next? Plan the next follow-up or close the quote.")
            return
        try:
            now = self._clock()
            record = TouchRecord(
                customer_id=self._customer_id,
                channel=Channel(self.channel.currentData()),
                direction=Direction(self.direction.currentData()),
                outcome=Outcome(self.outcome.currentData()),
                at=self._touch_time(now),
                quote_id=self._quote_id,
                follow_up_id=self._follow_up_id,
                summary=self.note.toPlainText().strip() or None,
            )
            step = self._next_step()
        except DeckfollowError as exc:
            self._refused(exc, None)
            return
        after_sale = self.starts_after_sale()

        def op(session: Session) -> Changes:
            if isinstance(step, Close) and step.stage is Stage.WON and record.quote_id is not None:
                return win_quote(
                    session, record.quote_id, now=now, after_sale=after_sale, touch=record
                )
            return log_touch(session, record, step, now=now)

        self.save_change(op, refused=lambda e: self._refused(e, step))

    def done_signal(self) -> SignalInstance:
        return self.logged

    def _refused(self, exc: DeckfollowError, step: NextStep | None) -> None:
        """A refusal stays in the dialog; after one about timing, the nearest allowed time."""
        self.error.show_error(exc)
        if isinstance(exc, PermissionRefused) and isinstance(step, FollowUpPlan):
            self._offer(step.due_at)
        # The team server away: what is typed stays; Save comes back with the server. (The
        # server's address, for the watch, is the database handle's, where it has one.)
        target = getattr(self._db, "target", None)
        hold_until_server_back(
            self.ok_button, exc, target=target if isinstance(target, str) else None
        )
        self._fit()

    def _fit(self) -> None:
        # Grow to fit the message rather than squeeze the fields above it.
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _offer(self, wanted: datetime) -> None:
        slot = self._allowed_slot(wanted)
        self._suggestion = slot
        if slot is None:
            return
        self.suggest_button.setText(f"Use {date_time_text(slot, self._snap.timezone)} instead")
        self.suggest_button.show()


def _zone_line(snap: ContactSnapshot, now: datetime, owner_tz: ZoneInfo) -> str:
    """What the next step's clock is, and the customer's hours on their own."""
    hours = hours_text(snap.hours.hours.description) or "any time"
    if clocks_agree(now, owner_tz, snap.hours.tz):
        return f"Times are on your clock. {snap.name}'s usual hours: {hours}."
    there = zone_date_time_text(now, snap.timezone)
    return (
        f"Times are on your clock, with {snap.name}'s beside them "
        f"(<b>{snap.timezone}</b>, {there} there now). Their usual hours, their time: {hours}."
    )


def _bold_title(box: QGroupBox) -> None:
    # By font rather than a style sheet, which would restyle every child.
    bold = QFont(box.font())
    bold.setBold(True)
    normal = QFont(box.font())
    normal.setBold(False)  # explicit, or the children would inherit the bold
    box.setFont(bold)
    for child in box.findChildren(QWidget):
        child.setFont(normal)


def _channel_combo() -> QComboBox:
    box = QComboBox()
    for ch, label in CHANNEL_LABELS.items():
        box.addItem(label, ch.value)
    return box


_SAID = {
    LedgerSource.CALL: "said on a call",
    LedgerSource.TEXT: "said by text",
    LedgerSource.EMAIL: "said by email",
    LedgerSource.IN_PERSON: "said in person",
    LedgerSource.POST: "said by post",
    LedgerSource.WEB_FORM: "said on a web form",
    LedgerSource.IMPORT: "from an import",
}


def _open_channel(snap: ContactSnapshot, first: Channel | None) -> Channel:
    """The channel to propose: the follow-up's own, else the first one still open."""
    for channel in (first, Channel.CALL, Channel.TEXT, Channel.EMAIL, Channel.CARD):
        if channel is not None and channel_decision(snap, channel).allowed:
            return channel
    return first or Channel.CALL


def _close_revoked(box: QComboBox, snap: ContactSnapshot) -> None:
    """Grey out the channels the customer revoked, saying why in the item's tooltip."""
    model = box.model()
    for row in range(box.count()):
        decision = channel_decision(snap, Channel(box.itemData(row)))
        if not decision.allowed and isinstance(model, QStandardItemModel):
            item = model.item(row)
            if item is not None:
                item.setEnabled(False)
                item.setToolTip(decision.reason)


def _select(box: QComboBox, value: str) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


def _qdatetime(at: datetime) -> QDateTime:
    """An aware instant on the owner's clock, to the minute (what the editor shows)."""
    return owner_qdatetime(at)


def _pytime(t: QTime) -> time:
    return time(t.hour(), t.minute())
