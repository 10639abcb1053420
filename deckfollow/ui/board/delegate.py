"""Painting a quote card: who, what, how much, how long since a touch, what's next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

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
)
from deckfollow.ui.theme import active_theme

CARD_HEIGHT = 100
_MARGIN = 6


class CardDelegate(QStyledItemDelegate):
    """Cards are painted, not built from widgets: thousands scroll without a stall."""

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        # The card's fonts and their metrics, made once per view font: making them for
        # every card was most of a card's paint (the board's first paint waits on it).
        self._fonts: tuple[str, _Fonts] | None = None

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
        rect: QRect = option.rect.adjusted(_MARGIN, _MARGIN // 2, -_MARGIN, -_MARGIN // 2)
        selected = self._selected(option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 6, 6)
        # The list's own background is transparent, so cards take the application's base colour.
        painter.fillPath(path, QApplication.palette().color(QPalette.ColorRole.Base))
        border = (
            palette.color(QPalette.ColorRole.Highlight)
            if selected
            else QColor(active_theme().card_border)
        )
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.drawPath(path)
        if row.going_cold:
            # A cold card carries a blue edge: visible at a glance down a long column.
            stripe = QRectF(rect.left(), rect.top() + 1, 4, rect.height() - 2)
            painter.fillRect(stripe, QColor(active_theme().cold_edge))

        inner = rect.adjusted(12, 7, -10, -6)
        fonts = self._fonts_for(option.font)
        base_font, bold, small = fonts.base, fonts.bold, fonts.small
        fm_bold, fm, fs = fonts.bold_metrics, fonts.metrics, fonts.small_metrics
        text_color = QApplication.palette().color(QPalette.ColorRole.Text)
        muted = QColor(active_theme().muted_text)

        # Line 1: the customer, the whole width.
        line_h = fm_bold.height()
        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm_bold.elidedText(row.customer, Qt.TextElideMode.ElideRight, inner.width()),
        )

        # Line 2: the job.
        painter.setFont(base_font)
        y = inner.top() + line_h + 1
        painter.setPen(muted)
        painter.drawText(
            QRect(inner.left(), y, inner.width(), fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(row.job, Qt.TextElideMode.ElideRight, inner.width()),
        )

        # Line 3: the amount on the right, since the last touch on the left.
        y3 = y + fm.height() + 3
        amount = money_text(row.amount, row.currency, whole=True)
        amount_w = fm_bold.horizontalAdvance(amount) + 8 if amount else 0
        if amount:
            painter.setFont(bold)
            painter.setPen(text_color)
            painter.drawText(
                QRect(inner.right() - amount_w, y3, amount_w, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                amount,
            )
        painter.setFont(small)
        age, age_color = self._age(row, now)
        room = inner.width() - amount_w
        if fs.horizontalAdvance(age) > room:
            age = self._short_age(row, now) or age
        painter.setPen(age_color if age_color is not None else muted)
        painter.drawText(
            QRect(inner.left(), y3, room, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fs.elidedText(age, Qt.TextElideMode.ElideRight, room),
        )

        # Line 4: what's next, in the longest form that fits whole.
        text, color = self._next(row, now)
        if text:
            text = self._next_fitting(row, now, fs, inner.width()) or text
            y4 = y3 + line_h + 1
            painter.setPen(color if color is not None else muted)
            painter.drawText(
                QRect(inner.left(), y4, inner.width(), fs.height() + 1),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fs.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
            )
        painter.restore()

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
        day = date_text(nxt.due_at)
        at = clock_text(owner_time(nxt.due_at))
        tick = " \N{CHECK MARK}" if agreed else ""
        forms = (
            f"{head} {date_time_text(nxt.due_at)}" + (" · agreed" if agreed else ""),
            f"{head} {date_time_text(nxt.due_at)}{tick}",
            f"{head} {day} {at}{tick}",
            f"{head} {day}{tick}",
        )
        for form in forms:
            # Whole as drawn: the painter's own elision is the judge, not a measured width.
            if fm.elidedText(form, Qt.TextElideMode.ElideRight, width) == form:
                return form
        return forms[-1]


class _Fonts:
    """A card's three fonts and their metrics, from the view's font."""

    def __init__(self, font: QFont) -> None:
        self.base = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        self.metrics = QFontMetrics(self.base)
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)
