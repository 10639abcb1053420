"""Table columns that fit the width they are given, the most important ones whole.

A list beside the details panel has about half the window. Rather than share the spare
width equally between two stretching columns (cutting a name at fifteen characters) or
scroll sideways, each column asks for what its text needs (measured on the rows loaded,
between a floor and a cap); when that is more than the view has, the page's own list of
concessions is applied in order — narrow this column, then hide that one — until the rest
fits, and what is left over goes to one column. A width the user gave a column by dragging
its edge is kept (and remembered) until they choose "Fit columns to the window".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView
from shiboken6 import isValid

# Rows measured for a column's width: about what a screen shows (their texts are made for
# painting anyway), not 20,000.
_MEASURED_ROWS = 40
# Room around a cell's text (the style's margins) and beside a heading (the sort arrow).
_CELL_PADDING = 18
_HEADING_PADDING = 26

# What a name column is measured against: an ordinary full name is never cut short; a
# long one may be, down to a first name and the start of the surname in a narrow window.
ORDINARY_NAME = "Alexandra Fitzgerald"
LONG_NAME = "Maximilian Fitzgerald-Montgomery"
SHORT_NAME = "Alexandra Fitz"


@dataclass(frozen=True)
class Column:
    """How wide one column would like to be: its text, at least `floor`, at most `cap`
    (texts measured in the view's font)."""

    index: int
    floor: str = ""
    cap: str | None = None


@dataclass(frozen=True)
class Narrow:
    """A concession: let `column` be cut short down to the width of `to`."""

    column: int
    to: str


@dataclass(frozen=True)
class Hide:
    """A concession: leave `column` out."""

    column: int


Concession = Narrow | Hide


class ColumnFitter(QObject):
    """Sizes `view`'s columns to its width: `columns` say what each would like, `concessions`
    (most dispensable first) what to give up when the view is too narrow, `spare` which
    column takes what is left over. With `settings_key` the user's own widths are kept in
    the settings under it."""

    def __init__(
        self,
        view: QTableView,
        columns: Sequence[Column],
        concessions: Sequence[Concession],
        *,
        spare: int,
        settings_key: str | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._columns = list(columns)
        self._concessions = list(concessions)
        self._spare = spare
        self._key = settings_key
        self._wanted: dict[int, int] = {}  # measured, grows as longer texts are loaded
        self._roomy: dict[int, int] = {}  # the widths of the columns' caps
        self.pinned: dict[int, int] = self._load_pins()
        self._fitting = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(24)
        header.sectionResized.connect(self._user_resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self.measure()

    # -- what each column would like --------------------------------------------------------

    def measure(self) -> None:
        """Measure the rows on screen (a column never narrows because a search hid its
        longest text: columns do not jump while the user types), then fit."""
        model = self._view.model()
        cells = self._view.fontMetrics()
        heads = self._view.horizontalHeader().fontMetrics()
        top = max(self._view.rowAt(0), 0)
        rows = range(top, min(model.rowCount(), top + _MEASURED_ROWS))
        for col in self._columns:
            heading = str(model.headerData(col.index, Qt.Orientation.Horizontal) or "")
            width = max(
                heads.horizontalAdvance(heading) + _HEADING_PADDING,
                cells.horizontalAdvance(col.floor) + _CELL_PADDING if col.floor else 0,
            )
            for row in rows:
                text = model.data(model.index(row, col.index))
                if text:
                    width = max(width, cells.horizontalAdvance(str(text)) + _CELL_PADDING)
            if col.cap is not None:
                self._roomy[col.index] = cells.horizontalAdvance(col.cap) + _CELL_PADDING
                width = min(width, self._roomy[col.index])
                width = max(width, heads.horizontalAdvance(heading) + _HEADING_PADDING)
            self._wanted[col.index] = max(width, self._wanted.get(col.index, 0))
        self.fit()

    def wanted(self, column: int) -> int:
        """The width the column would like: the user's own, else what its text needs."""
        return self.pinned.get(column, self._wanted.get(column, 0))

    # -- fitting ------------------------------------------------------------------------------

    def fit(self) -> None:
        """Size and show or hide each column for the view's present width."""
        available = self._view.viewport().width()
        if available <= 0:
            return
        cells = self._view.fontMetrics()
        heads = self._view.horizontalHeader().fontMetrics()
        model = self._view.model()
        widths = {c.index: self.wanted(c.index) for c in self._columns}
        shown = set(widths)
        for step in self._concessions:
            over = sum(widths[c] for c in shown) - available
            if over <= 0:
                break
            if isinstance(step, Hide):
                shown.discard(step.column)
            elif step.column in shown and step.column not in self.pinned:
                width = widths[step.column]
                # Cut short, a column still shows its whole heading.
                heading = str(model.headerData(step.column, Qt.Orientation.Horizontal) or "")
                narrowest = max(
                    cells.horizontalAdvance(step.to) + _CELL_PADDING,
                    heads.horizontalAdvance(heading) + _CELL_PADDING,
                )
                widths[step.column] = max(min(width, narrowest), width - over)
        left = available - sum(widths[c] for c in shown)
        free = [c.index for c in self._columns if c.index in shown and c.index not in self.pinned]
        if left > 0 and free:
            # The spare column grows up to its cap; beyond that the last column takes the
            # rest, so a wide window keeps the figures beside the names, not across a gulf.
            taker = self._spare if self._spare in free else free[0]
            roomy = self._roomy.get(taker)
            give = left if roomy is None else max(0, min(left, roomy - widths[taker]))
            widths[taker] += give
            widths[free[-1]] += left - give
        header = self._view.horizontalHeader()
        self._fitting = True
        try:
            for col, width in widths.items():
                header.setSectionHidden(col, col not in shown)
                if col in shown and header.sectionSize(col) != width:
                    header.resizeSection(col, width)
        finally:
            self._fitting = False

    def fit_to_window(self) -> None:
        """Forget the user's own widths: every column fits again."""
        self.pinned.clear()
        self._save_pins()
        self.fit()

    # -- the user's own widths ----------------------------------------------------------------

    def _user_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or new <= 0 or self._view.horizontalHeader().isSectionHidden(column):
            return
        self.pinned[column] = new
        self._save_pins()
        self.fit()  # the others make room, or take what it gave up

    def _load_pins(self) -> dict[int, int]:
        if self._key is None:
            return {}
        text = QSettings().value(f"{self._key}/widths")
        pins: dict[int, int] = {}
        for part in str(text or "").split(","):
            col, _, width = part.partition("=")
            if col.isdigit() and width.isdigit():
                pins[int(col)] = int(width)
        return pins

    def _save_pins(self) -> None:
        if self._key is not None:
            text = ",".join(f"{c}={w}" for c, w in sorted(self.pinned.items()))
            QSettings().setValue(f"{self._key}/widths", text)

    def _header_menu(self, at: QPoint) -> None:
        menu = QMenu(self._view)
        fit = menu.addAction("Fit columns to the window")
        fit.setEnabled(bool(self.pinned))
        fit.triggered.connect(self.fit_to_window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self._view.horizontalHeader().mapToGlobal(at))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The viewport may still be resized while its view is being torn down.
        if event.type() == QEvent.Type.Resize and watched is self._viewport and isValid(self._view):
            self.fit()
        return False
