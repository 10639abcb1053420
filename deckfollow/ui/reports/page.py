"""The Reports page: each figure with its reading, a chart and its numbers, for a period.

The report is computed on the window's database thread (`core.reports.build_report`, the
same function the PDF, the CSV and `deckfollow report` use), so the window never waits for
it; one report is asked for at a time, and a period or member chosen meanwhile is read once
that answer is in (which is dropped). Clicking a figure or a bar asks the core, on the same
thread, for the quotes behind it and shows them in the Quotes list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QSettings, Qt, QThread, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.enums import Stage
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.report_periods import Period, PeriodKind, custom, day_month
from deckfollow.core.reports import build_report, default_period
from deckfollow.core.reports_behind import Drill, Figure, quotes_behind
from deckfollow.core.reports_members import ReportMember, report_members
from deckfollow.core.reports_model import CountValue, Report, rate
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.formatting import clock_text, compact_money, readable_date_edit
from deckfollow.ui.reports.chart import BarChart, ChartData, series_of, table_rows
from deckfollow.ui.team.server_away import fills_in_line, server_watch
from deckfollow.ui.theme import active_theme

_PERIODS = [
    (PeriodKind.THIS_MONTH, "This month"),
    (PeriodKind.LAST_90_DAYS, "Last 90 days"),
    (PeriodKind.FINANCIAL_YEAR, "This financial year"),
    (PeriodKind.CUSTOM, "Custom…"),
]
# Wider than this, the cards sit two to a row.
_TWO_COLUMNS = 1040


def _pct(part: int | Decimal, whole: int | Decimal) -> str:
    value = rate(part, whole)
    return "–" if value is None else f"{value * 100:.0f}%"


def _num(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    shown = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"
    return f"{shown}{unit}"


def _minutes(value: Decimal | None) -> str:
    if value is None:
        return "–"
    if value < 90:
        return _num(value, " min")
    if value < 48 * 60:
        return _num((value / 60).quantize(Decimal("0.1")), " h")
    return _num((value / 1440).quantize(Decimal("0.1")), " days")


def _money_axis(currency: str, home: str) -> Callable[[float], str]:
    def text(value: float) -> str:
        if not value or not currency:
            return "0"
        return compact_money(Decimal(str(round(value, 2))), currency, home=home)

    return text


@dataclass(frozen=True)
class _Asked:
    """What the page asks the database for: the chosen period, whose figures, and when."""

    kind: PeriodKind
    first: date  # the custom period's days (ignored for a named period)
    last: date
    member: str | None
    now: datetime


@dataclass(frozen=True)
class _Read:
    """A report with what the page shows around it, read in one go."""

    country: str
    members: list[ReportMember]
    period: Period
    report: Report


def _read_report(session: Session, asked: _Asked) -> _Read:
    """On the database thread: the period in the owner's clock, the team, and the report."""
    settings = load_settings(session)
    if asked.kind is PeriodKind.CUSTOM:
        period = custom(asked.first, max(asked.first, asked.last), settings.owner_timezone)
    else:
        period = default_period(session, asked.kind, now=asked.now)
    members = report_members(session)
    report = build_report(session, period, now=asked.now, member=asked.member)
    return _Read(settings.default_country, members, period, report)


