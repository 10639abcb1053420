"""Snooze dialog: 15 minutes, 1 hour, tomorrow morning or a chosen time — shown where it lands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QSignalBlocker, QTimeZone, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.reminders.digest import morning_time
from deckfollow.reminders.scheduler import reminder_for
from deckfollow.reminders.snooze import (
    SnoozeChoice,
    SnoozeLanding,
    preview_snooze,
    requested_until,
    snooze_many,
)
from deckfollow.ui import operations
from deckfollow.ui.formatting import (
    clock_pattern,
    clock_text,
    counted,
    date_time_text,
    readable_date_edit,
)
from deckfollow.ui.theme import active_theme

# What the dialog offers first: an hour is the snooze people pick most.
_FIRST_CHOICE = SnoozeChoice.HOUR_1


@dataclass(frozen=True)
class _Setup:
    """What the dialog needs before it opens for choosing (one read)."""

    owner_tz: str
    morning: time
    who: str | None  # "<customer> — <reason>" for a single follow-up still there
    landing: SnoozeLanding | None  # where the first choice lands


def _read_setup(session: Session, ids: Sequence[int], now: datetime) -> _Setup:
    owner_tz = load_settings(session).owner_timezone
    morning = morning_time(session)
    first = reminder_for(session, ids[0]) if len(ids) == 1 else None
    who = f"{first.customer} — {first.reason}" if first is not None else None
    landing = None
    if ids:
        until = requested_until(_FIRST_CHOICE, now=now, owner_tz=owner_tz, morning=morning)
        landing = preview_snooze(session, ids[0], until)
    return _Setup(owner_tz, morning, who, landing)


@dataclass(frozen=True)
class _Snoozed:
    landings: list[SnoozeLanding]
    changes: Changes = field(default_factory=lambda: Changes(follow_ups=True))


class SnoozeDialog(QDialog):
    """Snooze one or several follow-ups; `snoozed(list)` gives the landings once saved.

    The owner's zone, their morning and where the first choice lands are read on the
    window's database thread; the choices open once that read has arrived (`loaded`).
    Each new choice is previewed, and the snooze saved, on the same thread."""

    snoozed = Signal(list)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        follow_up_ids: Sequence[int] | int,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("snoozing needs the operations of an open database")
        self._ops = ops
        self._clock = clock
        self._ids = [follow_up_ids] if isinstance(follow_up_ids, int) else list(follow_up_ids)
        self._setup: _Setup | None = None  # once read
        self._asked = 0  # the latest preview asked for; older answers are dropped
        self.setWindowTitle("Snooze reminder")
        self.setMinimumWidth(380)
        self.who = who = QLabel()
        who.setWordWrap(True)
        self.buttons_group = QButtonGroup(self)
        self.choice_buttons: dict[SnoozeChoice | None, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(QLabel("Remind me again in:"))
        for choice in SnoozeChoice:
            button = QRadioButton(choice.label)
            self.buttons_group.addButton(button)
            self.choice_buttons[choice] = button
            layout.addWidget(button)
        custom = QRadioButton("At a time I choose:")
        self.buttons_group.addButton(custom)
        self.choice_buttons[None] = custom
        layout.addWidget(custom)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        readable_date_edit(self.when, weekday=True, clock=clock_pattern())
        # Blank until the owner's zone is read: no made-up time shows meanwhile.
        self.when.setSpecialValueText(" ")
        self.when.setDateTime(self.when.minimumDateTime())
        layout.addWidget(self.when)
        self.landing = QLabel()
        self.landing.setWordWrap(True)
        self.landing.setMinimumHeight(40)
        layout.addWidget(self.landing)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Snooze")
        self.box.accepted.connect(self.save)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.choice_buttons[_FIRST_CHOICE].setChecked(True)
        self.buttons_group.buttonToggled.connect(self._update)
        self.when.dateTimeChanged.connect(self._update)
        self.when.dateTimeChanged.connect(lambda _v: custom.setChecked(True))
        self._choosing = (*self.choice_buttons.values(), self.when, ok)
        for widget in self._choosing:
            widget.setEnabled(False)
        ids, now = self._ids, clock()
        ops.run_query(
            self, lambda s: _read_setup(s, ids, now), success=self._fill, failure=self._show_error
        )

    def _fill(self, setup: _Setup) -> None:
        """Show whose reminder it is and where an hour lands, then open the choices."""
        self._setup = setup
        if setup.who is not None:
            self.who.setText(f"<b>{setup.who}</b>")
        else:
            self.who.setText(f"<b>{counted(len(self._ids), 'follow-up')}</b>")
        morning = self.choice_buttons[SnoozeChoice.TOMORROW_MORNING]
        morning.setText(f"{SnoozeChoice.TOMORROW_MORNING.label} ({clock_text(setup.morning)})")
        now = self._clock()
        start = now + timedelta(hours=2)
        with QSignalBlocker(self.when):  # the custom time's start, not the user's choice
            self.when.setSpecialValueText("")
            self.when.setTimeZone(QTimeZone(setup.owner_tz.encode()))
            self.when.setMinimumDateTime(_instant(now))  # no snoozing into the past
            self.when.setDateTime(_instant(start))
        if setup.landing is not None:
            self._show_landing(self._describe(setup.landing))
        for widget in self._choosing:
            widget.setEnabled(bool(self._ids) or widget is not self.ok)
        self.loaded.emit()

    def requested(self) -> datetime:
        """The instant the user asked for (before the customer's hours are applied)."""
        setup = self._setup
        if setup is None:
            raise RuntimeError("the snooze dialog has not been read yet")
        for choice, button in self.choice_buttons.items():
            if button.isChecked() and choice is not None:
                return requested_until(
                    choice, now=self._clock(), owner_tz=setup.owner_tz, morning=setup.morning
                )
        secs = self.when.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(secs, UTC)

    def _update(self, *_args: object) -> None:
        if not self._ids or self._setup is None:
            return
        until, first = self.requested(), self._ids[0]
        self._asked += 1
        asked = self._asked

        def show(landing: SnoozeLanding) -> None:
            if asked == self._asked:  # a later choice's answer is the one to show
                self._show_landing(self._describe(landing))

        self._ops.run_query(
            self, lambda s: preview_snooze(s, first, until), success=show, failure=self._show_error
        )

    def _describe(self, landing: SnoozeLanding) -> str:
        owner_tz = self._setup.owner_tz if self._setup is not None else landing.timezone
        mine = landing.lands_at.astimezone(ZoneInfo(owner_tz))
        text = f"Reminds you {date_time_text(mine, owner_tz, joiner=' at ')}."
        if landing.moved:
            text += f"<br><span style='color:{active_theme().warning_text}'>{landing.note}</span>"
        return text

    def _show_error(self, exc: DeckfollowError) -> None:
        self._show_landing(f"<span style='color:{active_theme().error_text}'>{exc}</span>")

    def _show_landing(self, text: str) -> None:
        """Say where it lands; the dialog grows to show a longer answer (a moved landing's
        note) whole, since it arrives after the dialog is on screen."""
        self.landing.setText(text)
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > self.height():
            self.resize(self.width(), needed)

    def save(self) -> None:
        """Snooze on the database thread; the team server away, the dialog stays open and
        snoozes once it is back."""
        if self._setup is None:
            return
        ids, until, now = list(self._ids), self.requested(), self._clock()

        def snooze(session: Session) -> _Snoozed:
            return _Snoozed(snooze_many(session, ids, until, now=now))

        self._ops.run_change(
            self, snooze, initiator=self, success=self._saved, failure=self._show_error
        )

    def _saved(self, snoozed: _Snoozed) -> None:
        self.snoozed.emit(snoozed.landings)
        self.accept()


def _instant(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.utc())
