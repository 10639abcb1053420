"""Painting a quote card: who, what, how much, how long since a touch, what's next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from deckfollow.core.enums import Basis, Stage
from deckfollow.core.quote_index import QuoteRow
from deckfollow.ui.board.model import ROW_ROLE
from deckfollow.ui.formatting import (
    ago_text,
    clock_text,
    date_text,
    date_time_text,
    money_text,
    owner_time,
    written_with,
)
from deckfollow.ui.theme import active_theme

CARD_HEIGHT = 100
_MARGIN = 6
# Cards whose lines are kept for their next paint; past this many (a long scroll through a
# big column) they are all let go and worked out again as they show.
_KEPT_LINES = 4_000


class _Lines(NamedTuple):
    """A card's texts as drawn, each already fitted to the card's width, and their colours."""

    customer: str
    job: str
    amount: str
    amount_width: int
    age: str
    age_color: QColor | None
    next_text: str
    next_color: QColor | None


class CardDelegate(QStyledItemDelegate):
    """Cards are painted, not built from widgets: thousands scroll without a stall."""

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        # The card's fonts and their metrics, made once per view font: making them for
        # every card was most of a card's paint (the board's first paint waits on it).
        self._fonts: tuple[str, _Fonts] | None = None
        # Each card's lines as last drawn, by quote, with what they were worked out from: a
        # repaint (a scroll, a selection, a window moved over the board) draws them again
        # without formatting dates and money and fitting texts anew, which was most of a
        # card's paint.
        self._lines: dict[int, tuple[QuoteRow, tuple[object, ...], _Lines]] = {}

    def _fonts_for(self, font: QFont) -> _Fonts:
        key = font.key()
        if self._fonts is None or self._fonts[0] != key:
            self._fonts = (key, _Fonts(font))
        return self._fonts[1]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width() or 240, CARD_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, QuoteRow):
            return
        now = self._clock()
        palette = option.palette
        theme = active_theme()
        rect: QRect = option.rect.adjusted(_MARGIN, _MARGIN // 2, -_MARGIN, -_MARGIN // 2)
        selected = self._selected(option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 6, 6)
        # The list's own background is transparent, so cards take the application's base colour.
        painter.fillPath(path, QApplication.palette().color(QPalette.ColorRole.Base))
        border = (
            palette.color(QPalette.ColorRole.Highlight) if selected else QColor(theme.card_border)
        )
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.drawPath(path)
        if row.going_cold:
            # A cold card carries a blue edge: visible at a glance down a long column.
            stripe = QRectF(rect.left(), rect.top() + 1, 4, rect.height() - 2)
            painter.fillRect(stripe, QColor(theme.cold_edge))

        inner = rect.adjusted(12, 7, -10, -6)
        fonts = self._fonts_for(option.font)
        lines = self._lines_of(row, now, fonts, inner.width(), theme)
        fm_bold, fm, fs = fonts.bold_metrics, fonts.metrics, fonts.small_metrics
        text_color = QApplication.palette().color(QPalette.ColorRole.Text)
        muted = QColor(theme.muted_text)
        left_v = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

        # Line 1: the customer, the whole width.
        line_h = fm_bold.height()
        painter.setFont(fonts.bold)
        painter.setPen(text_color)
        painter.drawText(QRect(inner.left(), inner.top(), inner.width(), line_h), left_v,
                         lines.customer)  # fmt: skip

        # Line 2: the job.
        painter.setFont(fonts.base)
        y = inner.top() + line_h + 1
        painter.setPen(muted)
        painter.drawText(QRect(inner.left(), y, inner.width(), fm.height()), left_v, lines.job)

        # Line 3: the amount on the right, since the last touch on the left.
        y3 = y + fm.height() + 3
        amount_w = lines.amount_width
        if lines.amount:
            painter.setFont(fonts.bold)
            painter.setPen(text_color)
            painter.drawText(
                QRect(inner.right() - amount_w, y3, amount_w, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                lines.amount,
            )
        painter.setFont(fonts.small)
        painter.setPen(lines.age_color if lines.age_color is not None else muted)
        painter.drawText(QRect(inner.left(), y3, inner.width() - amount_w, line_h), left_v,
                         lines.age)  # fmt: skip

        # Line 4: what's next, in the longest form that fits whole.
        if lines.next_text:
            y4 = y3 + line_h + 1
            painter.setPen(lines.next_color if lines.next_color is not None else muted)
            painter.drawText(QRect(inner.left(), y4, inner.width(), fs.height() + 1), left_v,
                             lines.next_text)  # fmt: skip
        painter.restore()

    def _lines_of(
        self, row: QuoteRow, now: datetime, fonts: _Fonts, width: int, theme: object
    ) -> _Lines:
        """The card's lines, kept from its last paint while nothing they depend on changed:
        the row itself (a saved change makes a new one), the width, the fonts, the minute
        (ages and "overdue" move with the clock), what texts are written with (the owner's
        zone, the locale, the clock style) and the colours (light or dark)."""
        basis = (
            width,
            now.replace(second=0, microsecond=0),
            fonts.key,
            *written_with(),
            id(theme),
        )
        kept = self._lines.get(row.quote_id)
        if kept is not None and kept[0] is row and kept[1] == basis:
            return kept[2]
        lines = self._work_out_lines(row, now, fonts, width)
        if len(self._lines) >= _KEPT_LINES:
            self._lines.clear()
        self._lines[row.quote_id] = (row, basis, lines)
        return lines

    @classmethod
    def _work_out_lines(cls, row: QuoteRow, now: datetime, fonts: _Fonts, width: int) -> _Lines:
        fm_bold, fm, fs = fonts.bold_metrics, fonts.metrics, fonts.small_metrics
        elide = Qt.TextElideMode.ElideRight
        amount = money_text(row.amount, row.currency, whole=True)
        amount_w = fm_bold.horizontalAdvance(amount) + 8 if amount else 0
        age, age_color = cls._age(row, now)
        room = width - amount_w
        if fs.horizontalAdvance(age) > room:
            age = cls._short_age(row, now) or age
        text, next_color = cls._next(row, now)
        if text:
            text = fs.elidedText(cls._next_fitting(row, now, fs, width) or text, elide, width)
        return _Lines(
            customer=fm_bold.elidedText(row.customer, elide, width),
            job=fm.elidedText(row.job, elide, width),
            amount=amount,
            amount_width=amount_w,
            age=fs.elidedText(age, elide, room),
            age_color=age_color,
            next_text=text,
            next_color=next_color,
        )

    @staticmethod
    def _selected(option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> bool:
        """The card is selected in its column (the view painting it, also for a drag's
        picture). Asked of the column's selection, not of `option.state`: the first look at
        a style state (or at `QStyle` itself) builds every one of QStyle's enumerations in
        Python, about 10 ms of the board's first paint."""
        view = option.widget
        chosen = view.selectionModel() if isinstance(view, QAbstractItemView) else None
        return chosen is not None and chosen.isSelected(index)

    @staticmethod
    def _age(row: QuoteRow, now: datetime) -> tuple[str, QColor | None]:
        if row.awaiting_first_reply:
            return f"New · {ago_text(row.received_at, now)}, no reply yet", QColor(
                active_theme().new_lead_text
            )
        if row.stage in (Stage.WON, Stage.LOST):
            return f"{row.stage.label} {date_text(row.stage_changed_at, row.timezone)}", None
        if row.stage is Stage.PARKED and row.parked_until is not None:
            # When it comes back, not how long since a touch: parked is a pause on purpose.
            day = date_text(row.parked_until)
            if owner_time(now).date() >= row.parked_until:
                return f"Parked until {day}, now back", None
            return f"Parked until {day}", None
        days = row.days_since_touch(now)
        text = "touched today" if days == 0 else f"{days} d since touch"
        if row.going_cold:
            return f"{text} · going cold", QColor(active_theme().cold_text)
        return text, None

    @staticmethod
    def _short_age(row: QuoteRow, now: datetime) -> str | None:
        """The same, shorter, for a card too narrow beside its amount."""
        if row.stage is Stage.PARKED and row.parked_until is not None:
            day = date_text(row.parked_until)
            back = owner_time(now).date() >= row.parked_until
            return "Back now" if back else f"Until {day}"
        if row.awaiting_first_reply or row.stage in (Stage.WON, Stage.LOST):
            return None
        # The quote list's "Last touch" words: "15 d ago", not "15 d since to…".
        days = row.days_since_touch(now)
        return "touched today" if days == 0 else f"{days} d ago"

    @staticmethod
    def _next(row: QuoteRow, now: datetime) -> tuple[str, QColor | None]:
        nxt = row.next_follow_up
        if nxt is None:
            return (
                ("No next step planned", QColor(active_theme().overdue_text))
                if row.stage.is_open
                else ("", None)
            )
        # The owner's clock; a card has no room for the customer's (the list and details show it).
        when = date_time_text(nxt.due_at)
        agreed = nxt.basis is Basis.AGREED
        text = f"Next: {nxt.channel.value} {when}" + (" · agreed" if agreed else "")
        if row.overdue:
            return f"Overdue: {nxt.channel.value} {when}" + (" · agreed" if agreed else ""), QColor(
                active_theme().overdue_text
            )
        return text, QColor(active_theme().agreed_text) if agreed else None

    @staticmethod
    def _next_fitting(row: QuoteRow, now: datetime, fm: QFontMetrics, width: int) -> str:
        """What's next, shortened until it fits `width`: the day is what matters, so the
        weekday, then "agreed" as a tick, then the time give way before the day is cut."""
        nxt = row.next_follow_up
        if nxt is None:
            return ""
        head = f"{'Overdue' if row.overdue else 'Next'}: {nxt.channel.value}"
        agreed = nxt.basis is Basis.AGREED
        tick = " \N{CHECK MARK}" if agreed else ""
        when = date_time_text(nxt.due_at)

        def fits(form: str) -> bool:
            # Whole as drawn: the painter's own elision is the judge, not a measured width.
            return fm.elidedText(form, Qt.TextElideMode.ElideRight, width) == form

        # The longer forms first; the shorter ones are only worked out when needed.
        for form in (f"{head} {when}" + (" · agreed" if agreed else ""), f"{head} {when}{tick}"):
            if fits(form):
                return form
        day = date_text(nxt.due_at)
        form = f"{head} {day} {clock_text(owner_time(nxt.due_at))}{tick}"
        return form if fits(form) else f"{head} {day}{tick}"


class _Fonts:
    """A card's three fonts and their metrics, from the view's font."""

    def __init__(self, font: QFont) -> None:
        self.key = font.key()
        self.base = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        self.metrics = QFontMetrics(self.base)
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)