class FigureButton(QFrame):
    """A headline number over its caption; clicking it shows the quotes behind it."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.drill: Drill | None = None
        self.setObjectName("figure")
        self.value = QLabel("–")
        self.value.setObjectName("figureValue")
        self.value.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.label = QLabel(caption)
        self.label.setObjectName("figureCaption")
        self._soften(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.label)

    @staticmethod
    def _soften(label: QLabel) -> None:
        """Caption text between the text and the background colour: quieter, still legible."""
        pal = label.palette()
        text, back = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
        mixed = QColor(
            (text.red() * 2 + back.red()) // 3,
            (text.green() * 2 + back.green()) // 3,
            (text.blue() * 2 + back.blue()) // 3,
        )
        pal.setColor(QPalette.ColorRole.WindowText, mixed)
        label.setPalette(pal)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.label.setPalette(self.palette())
            self._soften(self.label)

    def set_value(self, value: str, drill: Drill | None) -> None:
        self.drill = drill
        self.value.setText(value)
        clickable = drill is not None
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )
        self.setToolTip("Click to see these quotes in the Quotes list" if clickable else "")
        self.setStyleSheet(
            "QFrame#figure { border-radius: 4px; }"
            + ("QFrame#figure:hover { background: palette(midlight); }" if clickable else "")
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.drill is not None:
            self.clicked.emit()


class Card(QFrame):
    """One figure: title, headline numbers, reading, chart and (on request) its numbers."""

    def __init__(self, title: str, captions: list[str], chart: bool = True) -> None:
        super().__init__()
        self.setObjectName("reportCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.choice = QComboBox()
        self.choice.hide()
        self.figures = [FigureButton(c) for c in captions]
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setObjectName("reading")
        self.chart = BarChart() if chart else None
        self.toggle = QPushButton("Show numbers")
        self.toggle.setCheckable(True)
        self.toggle.setFlat(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.hide()
        self.toggle.toggled.connect(self._show_numbers)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.choice)
        figs = QHBoxLayout()
        figs.setSpacing(4)
        for f in self.figures:
            figs.addWidget(f, 0, Qt.AlignmentFlag.AlignTop)
        figs.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addLayout(figs)
        layout.addWidget(self.reading)
        if self.chart is not None:
            layout.addWidget(self.chart, 1)
            foot = QHBoxLayout()
            foot.addStretch(1)
            foot.addWidget(self.toggle)
            layout.addLayout(foot)
            layout.addWidget(self.table)

    def set_chart(self, data: ChartData) -> None:
        assert self.chart is not None
        self.chart.set_data(data)
        header, rows = table_rows(data)
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels(header)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        height = self.table.horizontalHeader().height() + 26 * min(len(rows), 12) + 4
        self.table.setFixedHeight(height)
        self.toggle.setVisible(bool(rows))
        if not rows:
            self.toggle.setChecked(False)

    def _show_numbers(self, shown: bool) -> None:
        self.table.setVisible(shown)
        self.toggle.setText("Hide numbers" if shown else "Show numbers")


class ReportsPage(QWidget):
    """Reports for a period; `show_quotes(ids, label)` asks the window to list quotes."""

    show_quotes = Signal(list, str)
    report_ready = Signal()

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        """Read on the database thread of the operations serving `db` (the window's)."""
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the reports page needs the operations of an open database")
        self._ops = ops
        self._clock = clock
        self.report: Report | None = None
        self._period: Period | None = None
        # Each request for figures counts up; an answer to an older one is not shown.
        self._generation = 0
        self._asking = False  # a report is being read (one at a time)
        self._stale = True
        self._country = ""

        self.heading = QLabel("Reports")
        self.heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.period = QComboBox()
        for _kind, label in _PERIODS:
            self.period.addItem(label)
        self.first = QDateEdit()
        self.last = QDateEdit()
        self.first.setAccessibleName("Period from")
        self.last.setAccessibleName("Period to")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            readable_date_edit(edit)
            edit.setEnabled(False)
        # Whose figures: everyone, or one member's (shown once the business has members).
        self.member = QComboBox()
        self.member.setAccessibleName("Member")
        self.member.setToolTip(
            "One member's figures: the quotes they own and the follow-ups that are theirs"
        )
        self.member.addItem("Everyone", None)
        self.member.hide()
        self.member_label = QLabel("Member")
        self.member_label.setBuddy(self.member)
        self.member_label.hide()
        self.span = QLabel()
        self.span.setObjectName("span")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setStyleSheet(f"color: {active_theme().muted_text};")
        self.export_pdf = QPushButton("Export PDF…")
        self.export_csv = QPushButton("Export CSV…")
        for button in (self.export_pdf, self.export_csv):
            button.setEnabled(False)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.heading)
        bar.addSpacing(12)
        bar.addWidget(self.period)
        bar.addWidget(self.first)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.last)
        bar.addSpacing(12)
        bar.addWidget(self.member_label)
        bar.addWidget(self.member)
        bar.addStretch(1)
        bar.addWidget(self.export_pdf)
        bar.addWidget(self.export_csv)

        self.win = Card("Win rate", ["won / quotes old enough", "by value"])
        self.win.choice.addItems(["By job type", "By lead source"])
        self.win.choice.show()
        self.touches = Card("Touches to close", ["median touches to a win", "took 5–12 touches"])
        self.no_reply = Card("Lost for no reply", ["got one follow-up or none", "quotes"])
        self.speed = Card(
            "Speed to lead",
            ["median", "90th percentile", "within 5 min", "within 1 day", "still waiting"],
        )
        self.discipline = Card(
            "Follow-up discipline", ["on time", "late (median)", "missed", "agreed missed"]
        )
        self.pipeline = Card("Pipeline value now", ["open quotes", "parked to revisit"])
        self.months = Card("Quoted, won and lost by month", ["quoted", "won", "lost"])
        self.lost = Card("Lost reasons", ["quotes lost"])
        self.stages = Card("Time in stage", ["lead → quoted", "quoted → decided", "lead → decided"])
        self.cards = [
            self.win,
            self.touches,
            self.no_reply,
            self.speed,
            self.discipline,
            self.pipeline,
            self.months,
            self.lost,
            self.stages,
        ]
        for card in self.cards:
            for f in card.figures:
                f.clicked.connect(lambda b=f: self._figure_clicked(b))
            if card.chart is not None:
                card.chart.bar_clicked.connect(self._bar_clicked)
        for card in (self.pipeline, self.months):
            card.choice.currentIndexChanged.connect(lambda _i: self._fill_charts())
        self.win.choice.currentIndexChanged.connect(lambda _i: self._fill_charts())

        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(self.grid)
        body_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(body)
        self._columns = 0
        self._lay_out(2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.scroller, 1)

        # A custom period's dates as last chosen, else the 90 days to today.
        today = self._clock().astimezone().date()
        for key, edit, fallback in (
            ("reports/first", self.first, today - timedelta(days=89)),
            ("reports/last", self.last, today),
        ):
            stored = QDate.fromString(str(QSettings().value(key, "")), Qt.DateFormat.ISODate)
            edit.setDate(
                stored if stored.isValid() else QDate(fallback.year, fallback.month, fallback.day)
            )
        saved = QSettings().value("reports/period")
        kinds = [k for k, _l in _PERIODS]
        start = kinds.index(PeriodKind(saved)) if saved in {k.value for k in kinds} else 1
        self.period.setCurrentIndex(start)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.first.dateChanged.connect(self._dates_changed)
        self.last.dateChanged.connect(self._dates_changed)
        self.export_pdf.clicked.connect(self._export_pdf)
        self.export_csv.clicked.connect(self._export_csv)
        self.member.currentIndexChanged.connect(lambda _i: self.compute())
        server_watch().state.connect(self._server_state)
        self._period_changed(start, compute=False)

    # -- the window's hooks ------------------------------------------------------------------

    def refresh(self) -> None:
        """Data changed: recompute now if on screen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.compute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.compute()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out(2 if event.size().width() >= _TWO_COLUMNS else 1)

    # -- computing ---------------------------------------------------------------------------

    def _asked(self) -> _Asked:
        """The chosen period (a custom one from the two dates) and member, as of now."""
        kind = _PERIODS[max(0, self.period.currentIndex())][0]
        first, last = self.first.date().toPython(), self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return _Asked(kind, first, last, self.chosen_member, self._clock())

    def _list_members(self, members: list[ReportMember]) -> None:
        """Everyone, then each member who is or was on the team; the choice kept by login."""
        chosen = self.member.currentData()
        self.member.blockSignals(True)
        self.member.clear()
        self.member.addItem("Everyone", None)
        for m in members:
            self.member.addItem(f"{m.name} (left)" if m.removed else m.name, m.login)
        at = self.member.findData(chosen) if chosen is not None else 0
        self.member.setCurrentIndex(max(at, 0))
        self.member.blockSignals(False)
        self.member.setVisible(bool(members))
        self.member_label.setVisible(bool(members))

    @property
    def chosen_member(self) -> str | None:
        """The sign-in of the member whose figures are shown, or None for everyone."""
        login = self.member.currentData()
        return login if isinstance(login, str) else None

    def compute(self) -> None:
        """Ask for the report of the chosen period (read on the database thread)."""
        self._stale = False
        self._generation += 1
        self.status.setText("Working out the figures…")
        if not self._asking:
            self._ask()
        # Else the report being read is dropped once in, and this request read then: periods
        # clicked through quickly cost one report each at most, not a queue of them.

    def _ask(self) -> None:
        self._asking = True
        generation, asked = self._generation, self._asked()
        self._ops.run_query(
            self,
            lambda session: _read_report(session, asked),
            success=lambda read: self._answered(generation, read, None),
            failure=lambda error: self._answered(generation, None, error),
        )

    def _server_state(self, up: bool, _why: str) -> None:
        if self._asking:
            # The read waits for the server and runs again once it is back (ui.operations).
            self.status.setText("Working out the figures…" if up else fills_in_line())

    def wait_for_report(self, timeout_ms: int = 30_000) -> None:
        """Until the report asked for last has been shown (tests only)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._asking and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            QThread.msleep(2)

    def _answered(self, generation: int, read: _Read | None, error: DeckfollowError | None) -> None:
        self._asking = False
        if generation != self._generation:
            self._ask()  # a newer period or member was chosen meanwhile: read that instead
            return
        if error is not None:
            self.status.setText(str(error))
            return
        assert read is not None
        self._country = read.country
        self._list_members(read.members)
        period = self._period = read.period
        if period.kind is not PeriodKind.CUSTOM:
            # The dates a named period covers, ready to adjust as a custom one.
            for edit, day in ((self.first, period.first), (self.last, period.last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        report = self.report = read.report
        made = report.generated_at.astimezone(report.period.tz)
        self.status.setText(f"Figures as of {day_month(made)} {clock_text(made)}")
        for button in (self.export_pdf, self.export_csv):
            button.setEnabled(True)
        self._fill()
        self.report_ready.emit()

    def _period_changed(self, index: int, *, compute: bool = True) -> None:
        kind = _PERIODS[max(0, index)][0]
        if compute:
            # Chosen by the user: remembered. Not when the page is built with the period
            # already remembered: each QSettings write syncs the file to disk on this thread.
            QSettings().setValue("reports/period", kind.value)
        for edit in (self.first, self.last):
            edit.setEnabled(kind is PeriodKind.CUSTOM)
        if compute:
            self.compute()

    def _dates_changed(self) -> None:
        if _PERIODS[self.period.currentIndex()][0] is not PeriodKind.CUSTOM:
            return
        for key, edit in (("reports/first", self.first), ("reports/last", self.last)):
            QSettings().setValue(key, edit.date().toString(Qt.DateFormat.ISODate))
        if self.last.date() < self.first.date():
            self.status.setText("The last day is before the first: choose the dates again.")
            return
        self.compute()

    # -- showing ---------------------------------------------------------------------------

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def _fill(self) -> None:
        r = self.report
        assert r is not None
        w = r.win_rate
        home = r.home_currency
        self.win.figures[0].set_value(
            f"{_pct(w.won, w.decided)}  ({w.won:,} of {w.decided:,})" if w.decided else "–",
            Drill(Figure.WIN_RATE, "won", label="Won, of the quotes old enough to be decided"),
        )
        self.win.figures[1].set_value(
            "\n".join(
                f"{_pct(v.won, v.decided)}  ({compact_money(v.won, v.currency, home=home)}"
                f" of {compact_money(v.decided, v.currency, home=home)})"
                for v in w.by_value
            )
            or "–",
            Drill(Figure.WIN_RATE, label="Quotes old enough to be decided") if w.decided else None,
        )
        self.win.reading.setText(w.reading)

        t = r.touches_to_close
        self.touches.figures[0].set_value(
            _num(t.won.median), Drill(Figure.TOUCHES_WON, label="Won in the period")
        )
        self.touches.figures[1].set_value(
            f"{_pct(t.within_yardstick, t.won.quotes)}"
            f"  ({t.within_yardstick:,} of {t.won.quotes:,})",
            None,
        )
        self.touches.reading.setText(t.reading_won)
        self.no_reply.figures[0].set_value(
            f"{_pct(t.one_or_none, t.lost_no_reply.quotes)}  ({t.one_or_none:,})", None
        )
        self.no_reply.figures[1].set_value(
            f"{t.lost_no_reply.quotes:,}",
            Drill(Figure.TOUCHES_LOST, label="Lost for no reply in the period"),
        )
        self.no_reply.reading.setText(t.reading_lost)

        s = r.speed_to_lead
        leads = Drill(Figure.SPEED, label="Leads received in the period")
        for fig, value, drill in zip(
            self.speed.figures,
            (
                _minutes(s.median_minutes),
                _minutes(s.p90_minutes),
                _pct(s.within_5_min, s.leads),
                _pct(s.within_1_day, s.leads),
                f"{s.unanswered:,}",
            ),
            (
                leads,
                leads,
                Drill(Figure.SPEED, "5_min", label="Leads answered within 5 minutes"),
                Drill(Figure.SPEED, "1_day", label="Leads answered within a day"),
                Drill(Figure.SPEED, "unanswered", label="Leads still waiting for an answer"),
            ),
            strict=True,
        ):
            fig.set_value(value, drill if s.leads else None)
        self.speed.reading.setText(s.reading)

        d = r.discipline
        self.discipline.figures[0].set_value(
            f"{_pct(d.on_time, d.due)}  ({d.on_time:,} of {d.due:,})",
            Drill(Figure.DISCIPLINE, "on_time", label="Follow-ups done on time"),
        )
        self.discipline.figures[1].set_value(
            f"{d.late:,}  ({_num(d.late_median_hours, ' h')})",
            Drill(Figure.DISCIPLINE, "late", label="Follow-ups done late"),
        )
        self.discipline.figures[2].set_value(
            f"{d.missed:,}", Drill(Figure.DISCIPLINE, "missed", label="Follow-ups missed")
        )
        self.discipline.figures[3].set_value(
            f"{d.agreed_missed:,}",
            Drill(Figure.DISCIPLINE, "agreed_missed", label="Agreed follow-ups missed"),
        )
        self.discipline.reading.setText(d.reading)

        self.pipeline.reading.setText(r.pipeline.reading)
        self.months.reading.setText(r.by_month_reading)

        lr = r.lost_reasons
        self.lost.figures[0].set_value(
            f"{lr.total:,}",
            Drill(Figure.LOST_REASON, label="Lost in the period") if lr.total else None,
        )
        self.lost.reading.setText(lr.reading)

        ts = r.time_in_stage
        for fig, (part, span) in zip(
            self.stages.figures,
            (
                ("lead_to_quoted", ts.lead_to_quoted),
                ("quoted_to_decided", ts.quoted_to_decided),
                ("lead_to_decided", ts.lead_to_decided),
            ),
            strict=True,
        ):
            fig.set_value(
                f"{_num(span.median_days, ' days')}  ({span.quotes:,})",
                Drill(Figure.TIME_IN_STAGE, part, label=fig.caption.capitalize())
                if span.quotes
                else None,
            )
        self.stages.reading.setText(ts.reading)

        for card in (self.pipeline, self.months):
            chosen = card.choice.currentText()
            card.choice.blockSignals(True)
            card.choice.clear()
            card.choice.addItems(list(r.currencies))
            if chosen in r.currencies:
                card.choice.setCurrentText(chosen)
            card.choice.setVisible(len(r.currencies) > 1)
            card.choice.blockSignals(False)
        self._fill_charts()

    def _fill_currency_figures(self, r: Report) -> None:
        """The pipeline's and the months' headline figures in the currency chosen."""
        currency = self.pipeline.choice.currentText() or (r.currencies[0] if r.currencies else "")
        zero = CountValue(0, Decimal(0))
        open_now = r.pipeline.totals((Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP))
        parked = r.pipeline.totals((Stage.PARKED,)).get(currency, zero)
        cell = open_now.get(currency, zero)
        self.pipeline.figures[0].set_value(
            f"{compact_money(cell.value, currency, home=r.home_currency)}  ({cell.count:,})"
            if currency
            else "–",
            Drill(Figure.PIPELINE, "", currency=currency, label=f"Open and parked, {currency}")
            if currency
            else None,
        )
        self.pipeline.figures[1].set_value(
            f"{compact_money(parked.value, currency, home=r.home_currency)}  ({parked.count:,})"
            if currency
            else "–",
            Drill(Figure.PIPELINE, Stage.PARKED.value, currency=currency, label="Parked quotes")
            if parked.count
            else None,
        )
        currency = self.months.choice.currentText() or (r.currencies[0] if r.currencies else "")
        for i, kind in enumerate(("quoted", "won", "lost")):
            count, value = 0, Decimal(0)
            for m in r.by_month:
                got = getattr(m, kind).get(currency, zero)
                count, value = count + got.count, value + got.value
            self.months.figures[i].set_value(
                f"{compact_money(value, currency, home=r.home_currency)}  ({count:,})"
                if currency
                else "–",
                Drill(
                    Figure.MONTH, kind, currency=currency, label=f"{kind.capitalize()}, {currency}"
                )
                if count
                else None,
            )

    def _fill_charts(self) -> None:
        r = self.report
        if r is None:
            return
        self._fill_currency_figures(r)
        w = r.win_rate
        by_source = self.win.choice.currentIndex() == 1
        groups = (w.by_source if by_source else w.by_job_type)[:12]
        figure = Figure.WIN_SOURCE if by_source else Figure.WIN_JOB_TYPE
        self.win.set_chart(
            ChartData(
                tuple(f"{g.key or 'Not recorded'} ({g.decided})" for g in groups),
                (
                    series_of(
                        "Win rate",
                        [float(g.rate or 0) * 100 for g in groups],
                        [Drill(figure, g.key or "", label=g.key or "Not recorded") for g in groups],
                    ),
                ),
                value_text=lambda v: f"{v:.0f}%",
                horizontal=True,
                fixed_max=100,
            )
        )

        t = r.touches_to_close
        for card, counts, fig in (
            (self.touches, t.won, Figure.TOUCHES_WON),
            (self.no_reply, t.lost_no_reply, Figure.TOUCHES_LOST),
        ):
            labels = counts.labels()
            card.set_chart(
                ChartData(
                    tuple(labels),
                    (
                        series_of(
                            "Quotes",
                            [float(n) for n in counts.buckets],
                            [
                                Drill(fig, index=i, label=f"{labels[i]} touches")
                                for i in range(len(labels))
                            ],
                        ),
                    ),
                    band=t.yardstick if fig is Figure.TOUCHES_WON else None,
                )
            )

        s = r.speed_to_lead
        self.speed.set_chart(
            ChartData(
                tuple(day_month(wk.starts) for wk in s.weeks),
                (
                    series_of(
                        "Median hours to answer",
                        [float(wk.median_minutes or 0) / 60 for wk in s.weeks],
                        [
                            Drill(
                                Figure.SPEED,
                                index=i,
                                label=f"Leads, week of {day_month(wk.starts)}",
                            )
                            for i, wk in enumerate(s.weeks)
                        ],
                    ),
                ),
                value_text=lambda v: "0 h" if not v else f"{v:,.1f} h" if v < 10 else f"{v:,.0f} h",
            )
        )

        d = r.discipline
        cats = [
            ("On time", "on_time", d.on_time),
            ("Late", "late", d.late),
            ("Skipped", "skipped", d.skipped),
            ("Lapsed", "lapsed", d.lapsed),
            ("Still overdue", "overdue", d.overdue),
        ]
        self.discipline.set_chart(
            ChartData(
                tuple(c[0] for c in cats),
                (
                    series_of(
                        "Follow-ups",
                        [float(c[2]) for c in cats],
                        [
                            Drill(Figure.DISCIPLINE, c[1], label=f"Follow-ups {c[0].lower()}")
                            for c in cats
                        ],
                    ),
                ),
                horizontal=True,
            )
        )

        currency = self.pipeline.choice.currentText() or (r.currencies[0] if r.currencies else "")
        stages = list(r.pipeline.cells)
        zero = CountValue(0, Decimal(0))
        self.pipeline.set_chart(
            ChartData(
                tuple(st.label for st in stages),
                (
                    series_of(
                        f"Value ({currency})",
                        [float(r.pipeline.cells[st].get(currency, zero).value) for st in stages],
                        [
                            Drill(
                                Figure.PIPELINE,
                                st.value,
                                currency=currency,
                                label=f"{st.label}, {currency}",
                            )
                            for st in stages
                        ],
                    ),
                ),
                value_text=_money_axis(currency, r.home_currency),
            )
        )

        currency = self.months.choice.currentText() or (r.currencies[0] if r.currencies else "")
        months = r.by_month
        self.months.set_chart(
            ChartData(
                tuple(f"{m.month:%b %y}" for m in months),
                tuple(
                    series_of(
                        kind.capitalize(),
                        [float(getattr(m, kind).get(currency, zero).value) for m in months],
                        [
                            Drill(
                                Figure.MONTH,
                                kind,
                                index=i,
                                currency=currency,
                                label=f"{kind.capitalize()} in {m.month:%B %Y}, {currency}",
                            )
                            for i, m in enumerate(months)
                        ],
                    )
                    for kind in ("quoted", "won", "lost")
                ),
                value_text=_money_axis(currency, r.home_currency),
            )
        )

        reasons = r.lost_reasons.reasons[:12]
        self.lost.set_chart(
            ChartData(
                tuple(x.reason for x in reasons),
                (
                    series_of(
                        "Quotes",
                        [float(x.count) for x in reasons],
                        [
                            Drill(Figure.LOST_REASON, x.reason, label=f"Lost: {x.reason}")
                            for x in reasons
                        ],
                    ),
                ),
                horizontal=True,
            )
        )

        ts = r.time_in_stage
        spans = [
            ("Lead → quoted", "lead_to_quoted", ts.lead_to_quoted),
            ("Quoted → decided", "quoted_to_decided", ts.quoted_to_decided),
            ("Lead → decided", "lead_to_decided", ts.lead_to_decided),
        ]
        self.stages.set_chart(
            ChartData(
                tuple(x[0] for x in spans),
                (
                    series_of(
                        "Median days",
                        [float(x[2].median_days or 0) for x in spans],
                        [Drill(Figure.TIME_IN_STAGE, x[1], label=x[0]) for x in spans],
                    ),
                ),
                value_text=lambda v: f"{v:,.1f} days",
                horizontal=True,
            )
        )

    # -- the quotes behind a figure ----------------------------------------------------------

    def _figure_clicked(self, button: FigureButton) -> None:
        if button.drill is not None:
            self.open_drill(button.drill)

    def _bar_clicked(self, target: object, label: str) -> None:
        if isinstance(target, Drill):
            self.open_drill(target)

    def open_drill(self, drill: Drill) -> None:
        """Look up the quotes behind `drill` (on the database thread) and ask the window to
        list them."""
        period = self.report.period if self.report is not None else self._period
        if period is None:
            return
        now = self.report.generated_at if self.report is not None else self._clock()
        member = self.report.member if self.report is not None else self.chosen_member
        label = f"{drill.label or drill.figure.value} · {period.label}"
        if self.report is not None and self.report.member:
            label += f" · {self.report.member_name or self.report.member}"

        def shown(ids: list[int]) -> None:
            if not ids:
                self.status.setText(f"No quotes behind “{drill.label}”.")
            else:
                self.show_quotes.emit(ids, label)

        self._ops.run_query(
            self,
            lambda session: quotes_behind(session, period, drill, now=now, member=member),
            success=shown,
        )

    # -- export ------------------------------------------------------------------------------

    def _suggested_name(self, suffix: str) -> str:
        assert self.report is not None
        p = self.report.period
        return str(
            Path.home() / f"deckfollow report {p.first:%Y-%m-%d} to {p.last:%Y-%m-%d}{suffix}"
        )

    def _export_pdf(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, "Export the report as PDF", self._suggested_name(".pdf"), "PDF (*.pdf)"
        )
        if path:
            self.save_pdf(Path(path))

    def _export_csv(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, "Export the report as CSV", self._suggested_name(".csv"), "CSV (*.csv)"
        )
        if path:
            self.save_csv(Path(path))

    def save_pdf(self, path: Path) -> None:
        from deckfollow.printing.report_pdf import write_report_pdf

        assert self.report is not None
        self._save(lambda: write_report_pdf(self.report, path, country=self._country), path)  # type: ignore[arg-type]

    def save_csv(self, path: Path) -> None:
        from deckfollow.exchange.report_csv import write_report_csv

        assert self.report is not None
        self._save(lambda: write_report_csv(self.report, path), path)  # type: ignore[arg-type]

    def _save(self, write: Callable[[], Any], path: Path) -> None:
        try:
            write()
        except OSError as exc:
            QMessageBox.warning(self, "The report was not saved", f"{path}: {exc.strerror}")
            return
        self.status.setText(f"Saved {path.name}")
