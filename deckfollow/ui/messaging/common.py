"""Pieces the messaging dialogs share: who and what, the guard banner, the preview, what's next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TypeVar

from PySide6.QtCore import QObject, QThread, QTime, Signal
from PySide6.QtGui import QColor, QStandardItemModel, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.contact_hours import local_to_utc, zone
from deckfollow.core.enums import Channel, Stage, TemplateKind
from deckfollow.core.errors import DeckfollowError, PermissionRefused, ValidationError
from deckfollow.core.follow_up_target import FollowUpTarget
from deckfollow.core.followups import FollowUpPlan, agreed_plan
from deckfollow.core.merge_fields import MERGE_FIELDS, RenderedText
from deckfollow.core.pipeline import Close
from deckfollow.core.touches import NextStep, PlanContinues
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.drafts import (
    MessageDraft,
    compose_draft,
)
from deckfollow.messaging.guard import SendCheck
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import (
    date_time_text,
    owner_zone,
    readable_date_edit,
    readable_time_edit,
)
from deckfollow.ui.operations import HasChanges, Operations
from deckfollow.ui.qt_values import pydate, qdate
from deckfollow.ui.their_time_label import TheirTimeLabel
from deckfollow.ui.theme import active_theme

__all__ = [
    "Clock",
    "DraftPreview",
    "ErrorLabel",
    "GuardBanner",
    "NextStepWidget",
    "Target",
    "announce",
    "change",
    "open_then",
    "read_then",
    "run_task",
    "show_rendered",
]

CHANNEL_WORDS = {
    Channel.CALL: "Call",
    Channel.TEXT: "Text",
    Channel.EMAIL: "Email",
    Channel.CARD: "Card",
    Channel.VISIT: "Visit",
    Channel.VIDEO: "Video message",
}


def missing_bg() -> QColor:
    """Background of a field the preview could not fill."""
    return QColor(active_theme().missing_field_bg)


def unknown_bg() -> QColor:
    """Background of a field name the template does not know."""
    return QColor(active_theme().unknown_field_bg)


# Who a message is for and what about: plain data from the core.
Target = FollowUpTarget

T = TypeVar("T")
R = TypeVar("R", bound=Changes | HasChanges)


# -- the one seam between these dialogs and the database ------------------------------------
#
# Reads and changes run on the window's database thread (`deckfollow.ui.operations`), which
# must serve this database; what a change's core call returned is announced there, and an
# away team server is waited out there. `success` gets the core's answer.


def change(
    parent: QWidget,
    store: Store,
    op: Callable[[Session], Changes],
    *,
    success: Callable[[Changes], object],
    failure: Callable[[DeckfollowError], object],
) -> None:
    """Run `op(session)` in one unit of work; then `success(changes)` or `failure(error)`."""
    _operations_for(store).run_change(
        parent, op, initiator=parent, success=success, failure=failure
    )


def read_then(
    parent: QWidget | None,
    store: Store,
    fn: Callable[[Session], T],
    *,
    success: Callable[[T], object],
    failure: Callable[[DeckfollowError], object],
    error_title: str = "Could not load",
) -> None:
    """Run a read-only `fn(session)` (an away server is waited out); then `success(result)`
    or `failure(error)`."""
    _operations_for(store).run_query(
        parent, fn, success=success, failure=failure, error_title=error_title
    )


def open_then(
    parent: QWidget | None,
    store: Store,
    fn: Callable[[Session], R],
    *,
    success: Callable[[R], object],
    failure: Callable[[DeckfollowError], object],
    error_title: str = "Could not open",
) -> None:
    """Read what a screen shows with `fn(session)` in one unit of work (it may add the
    built-in templates on the way, as its `.changes` say); then `success(result)` or
    `failure(error)`."""
    _operations_for(store).run_change(
        parent, fn, success=success, failure=failure, error_title=error_title
    )


def run_task(
    parent: QWidget,
    store: Store,
    task: Callable[[], T],
    *,
    success: Callable[[T], object],
    failure: Callable[[DeckfollowError], object],
) -> None:
    """Run `task()`, which opens its own units of work on `store` (logging a touch); then
    `success(result)` or `failure(error)`."""
    _operations_for(store).run_task(parent, task, success=success, failure=failure)


def announce(store: Store, changes: Changes, initiator: object) -> None:
    """Tell the open views what a send or a log changed: it ran as a task (it opens its own
    units of work), which announces nothing by itself. With the window gone (closed while
    an email was on its way) there is no view left to tell."""
    ops = operations.serving(store)
    if ops is not None:
        ops.announce(changes, initiator)


def _operations_for(store: Store) -> Operations:
    ops = operations.serving(store)
    if ops is None:
        raise RuntimeError("the messaging screens need the operations of an open database")
    return ops


class DraftPreview:
    """Fills in templates for one screen on the window's database thread; when the user
    flicks through templates faster than the database answers, only the last one asked
    for is shown."""

    def __init__(
        self,
        parent: QWidget,
        store: Store,
        target: Target,
        kind: TemplateKind,
        now: datetime,
        *,
        shown: Callable[[MessageDraft], object],
        failed: Callable[[DeckfollowError], object],
    ) -> None:
        self._parent, self._store, self._target = parent, store, target
        self._kind, self._now = kind, now
        self._shown, self._failed = shown, failed
        self._asked = 0

    def ask(self, key: str) -> None:
        """Fill in the template `key`; `shown(draft)` follows."""
        self._asked += 1
        token = self._asked
        target, kind, now = self._target, self._kind, self._now

        def arrived(draft: MessageDraft) -> None:
            if token == self._asked:
                self._shown(draft)

        def failed(error: DeckfollowError) -> None:
            if token == self._asked:
                self._failed(error)

        # Filled in on the window's database thread: the answer comes later.
        read_then(
            self._parent,
            self._store,
            lambda s: compose_draft(s, target, kind, now=now, template_key=key),
            success=arrived,
            failure=failed,
        )


class BackgroundJob(QThread):
    """One blocking call (a send over the network) run off the GUI thread.

    `finished_with(result, error)` arrives in the GUI thread; exactly one is not None.
    """

    finished_with = Signal(object, object)

    def __init__(self, fn: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:
            self.finished_with.emit(None, exc)
            return
        self.finished_with.emit(result, None)


def start_job(
    parent: QObject, fn: Callable[[], object], done: Callable[..., None]
) -> BackgroundJob:
    """Run `fn` in the background; `done(result, error)` is called in the GUI thread."""
    job = BackgroundJob(fn, parent)
    job.finished_with.connect(done)
    job.finished.connect(job.deleteLater)
    job.start()
    return job


def describe_failure(exc: BaseException) -> str:
    """A failure from a background send as one line for the user."""
    if isinstance(exc, DeckfollowError):
        return str(exc)
    return f"an unexpected problem ({type(exc).__name__}: {exc})"


class GuardBanner(QLabel):
    """Why this must not go out now, in plain words; hidden when sending is allowed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guardBanner")
        t = active_theme()
        self.setWordWrap(True)
        self.setStyleSheet(
            f"QLabel#guardBanner {{ background: {t.error_banner_bg}; color: {t.error_banner_fg};"
            f" border: 1px solid {t.error_banner_border};"
            " border-radius: 4px; padding: 8px; font-weight: 600; }"
        )
        self.hide()

    def show_check(self, check: SendCheck) -> None:
        if check.allowed:
            self.setText("")
            self.hide()
        else:
            self.setText("Not now: " + check.reason)
            self.show()


