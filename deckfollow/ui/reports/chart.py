"""Bar charts painted with QPainter, for the Reports page.

Why QPainter and not QtCharts: every report chart is a plain bar chart (vertical or
horizontal, one to three series, an optional shaded band). Painted directly, each chart
takes its colours from the application palette, so it reads in a dark palette with no
theme to keep in step; a click maps to one bar without a graphics scene per chart; and
the page builds nine of them without nine `QChartView`s. The numbers behind each chart
are a `ChartData`, which the page also shows as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from deckfollow.ui.theme import theme_for


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    # What clicking each bar shows (opaque to the chart; None: nothing behind it).
    targets: tuple[object | None, ...] = ()

    def target(self, index: int) -> object | None:
        return self.targets[index] if index < len(self.targets) else None


@dataclass(frozen=True)
class ChartData:
    """Categories along one axis, one or more series of values, how to print a value."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_text: Callable[[float], str] = field(default=lambda v: f"{v:,.0f}")
    horizontal: bool = False
    # Categories from the first to the second index get a shaded band (the yardstick).
    band: tuple[int, int] | None = None
    band_label: str = ""
    fixed_max: float | None = None

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values)


class BarChart(QWidget):
    """One bar chart; `bar_clicked(target, label)` when a bar with a target is clicked."""

    bar_clicked = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ChartData((), ())
        self.setMouseTracking(True)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._bars: list[tuple[QRectF, int, int]] = []  # (rect, series, category)

    def set_data(self, data: ChartData) -> None:
        self.data = data
        # An empty chart says so in one line instead of holding a chart's worth of space.
        self.setMinimumHeight(44 if data.empty else 150)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        if self.data.empty:
            return QSize(420, 44)
        if self.data.horizontal:
            rows = max(1, len(self.data.categories))
            return QSize(420, 34 + rows * 24)
        return QSize(420, 200)

    def minimumSizeHint(self) -> QSize:
        if self.data.empty:
            return QSize(260, 44)
        return QSize(260, self.sizeHint().height() if self.data.horizontal else 150)

    # -- hit testing ----------------------------------------------------------------------

    def bar_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(series, category) of the bar under `pos` (its whole lane counts, for thin bars)."""
        for rect, s, c in self._bars:
            if self.data.horizontal:
                lane = QRectF(rect.left(), rect.top(), self.width() - rect.left(), rect.height())
            else:
                lane = QRectF(rect.left(), 0, rect.width(), rect.bottom() + 1)
            if lane.contains(pos):
                return s, c
        return None

    def bar_rect(self, series: int, category: int) -> QRectF | None:
        for rect, s, c in self._bars:
            if (s, c) == (series, category):
                return rect
        return None

    def _label(self, s: int, c: int) -> str:
        series = self.data.series[s]
        name = f"{series.name}, " if len(self.data.series) > 1 else ""
        value = self.data.value_text(series.values[c])
        return f"{name}{self.data.categories[c]}: {value}"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position())
        if hit is None:
            QToolTip.hideText()
            self.unsetCursor()
            return
        s, c = hit
        target = self.data.series[s].target(c)
        self.setCursor(Qt.CursorShape.PointingHandCursor if target else Qt.CursorShape.ArrowCursor)
        hint = "\nClick to see these quotes" if target else ""
        QToolTip.showText(event.globalPosition().toPoint(), self._label(s, c) + hint, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.bar_at(event.position())
        if hit is not None:
            s, c = hit
            target = self.data.series[s].target(c)
            if target is not None:
                self.bar_clicked.emit(target, self._label(s, c))

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = pal.color(QPalette.ColorRole.Mid)
        grid.setAlpha(90)
        self._bars = []
        if self.data.empty:
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to chart in this period")
            return
        if self.data.horizontal:
            self._paint_horizontal(p, text, grid)
        else:
            self._paint_vertical(p, text, grid)
        p.end()

    def _ticks(self) -> list[float]:
        """Round axis values from 0 past the largest bar (the last one is the axis's top)."""
        if self.data.fixed_max is not None:
            top = self.data.fixed_max
            return [top * k / 4 for k in range(5)]
        biggest = max(max(s.values) for s in self.data.series if s.values)
        step = _nice_step(biggest / 4)
        if all(float(v).is_integer() for s in self.data.series for v in s.values):
            step = max(1.0, math.ceil(step))  # counts: whole-number steps
        count = max(1, math.ceil(biggest / step - 1e-9))
        return [step * k for k in range(count + 1)]

    def _top(self) -> float:
        return self._ticks()[-1]

    def _series_colour(self, i: int) -> QColor:
        """Bar colour of series `i`: colour-blind-safe and 3:1 on this palette's base."""
        colours = theme_for(self.palette()).chart_series
        return QColor(colours[i % len(colours)])

    def _legend(self, p: QPainter, text: QColor, x: float) -> float:
        """Series names across the top when there are several; returns the height used."""
        if len(self.data.series) < 2:
            return 0.0
        fm = QFontMetricsF(self.font())
        for i, series in enumerate(self.data.series):
            p.fillRect(QRectF(x, 4, 10, 10), self._series_colour(i))
            p.setPen(text)
            p.drawText(QPointF(x + 14, 4 + fm.ascent() - 1), series.name)
            x += 28 + fm.horizontalAdvance(series.name)
        return fm.height() + 6

    def _paint_vertical(self, p: QPainter, text: QColor, grid: QColor) -> None:
        fm = QFontMetricsF(self.font())
        ticks = self._ticks()
        top = ticks[-1]
        axis_w = max(fm.horizontalAdvance(self.data.value_text(t)) for t in ticks) + 10
        legend = self._legend(p, text, axis_w)
        cats = self.data.categories
        label_h = fm.height() + 6
        plot = QRectF(
            axis_w,
            legend + fm.height() / 2 + 2,
            self.width() - axis_w - 6,
            self.height() - legend - label_h - fm.height() / 2 - 4,
        )
        step = plot.width() / len(cats)
        if self.data.band is not None:
            lo, hi = self.data.band
            band = pal_band(self.palette())
            p.fillRect(
                QRectF(plot.left() + lo * step, plot.top(), (hi - lo + 1) * step, plot.height()),
                band,
            )
        for tick in ticks:
            y = plot.bottom() - plot.height() * tick / top
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            p.drawText(
                QRectF(0, y - fm.height() / 2, axis_w - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self.data.value_text(tick),
            )
        n = len(self.data.series)
        gap = min(step * 0.2, 10)
        bar_w = max(1.0, (step - gap) / n)
        every = max(1, int((fm.horizontalAdvance("00 Mmm") + 6) // step) + 1)
        for c, cat in enumerate(cats):
            x0 = plot.left() + c * step + gap / 2
            for s, series in enumerate(self.data.series):
                value = series.values[c] if c < len(series.values) else 0.0
                h = plot.height() * (value / top if top else 0)
                rect = QRectF(x0 + s * bar_w, plot.bottom() - h, bar_w - (1 if n > 1 else 0), h)
                p.fillRect(rect, self._series_colour(s))
                self._bars.append((rect, s, c))
            if c % every == 0 or (c == len(cats) - 1 and c % every >= every / 2):
                p.setPen(text)
                label = fm.elidedText(cat, Qt.TextElideMode.ElideRight, step * every - 2)
                p.drawText(
                    QRectF(
                        plot.left() + c * step - step * (every - 1) / 2,
                        plot.bottom() + 3,
                        step * every,
                        label_h,
                    ),
                    Qt.AlignmentFlag.AlignHCenter,
                    label,
                )

    def _paint_horizontal(self, p: QPainter, text: QColor, grid: QColor) -> None:
        fm = QFontMetricsF(self.font())
        top = self._top()
        cats = self.data.categories
        label_w = min(self.width() * 0.42, max(fm.horizontalAdvance(c) for c in cats) + 10)
        value_w = fm.horizontalAdvance(self.data.value_text(top)) + 10
        plot = QRectF(label_w, 4, self.width() - label_w - value_w - 4, self.height() - 8)
        row = plot.height() / len(cats)
        series = self.data.series[0]
        p.setPen(grid)
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        for c, cat in enumerate(cats):
            y = plot.top() + c * row
            value = series.values[c] if c < len(series.values) else 0.0
            w = plot.width() * (value / top if top else 0)
            rect = QRectF(plot.left(), y + row * 0.18, w, row * 0.64)
            p.fillRect(rect, self._series_colour(0))
            self._bars.append((rect, 0, c))
            p.setPen(text)
            label = fm.elidedText(cat, Qt.TextElideMode.ElideRight, label_w - 10)
            p.drawText(
                QRectF(0, y, label_w - 8, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            p.drawText(
                QRectF(rect.right() + 4, y, value_w + 4, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.data.value_text(value),
            )


def pal_band(palette: QPalette) -> QColor:
    """A faint band that shows on light and dark backgrounds alike."""
    band = QColor(theme_for(palette).chart_series[1])
    band.setAlpha(45)
    return band


def _nice_step(raw: float) -> float:
    """The round number (1, 2, 2.5 or 5 times a power of ten) at or above `raw`."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power + 1e-12:
            return factor * power
    return 10 * power


def table_rows(data: ChartData) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as a header and rows, for the table beside it."""
    header = ["", *(s.name for s in data.series)]
    rows = [
        [cat, *(data.value_text(s.values[c]) if c < len(s.values) else "" for s in data.series)]
        for c, cat in enumerate(data.categories)
    ]
    return header, rows


def series_of(name: str, values: Sequence[float], targets: Sequence[object | None] = ()) -> Series:
    return Series(name, tuple(values), tuple(targets))
