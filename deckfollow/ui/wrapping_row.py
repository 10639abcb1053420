"""A row of controls that wraps onto more lines when the page is narrow (beside the details
panel in a small window), instead of pushing the page wider than the window."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLayout, QVBoxLayout, QWidget

# (widget, stretch): a stretching widget takes the room left on its line.
Group = list[tuple[QWidget, int]]


class WrappingRow(QWidget):
    """Groups of controls on one line while they fit, else as many lines as needed, in order;
    a group is never split (a search box and its filters stay together as given)."""

    def __init__(self, groups: list[Group], spacing: int = 12, parent: QWidget | None = None):
        super().__init__(parent)
        self._groups = groups
        self._spacing = spacing
        self._lines: list[list[int]] = []
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.setSpacing(8)
        # The row's narrowest arrangement is its minimum, not the line it shows now.
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._arrange(10**6)

    @property
    def lines(self) -> int:
        """How many lines the controls take now."""
        return len(self._lines)

    def minimumSizeHint(self) -> QSize:
        height = super().minimumSizeHint().height()
        return QSize(max(self._need(g) for g in range(len(self._groups))), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)

    def _need(self, group: int) -> int:
        widgets = self._groups[group]
        widths = [
            max(w.minimumWidth(), w.minimumSizeHint().width()) if stretch else w.sizeHint().width()
            for w, stretch in widgets
        ]
        return sum(widths) + self._spacing * (len(widgets) - 1)

    def _arrange(self, width: int) -> None:
        lines: list[list[int]] = []
        used = 0
        for group in range(len(self._groups)):
            need = self._need(group)
            if lines and used + self._spacing + need <= width:
                lines[-1].append(group)
                used += self._spacing + need
            else:
                lines.append([group])
                used = need
        if lines == self._lines:
            return
        self._lines = lines
        while self._outer.count():
            item = self._outer.takeAt(0)
            line = item.layout() if item is not None else None
            if line is not None:
                while line.count():
                    line.takeAt(0)
                line.deleteLater()
        for groups in lines:
            line = QHBoxLayout()
            line.setSpacing(self._spacing)
            for group in groups:
                for widget, stretch in self._groups[group]:
                    line.addWidget(widget, stretch)
            # A line without a stretching control keeps its controls together on the left.
            if not any(s for g in groups for _w, s in self._groups[g]):
                line.addStretch(1)
            self._outer.addLayout(line)
        self.updateGeometry()