def _selection(edit: QTextEdit, start: int, end: int, missing: bool) -> QTextEdit.ExtraSelection:
    sel = QTextEdit.ExtraSelection()
    cursor = QTextCursor(edit.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    fmt = QTextCharFormat()
    fmt.setBackground(missing_bg() if missing else unknown_bg())
    fmt.setForeground(QColor(active_theme().highlight_fg))
    fmt.setFontWeight(700)
    sel.cursor = cursor
    sel.format = fmt
    return sel


def show_rendered(edit: QTextEdit, rendered: RenderedText) -> None:
    """Put rendered text in `edit` with every `[missing?]` / unknown field highlighted."""
    edit.setPlainText(rendered.text)
    edit.setExtraSelections(
        [_selection(edit, m.start, m.end, m.kind == "missing") for m in rendered.markers]
    )


def highlight_placeholders(edit: QTextEdit, rendered: RenderedText) -> None:
    """Highlight the placeholders still present in an edited copy of `rendered`."""
    text = edit.toPlainText()
    selections: list[QTextEdit.ExtraSelection] = []
    seen: set[str] = set()
    for m in rendered.markers:
        piece = rendered.text[m.start : m.end]
        if piece in seen:
            continue
        seen.add(piece)
        start = text.find(piece)
        while start != -1:
            selections.append(_selection(edit, start, start + len(piece), m.kind == "missing"))
            start = text.find(piece, start + len(piece))
    edit.setExtraSelections(selections)


def placeholders_left(text: str, rendered: RenderedText) -> list[str]:
    """Labels of fields whose `[label?]` placeholder is still in the (edited) text."""
    left: list[str] = []
    for m in rendered.markers:
        piece = rendered.text[m.start : m.end]
        label = MERGE_FIELDS.get(m.field, m.field)
        if piece in text and label not in left:
            left.append(label)
    return left


class NextStepWidget(QWidget):
    """ "What's next?": plan the next follow-up (agreed or planned) or close the quote."""

    def __init__(
        self,
        *,
        timezone: str,
        now: datetime,
        channel: Channel,
        has_quote: bool,
        plan_name: str | None = None,
        closed: dict[Channel, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tz = timezone
        self._now = now
        # One clock: the next step is picked on the owner's clock, the customer's beside it.
        self._owner_tz = owner_zone()
        local_today = now.astimezone(zone(self._owner_tz)).date()

        # A step of an active plan: the plan places its own next step (planning one by hand
        # would double it), so that is offered first.
        self.continue_radio = QRadioButton(f"Let the plan continue ({plan_name})")
        self.continue_radio.setVisible(plan_name is not None)
        self.plan_radio = QRadioButton("Plan the next follow-up")
        self.close_radio = QRadioButton("Close the quote")
        (self.continue_radio if plan_name is not None else self.plan_radio).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.continue_radio)
        group.addButton(self.plan_radio)
        group.addButton(self.close_radio)
        self.close_radio.setEnabled(has_quote)
        if not has_quote:
            self.close_radio.setToolTip("There is no quote to close for this contact")

        self.day = QDateEdit(qdate(local_today + timedelta(days=3)))
        self.day.setCalendarPopup(True)
        readable_date_edit(self.day, weekday=True)
        self.day.setMinimumDate(qdate(local_today))
        self.at = QTimeEdit(QTime(10, 0))
        readable_time_edit(self.at)
        self.channel = QComboBox()
        for ch, label in CHANNEL_WORDS.items():
            self.channel.addItem(label, ch.value)
        # A channel the customer revoked is never proposed (rule 1): greyed out, with why.
        shut = closed or {}
        model = self.channel.model()
        for row in range(self.channel.count()):
            why = shut.get(Channel(self.channel.itemData(row)))
            item = model.item(row) if isinstance(model, QStandardItemModel) else None
            if why and item is not None:
                item.setEnabled(False)
                item.setToolTip(why)
        first = next((c for c in (channel, *CHANNEL_WORDS) if c not in shut), channel)
        self.channel.setCurrentIndex(max(0, self.channel.findData(first.value)))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why you'll be in touch, e.g. to hear what the council said")
        self.agreed = QCheckBox("They agreed to this time")
        self.words = QLineEdit()
        self.words.setPlaceholderText('Their words, e.g. "Yes, call me Thursday after five"')
        self.words.setEnabled(False)
        self.agreed.toggled.connect(self.words.setEnabled)
        # After a refusal about time: the nearest time that keeps every rule, one click away.
        self.suggest_button = QPushButton()
        self.suggest_button.hide()
        self.suggest_button.clicked.connect(self._use_suggestion)
        self._suggestion: datetime | None = None

        self.their_time = TheirTimeLabel()
        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(self.at)
        when.addWidget(self.their_time)
        when.addStretch(1)
        self.plan_box = QWidget()
        plan_form = QFormLayout(self.plan_box)
        plan_form.setContentsMargins(24, 0, 0, 0)
        plan_form.addRow("When", when)
        plan_form.addRow("", self.suggest_button)
        plan_form.addRow("How", self.channel)
        plan_form.addRow("Reason", self.reason)
        plan_form.addRow("", self.agreed)
        plan_form.addRow("Their words", self.words)

        self.stage = QComboBox()
        for st in (Stage.WON, Stage.LOST, Stage.PARKED):
            self.stage.addItem(st.label, st.value)
        self.lost_reason = QLineEdit()
        self.lost_reason.setPlaceholderText("Why it was lost, e.g. went with a cheaper quote")
        self.parked_until = QDateEdit(qdate(local_today + timedelta(days=182)))
        self.parked_until.setCalendarPopup(True)
        readable_date_edit(self.parked_until)
        self.close_box = QWidget()
        close_form = QFormLayout(self.close_box)
        close_form.setContentsMargins(24, 0, 0, 0)
        close_form.addRow("As", self.stage)
        close_form.addRow("Lost because", self.lost_reason)
        close_form.addRow("Try again on", self.parked_until)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.continue_radio)
        layout.addWidget(self.plan_radio)
        layout.addWidget(self.plan_box)
        layout.addWidget(self.close_radio)
        layout.addWidget(self.close_box)
        self.plan_radio.toggled.connect(self._sync)
        self.close_radio.toggled.connect(self._sync)
        self.stage.currentIndexChanged.connect(self._sync)
        self.day.dateChanged.connect(self._show_their_time)
        self.at.timeChanged.connect(self._show_their_time)
        self._show_their_time()
        self._sync()

    def picked_at(self) -> datetime:
        """The day and time picked, on the owner's clock, as an aware UTC moment."""
        qt = self.at.time()
        at = time(qt.hour(), qt.minute())
        return local_to_utc(pydate(self.day.date()), at, zone(self._owner_tz))

    def _show_their_time(self) -> None:
        """ "9:00 am their time" beside the picked time, where the customer's clock differs."""
        self.their_time.show_at(self.picked_at(), tz=self._tz, owner_tz=self._owner_tz)

    def _sync(self) -> None:
        self.plan_box.setVisible(self.plan_radio.isChecked())
        self.close_box.setVisible(self.close_radio.isChecked())
        stage = Stage(self.stage.currentData())
        self.lost_reason.setEnabled(stage is Stage.LOST)
        self.parked_until.setEnabled(stage is Stage.PARKED)

    def offer(self, exc: BaseException) -> None:
        """After a refusal: offer the nearest allowed time for the planned follow-up."""
        slot = exc.suggestion if isinstance(exc, PermissionRefused) else None
        if slot is None or not self.plan_radio.isChecked():
            self._suggestion = None
            self.suggest_button.hide()
            return
        self._suggestion = slot.astimezone(zone(self._owner_tz))
        self.suggest_button.setText(f"Use {date_time_text(slot, self._tz)} instead")
        self.suggest_button.show()

    def _use_suggestion(self) -> None:
        if self._suggestion is not None:
            local = self._suggestion
            self.day.setDate(qdate(local.date()))
            self.at.setTime(QTime(local.hour, local.minute))
        self._suggestion = None
        self.suggest_button.hide()

    def next_step(self) -> NextStep:
        """The chosen next step; ValidationError names what is missing."""
        if self.continue_radio.isChecked():
            return PlanContinues()
        if self.close_radio.isChecked():
            stage = Stage(self.stage.currentData())
            if stage is Stage.LOST:
                return Close(stage, lost_reason=self.lost_reason.text().strip() or None)
            if stage is Stage.PARKED:
                return Close(stage, parked_until=pydate(self.parked_until.date()))
            return Close(stage)
        reason = self.reason.text().strip()
        if not reason:
            raise ValidationError("what's next", "give the next follow-up a reason")
        day = pydate(self.day.date())
        qt = self.at.time()
        at = time(qt.hour(), qt.minute())
        channel = Channel(self.channel.currentData())
        if self.agreed.isChecked():
            words = self.words.text().strip()
            return agreed_plan(day, at, None, self._owner_tz, channel, reason, words)
        due = self.picked_at()
        if due <= self._now:
            raise ValidationError("what's next", "pick a time that is still to come")
        return FollowUpPlan(due, channel, reason)
