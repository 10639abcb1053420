"""Snooze dialog: 15 minutes, 1 hour, tomorrow morning or a chosen time — shown where it lands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QTimeZone, Signal
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

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Store
from deckfollow.reminders.digest import morning_time
from deckfollow.reminders.scheduler import reminder_for
from deckfollow.reminders.snooze import (
    SnoozeChoice,
    SnoozeLanding,
    preview_snooze,
    requested_until,
    snooze_many,
)
from deckfollow.ui.formatting import (
    clock_pattern,
    clock_text,
    counted,
    date_time_text,
    readable_date_edit,
)
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme


class SnoozeDialog(QDialog):
    """Snooze one or several follow-ups; `snoozed(list)` gives the landings once saved."""

    snoozed = Signal(list)

    def __init__(
        self,
        db: Store,
        follow_up_ids: Sequence[int] | int,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock
        self._ids = [follow_up_ids] if isinstance(follow_up_ids, int) else list(follow_up_ids)
        self.setWindowTitle("Snooze reminder")
        self.setMinimumWidth(380)
        with db.reading() as session:
            self._owner_tz = load_settings(session).owner_timezone
            self._morning = morning_time(session)
            first = reminder_for(session, self._ids[0]) if self._ids else None
        who = QLabel()
        who.setWordWrap(True)
        if first is not None and len(self._ids) == 1:
            who.setText(f"<b>{first.customer}</b> — {first.reason}")
        else:
            who.setText(f"<b>{counted(len(self._ids), 'follow-up')}</b>")
        self.buttons_group = QButtonGroup(self)
        self.choice_buttons: dict[SnoozeChoice | None, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(QLabel("Remind me again in:"))
        for choice in SnoozeChoice:
            label = choice.label
            if choice is SnoozeChoice.TOMORROW_MORNING:
                label += f" ({clock_text(self._morning)})"
            button = QRadioButton(label)
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
        self.when.setTimeZone(QTimeZone(self._owner_tz.encode()))
        start = self._clock() + timedelta(hours=2)
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp()), QTimeZone.utc()))
        layout.addWidget(self.when)
        self.landing = QLabel()
        self.landing.setWordWrap(True)
        self.landing.setMinimumHeight(40)
        layout.addWidget(self.landing)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Snooze")
        self.box.accepted.connect(self.save)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.choice_buttons[SnoozeChoice.HOUR_1].setChecked(True)
        self.buttons_group.buttonToggled.connect(self._update)
        self.when.dateTimeChanged.connect(self._update)
        self.when.dateTimeChanged.connect(lambda _v: custom.setChecked(True))
        self._update()

    def requested(self) -> datetime:
        """The instant the user asked for (before the customer's hours are applied)."""
        for choice, button in self.choice_buttons.items():
            if button.isChecked() and choice is not None:
                return requested_until(
                    choice, now=self._clock(), owner_tz=self._owner_tz, morning=self._morning
                )
        secs = self.when.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(secs, UTC)

    def _update(self, *_args: object) -> None:
        if not self._ids:
            return
        until = self.requested()
        with self._db.reading() as session:
            landing = preview_snooze(session, self._ids[0], until)
        self.landing.setText(self._describe(landing))

    def _describe(self, landing: SnoozeLanding) -> str:
        mine = landing.lands_at.astimezone(ZoneInfo(self._owner_tz))
        text = f"Reminds you {date_time_text(mine, self._owner_tz, joiner=' at ')}."
        if landing.moved:
            text += f"<br><span style='color:{active_theme().warning_text}'>{landing.note}</span>"
        return text

    def save(self) -> None:
        until = self.requested()
        try:
            with self._db.unit_of_work() as session:
                landings = snooze_many(session, self._ids, until, now=self._clock())
        except DeckfollowError as exc:
            self.landing.setText(f"<span style='color:{active_theme().error_text}'>{exc}</span>")
            hold_until_server_back(self, exc)  # the server away: snoozed once it is back
            return
        self.snoozed.emit(landings)
        self.accept()
