"""Today: everything due and overdue, grouped by how to reach people, with what to say."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.due import DueItem
from deckfollow.core.enums import Channel, TemplateKind
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.inbound import is_stop_question, needs_answer
from deckfollow.ui import operations
from deckfollow.ui.after_paint import AfterPaint, wait_for_paint
from deckfollow.ui.formatting import (
    long_date_text,
    set_owner_zone,
    their_time_text,
    weekday_time_text,
)
from deckfollow.ui.garbage import before_building, set_aside, while_building
from deckfollow.ui.theme import active_theme
from deckfollow.ui.today_page.model import ITEM_ROLE, DueModel
from deckfollow.ui.today_page.prepared import TodayList, prepare_today
from deckfollow.ui.today_page.tree import DueTree

__all__ = ["ITEM_ROLE", "TodayPage"]
_SAVED = {
    Channel.EMAIL: "Sent and logged the email to",
    Channel.TEXT: "Logged the text to",
    Channel.VIDEO: "Logged the video call with",
}
_KIND = {
    Channel.CALL: TemplateKind.CALL_SCRIPT,
    Channel.VISIT: TemplateKind.CALL_SCRIPT,
    Channel.TEXT: TemplateKind.TEXT,
    Channel.VIDEO: TemplateKind.TEXT,
    Channel.EMAIL: TemplateKind.EMAIL,
    Channel.CARD: TemplateKind.CARD,
}
# List widths (px) below which a column gives way to the reason.
_ROOM_FOR_THEIR_TIME = 720
_ROOM_FOR_BASIS = 560
# Below this list width the when and who columns take less room, so the reason keeps some.
_ROOM_FOR_WIDE_COLUMNS = 520
_WIDE_COLUMNS = {0: 168, 2: 150}
_NARROW_COLUMNS = {0: 126, 2: 116}
_LEAST_REASON = 60  # what is left of the reason at the very least
# The least the list and the action panel need side by side; with less room (the details
# panel open in a 900 px window leaves about 350) the action panel goes under the list.
LIST_SIDE_MIN = 400
PANEL_SIDE_MIN = 290
_PAGE_MARGIN = 16
_SIDE_BY_SIDE = LIST_SIDE_MIN + PANEL_SIDE_MIN + 12  # and the splitter's handle


class TodayPage(QWidget):
    """The day's work: pick a follow-up, see why and what to say, act, log what happened."""

    open_quote = Signal(int)
    changed = Signal()
    # The follow-up the user has on the list changed (by click, keys or a reload moving on).
    current_changed = Signal()

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        ops: operations.Operations | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """The list and the panel are read on the database thread of `ops` (the window's,
        or those serving `db`), never here."""
        super().__init__(parent)
        ops = ops if ops is not None else operations.serving(db)
        if ops is None:
            raise RuntimeError("Today needs the operations of an open database")
        self._ops = ops
        self._clock = clock
        self._items: list[DueItem] = []
        # Whom and what the rows shown are for: whether a change concerns the day's work.
        self._customer_ids: frozenset[int] = frozenset()
        self._quote_ids: frozenset[int | None] = frozenset()
        # Set while off screen and out of date: the list is read again when next shown.
        self._stale = False
        self._quiet = False  # set while a reload replaces the rows
        self._home_country: str | None = None
        self._script = ""
        self._said = ""  # what an action just saved, while its change is told
        self._showing = False  # within showEvent: the read waits for the first paint
        # Hooks the window fills in with the feature dialogs this build has.
        self.write_card: Callable[[int], None] | None = None
        # Open their dialog and call the second argument once it was saved.
        self.act: Callable[[int, Callable[[], None]], None] | None = None
        self.log_outcome: Callable[[DueItem, Callable[[], None]], None] | None = None
        self.snooze: Callable[[int, Callable[[], None]], None] | None = None

        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 20px; font-weight: 600;")
        # Wrapped, not cut off, where the page is narrow (the details panel open beside it).
        self.headline.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setStyleSheet(f"color: {active_theme().muted_text};")
        self.counts.setWordWrap(True)
        # Sorted and shown in the owner's time; a customer in another zone also gets theirs,
        # so a call at 9:45 am here reads as 4:45 pm yesterday there, not out of order.
        self.model = DueModel()
        self.tree = DueTree(self.model)
        self.tree.setAccessibleName("Follow-ups due and overdue")
        header = self.tree.header()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, _WIDE_COLUMNS[0])
        header.resizeSection(1, 110)
        header.resizeSection(2, _WIDE_COLUMNS[2])
        self._narrow_columns = False
        self._column_sizes = dict(_WIDE_COLUMNS)  # as last sized for the list's room
        self._list_width = 0
        header.setStretchLastSection(False)
        header.resizeSection(4, 70)
        header.setMinimumSectionSize(_LEAST_REASON)
        # Narrow (the details panel open beside it), the reason keeps its room: the columns
        # the action panel repeats (their time, basis) step aside.
        self.tree.installEventFilter(self)
        # A read asked for as the page is shown, or new rows are painted, waits for that paint.
        self._after_paint = AfterPaint(self, self, self.tree.viewport())

        # The action panel on the right.
        self.who = QLabel()
        self.who.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.who.setWordWrap(True)
        self.reach = QLabel()
        self.reach.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reach.setStyleSheet("font-size: 16px;")
        self.reach.setWordWrap(True)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setStyleSheet(f"color: {active_theme().agreed_text};")
        # Why acting now would be refused (outside their hours, no number …), before a click.
        self.not_now = QLabel()
        self.not_now.setWordWrap(True)
        self.not_now.setStyleSheet(f"color: {active_theme().warning_text};")
        self.not_now.hide()
        self.script = QPlainTextEdit()
        self.script.setAccessibleName("What to say")
        self.script.setReadOnly(True)
        self.script.setMinimumHeight(160)
        self.primary = QPushButton()
        self.primary.setDefault(True)
        self.copy = QPushButton("Copy the words")
        self.outcome = QPushButton("Log outcome…")
        self.snooze_button = QPushButton("Snooze…")
        self.open_button = QPushButton("Open quote")
        for b in (self.primary, self.copy, self.outcome, self.snooze_button, self.open_button):
            b.setMinimumHeight(30)
        buttons = QHBoxLayout()
        buttons.addWidget(self.primary)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        more = QHBoxLayout()
        more.addWidget(self.outcome)
        more.addWidget(self.snooze_button)
        more.addWidget(self.open_button)
        more.addStretch(1)
        self.panel = QFrame()
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel_layout = self._panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(16, 14, 16, 14)
        panel_layout.addWidget(self.who)
        panel_layout.addWidget(self.reach)
        panel_layout.addWidget(self.why)
        panel_layout.addWidget(self.said)
        panel_layout.addWidget(self.not_now)
        script_label = QLabel("What to say")
        script_label.setStyleSheet("font-weight: 600; margin-top: 6px;")
        panel_layout.addWidget(script_label)
        panel_layout.addWidget(self.script, 1)
        panel_layout.addLayout(buttons)
        panel_layout.addLayout(more)
        self.empty = QLabel(
            "Follow-ups appear here on the day they fall due.\n\n"
            "A new enquiry? File › New lead (Ctrl+N).\n"
            "Customers elsewhere? File › Import contacts."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {active_theme().muted_text}; font-size: 15px;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.headline)
        # On a team database: my follow-ups by default, the whole team's with one switch.
        self.whole_team = QCheckBox("Whole team")
        self.whole_team.setToolTip("Show every member's follow-ups, not only yours")
        self.whole_team.setVisible(not db.is_sqlite)
        self.whole_team.toggled.connect(lambda _on: self.refresh())
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.whole_team)
        left_layout.addLayout(top)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.empty, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        # Stacked under the list at narrow widths the panel may be taller than its room: it
        # scrolls up and down there rather than squeezing its lines over one another.
        self._panel_side = QScrollArea()
        self._panel_side.setWidget(self.panel)
        self._panel_side.setWidgetResizable(True)
        self._panel_side.setFrameShape(QFrame.Shape.NoFrame)
        self._panel_side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter.addWidget(self._panel_side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self._list_side = left
        self._side_by_side: bool | None = None
        self._lay_out(side_by_side=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(_PAGE_MARGIN, 14, _PAGE_MARGIN, 14)
        layout.addWidget(self.splitter)

        self.tree.selectionModel().currentChanged.connect(self._current_moved)
        # A click on the row already current is still the owner choosing that person (the
        # details may show someone else while their unsaved edits hold them there).
        self.tree.clicked.connect(lambda *_: self.current_changed.emit())
        self.tree.activated.connect(lambda *_: self._primary())
        self.primary.clicked.connect(self._primary)
        self.copy.clicked.connect(self._copy)
        self.outcome.clicked.connect(self._log_outcome)
        self.snooze_button.clicked.connect(self._snooze)
        self.open_button.clicked.connect(self._open)
        self._show_current()
        # Until the first rows arrive from the database thread: neither "nothing due" nor an
        # empty panel, only the list's frame.
        self.empty.hide()
        self._panel_side.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.tree and event.type() == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            self._fit_columns(event.size().width())  # the viewport has not followed yet
        return super().eventFilter(obj, event)

    def _fit_columns(self, width: int) -> None:
        # Without room for their time's own column, it goes under the due time.
        self.tree.fold_their_time(width < _ROOM_FOR_THEIR_TIME)
        self.tree.setColumnHidden(4, width < _ROOM_FOR_BASIS)
        self._narrow_columns = width < _ROOM_FOR_WIDE_COLUMNS
        self._list_width = width
        self._size_columns()

    def _size_columns(self) -> None:
        """The when and who columns at their width for the list's room, wider where the due
        times need it to be whole (the reason gives way); resized only when that changes, so
        a column the user dragged stays as they left it while the window is resized."""
        tree = self.tree
        sizes = dict(_NARROW_COLUMNS if self._narrow_columns else _WIDE_COLUMNS)
        # The reason's least width beside the other columns, with room for a scroll bar: in
        # a list narrower still (the window at its smallest with the details open) the due
        # time is cut short as before rather than the list scrolling sideways.
        room = self._list_width - 2 * tree.frameWidth()
        room -= tree.verticalScrollBar().sizeHint().width() + _LEAST_REASON + sizes[2]
        room -= sum(tree.columnWidth(c) for c in (1, 4) if not tree.isColumnHidden(c))
        sizes[0] = max(sizes[0], min(tree.due_width(), room))
        for column, size in sizes.items():
            if self._column_sizes.get(column) != size:
                self.tree.header().resizeSection(column, size)
        self._column_sizes = sizes

    def resizeEvent(self, event: QResizeEvent) -> None:
        room = event.size().width() - 2 * _PAGE_MARGIN
        self._lay_out(side_by_side=room >= _SIDE_BY_SIDE)
        super().resizeEvent(event)

    def _lay_out(self, *, side_by_side: bool) -> None:
        """The action panel beside the list where both fit, under it where they do not."""
        wanted = Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical
        if side_by_side is self._side_by_side:
            return
        self._side_by_side = side_by_side
        self.splitter.setOrientation(wanted)
        panel_layout = self._panel_layout
        if side_by_side:
            self._list_side.setMinimumWidth(LIST_SIDE_MIN)
            panel_layout.setContentsMargins(16, 14, 16, 14)
            self.script.setMinimumHeight(160)
        else:
            # Stacked, each takes the page's width; the script gives up height to the list.
            self._list_side.setMinimumWidth(1)
            panel_layout.setContentsMargins(10, 10, 10, 10)
            self.script.setMinimumHeight(72)
        # Never narrower than its own buttons (it would be cut off, as it cannot scroll
        # sideways), with room for the scroll bar it may need when stacked.
        least = self.panel.minimumSizeHint().width()
        if side_by_side:
            least = max(least, PANEL_SIDE_MIN)
        else:
            least += self._panel_side.verticalScrollBar().sizeHint().width()
        self._panel_side.setMinimumWidth(least)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

    # -- data ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload what is due today and overdue (as the page is shown, read once it has been
        painted: see `ui.after_paint`)."""
        held = self._after_paint.hold() if self._showing else None
        from deckfollow.core.today import load_today

        now, whole_team = self._clock(), self.whole_team.isChecked()
        # The due SQL and each customer's holiday calendar are worked out on the database
        # thread; the list shows them once read.
        self._stale = False
        before_building()

        def read(session: Session) -> TodayList:
            wait_for_paint(held)
            with while_building():  # thousands of rows on a big business: see `_read`
                # Sections, other clocks, id sets and counts made here too: pure data, so
                # the GUI thread only hands them to the list.
                return prepare_today(load_today(session, now=now, whole_team=whole_team))

        self._ops.run_query(self, read, success=self._read)

    def _read(self, rows: TodayList) -> None:
        # Kept until the next read, so set aside from the cycle collector: its young
        # generations walked them again and again on this thread (55,000 objects at 20,000
        # quotes, with the holiday calendars the read loaded: 0.1 s each time).
        set_aside()
        self.show_rows(rows)

    def apply_changes(self, changes: Changes) -> None:
        """Bring the list up to date with a saved change, if it concerns the day's work; off
        screen, only note it and read again when next shown."""
        if self._said and changes.notices:
            # What it did beyond what was asked, after whom it was for (the window said
            # only the notices, over what this page had said).
            self._say(f"{self._said}. {' '.join(changes.notices)}")
        if not self._concerned_by(changes):
            return
        if self.isVisible():
            self.refresh()
        else:
            self.mark_stale()

    def mark_stale(self) -> None:
        """The list is out of date: read it again the next time the page is shown."""
        self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            # Read once the page is on screen: its first layout and paint are this turn's.
            self._showing = True
            try:
                self.refresh()
            finally:
                self._showing = False
        super().showEvent(event)

    def _concerned_by(self, changes: Changes) -> bool:
        if changes.follow_ups or changes.touches or changes.consent or changes.settings:
            return True
        if not (changes.customers or changes.quotes):
            return False
        if not changes.customer_ids and not changes.quote_ids:
            return True  # the change did not say which: assume any row may show it
        # Looked up in the sets made when the rows were shown: no walk over 4,000 rows.
        return not (
            self._customer_ids.isdisjoint(changes.customer_ids)
            and self._quote_ids.isdisjoint(changes.quote_ids)
        )

    def show_rows(self, today: TodayList) -> None:
        """Show these follow-ups, keeping the one chosen (or moving on to the next)."""
        rows = today.rows
        self._stale = False
        self._items = rows.items
        self._customer_ids = today.customer_ids
        self._quote_ids = today.quote_ids
        self._home_country = rows.home_country
        set_owner_zone(rows.owner_tz)  # the zone changed in settings shows everywhere at once
        current = self.current_item()
        keep = current.follow_up_id if current else None
        shown_before = self.model.ids_in_order()
        groups = today.groups
        # Rebuilt quietly: a refresh is not the user choosing someone. The first rows shown
        # say so once, for the details panel to show the person Today's own panel shows;
        # a move past the follow-up just acted on does not, so the details stay on the
        # customer acted on (the status line names them) until the user picks another row.
        self._quiet = True
        self.model.set_items(today, self.tree.font())
        self._size_columns()  # a customer on another clock may have come or gone
        overdue = today.overdue
        noun = "follow-up" if len(self._items) == 1 else "follow-ups"
        when = long_date_text(rows.day)
        if self._items:
            self.headline.setText(f"{len(self._items)} {noun} for {when}")
        else:
            self.headline.setText(f"Nothing due for {when}")
        parts = []
        for title, items in groups:
            one = "reply" if title == "Replies" else title[:-1].lower()
            parts.append(f"{len(items)} {title.lower() if len(items) != 1 else one}")
        if overdue:
            parts.append(f"{overdue} overdue")
        self.counts.setText(" · ".join(parts))
        self.tree.setVisible(bool(self._items))
        self.empty.setVisible(not self._items)
        self._panel_side.setVisible(bool(self._items))
        chosen = _next_to_select(keep, shown_before, self.model.ids_in_order())
        if chosen is not None:
            self.tree.setCurrentIndex(self.model.index_of(chosen))
        self._quiet = False
        # The panel's words are read once the new rows are painted (see `ui.after_paint`).
        self._show_current(after_paint=True)
        if keep is None and chosen is not None:
            self.current_changed.emit()

    def current_item(self) -> DueItem | None:
        return self.model.item(self.tree.currentIndex())

    def select_follow_up(self, follow_up_id: int) -> bool:
        index = self.model.index_of(follow_up_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        return True

    # -- the panel ----------------------------------------------------------------------------

    def _current_moved(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        self._show_current()
        self.current_changed.emit()

    def _show_current(self, *, after_paint: bool = False) -> None:
        item = self.current_item()
        enabled = item is not None
        for b in (self.primary, self.copy, self.outcome, self.snooze_button, self.open_button):
            b.setEnabled(enabled)
        if item is None:
            for label in (self.who, self.reach, self.why, self.said, self.not_now):
                label.clear()
            self.not_now.hide()
            self.script.clear()
            self.primary.setText("Act")
            return
        now = self._clock()
        local_now = now.astimezone(ZoneInfo(item.timezone))
        quote = f" · {item.quote}" if item.quote else ""
        self.who.setText(f"{item.customer}{quote}")
        reach = {
            Channel.CALL: item.phone,
            Channel.TEXT: item.phone,
            Channel.VIDEO: item.phone,
            Channel.EMAIL: item.email,
        }.get(item.channel)
        if reach and item.channel is not Channel.EMAIL:
            # As the owner dials it: "0412 345 679" at home, "+1 312 …" abroad.
            reach = phone_as_read_in(reach, self._home_country)
        # Their clock only where it reads differently from the owner's.
        theirs = their_time_text(now, item.timezone)
        self.reach.setText(
            f"{item.channel.value.title()}: {reach or 'no number on file'}"
            + (f" · their time now {weekday_time_text(local_now)}" if theirs else "")
            if item.channel is not Channel.CARD
            else "Card by post"
        )
        late = "Overdue — " if item.overdue else ""
        self.why.setText(f"{late}{item.reason}")
        self.said.setText(f"They said: “{item.agreed_words}”" if item.agreed_words else "")
        self.said.setVisible(bool(item.agreed_words))
        self._show_reads(item, now, held=self._after_paint.hold() if after_paint else None)
        self.primary.setText(
            {
                Channel.CALL: "Call…",
                Channel.VISIT: "Call…",
                Channel.TEXT: "Text…",
                Channel.VIDEO: "Text…",
                Channel.EMAIL: "Email…",
                Channel.CARD: "Write the card…",
            }[item.channel]
        )
        if is_stop_question(item.reason):
            self.primary.setText("Stop every channel…")

    def _show_reads(self, item: DueItem, now: datetime, *, held: threading.Event | None) -> None:
        """Why acting now would be refused, and the words to say: read on the database
        thread, and shown if the user is still on that follow-up."""
        # Not the last follow-up's words under this one's name while they are read.
        self._show_read((None, ""))

        def shown(read: tuple[str | None, str]) -> None:
            current = self.current_item()
            if current is not None and current.follow_up_id == item.follow_up_id:
                self._show_read(read)

        def read(session: Session) -> tuple[str | None, str]:
            wait_for_paint(held)
            return self._read_panel(session, item, now)

        self._ops.run_query(self, read, success=shown)

    def _show_read(self, read: tuple[str | None, str]) -> None:
        refused, self._script = read
        self.not_now.setText("" if refused is None else f"Not now: {refused}")
        self.not_now.setVisible(refused is not None)
        self.script.setPlainText(self._script)

    def _read_panel(self, session: Session, item: DueItem, now: datetime) -> tuple[str | None, str]:
        """(why acting now would be refused or None, the words to say)."""
        from deckfollow.messaging.guard import check_send

        refused: str | None = None
        if item.channel is not Channel.CARD:
            check = check_send(
                session,
                customer_id=item.customer_id,
                channel=item.channel,
                now=now,
                follow_up_id=item.follow_up_id,
            )
            refused = None if check.allowed else check.reason
        return refused, self._render_script(session, item)

    def _render_script(self, session: Session, item: DueItem) -> str:
        # The same wording the call, text and email screens open with.
        from deckfollow.core.settings import load_settings
        from deckfollow.messaging.follow_up_wording import follow_up_wording
        from deckfollow.messaging.inbound import what_they_said

        if needs_answer(item.reason):
            said = what_they_said(
                session, item.customer_id, load_settings(session).owner_timezone, item.reason
            )
            if said is not None:
                return said
        wording = follow_up_wording(
            session, item.follow_up_id, _KIND[item.channel], now=self._clock()
        )
        if wording.subject is not None:
            return f"Subject: {wording.subject.text}\n\n{wording.body.text}"
        return wording.body.text

    def _primary(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.channel is Channel.CARD:
            if self.write_card is not None:
                self.write_card(item.customer_id)
            return
        if self.act is not None:
            said = f"{_SAVED.get(item.channel, 'Logged the call with')} {item.customer}"
            self.act(item.follow_up_id, lambda: self._after_change(said))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._script)

    def _log_outcome(self) -> None:
        item = self.current_item()
        if item is not None and self.log_outcome is not None:
            said = f"Saved what happened with {item.customer} and what happens next"
            self.log_outcome(item, lambda: self._after_change(said))

    def _snooze(self) -> None:
        item = self.current_item()
        if item is not None and self.snooze is not None:
            said = f"Snoozed the {item.channel.value} with {item.customer}"
            self.snooze(item.follow_up_id, lambda: self._after_change(said))

    def _open(self) -> None:
        item = self.current_item()
        if item is not None and item.quote_id is not None:
            self.open_quote.emit(item.quote_id)

    def _after_change(self, said: str = "") -> None:
        """Say what was saved, naming whom. The list is read again once, for the broadcast
        of what the action changed (`apply_changes`); the selection moves on to the next item
        then, and the details panel with it."""
        self.changed.emit()
        if said:
            self._said = said
            QTimer.singleShot(0, self, self._forget_said)  # after the change's broadcast
            self._say(said)

    def _forget_said(self) -> None:
        self._said = ""

    def _say(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10000)


def _next_to_select(keep: int | None, before: list[int], now_shown: list[int]) -> int | None:
    """The row to select after a refresh: the same follow-up if it is still there, else the
    one that came after it (the next piece of work, not the top of the list)."""
    if not now_shown:
        return None
    if keep in now_shown:
        return keep
    if keep in before:
        present = set(now_shown)
        for fid in before[before.index(keep) + 1 :]:
            if fid in present:
                return fid
        return now_shown[-1]
    return now_shown[0]
