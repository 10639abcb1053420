"""When someone else saved a record after you opened it: say who and when, show both,
and let the user apply their own change again (nothing they typed is lost)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.errors import ConcurrentEditError


class ClashDialog(QDialog):
    """'Changed by Sam at 10:42': theirs beside yours; Apply mine again, or Keep theirs."""

    def __init__(
        self,
        error: ConcurrentEditError,
        rows: Sequence[tuple[str, str, str]],
        parent: QWidget | None = None,
        *,
        title: str = "Someone else changed this",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        said = QLabel(str(error)[:1].upper() + str(error)[1:] + ".")
        said.setWordWrap(True)
        said.setObjectName("clash_message")
        layout.addWidget(said)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for col, head in enumerate(("", "Now saved", "Your change")):
            label = QLabel(f"<b>{head}</b>")
            grid.addWidget(label, 0, col)
        for r, (field, theirs, yours) in enumerate(rows, start=1):
            grid.addWidget(QLabel(field), r, 0)
            for col, value in ((1, theirs), (2, yours)):
                cell = QLabel(value or "—")
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setWordWrap(True)
                grid.addWidget(cell, r, col)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        buttons = QDialogButtonBox()
        self.apply_mine = buttons.addButton(
            "Apply my change", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_theirs = buttons.addButton("Keep theirs", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_mine.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def offer_to_reapply(
    error: ConcurrentEditError,
    rows: Sequence[tuple[str, str, str]],
    parent: QWidget | None,
    *,
    reapply: Callable[[], object],
    keep_theirs: Callable[[], object] | None = None,
) -> None:
    """Ask whether to apply the user's change over what is saved now, without a loop of its
    own (the question may come from an operation's answer): the dialog is opened and
    `reapply()` (or `keep_theirs()`) runs once it is answered."""
    dialog = ClashDialog(error, rows, parent)

    def answered(result: int) -> None:
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            reapply()
        elif keep_theirs is not None:
            keep_theirs()

    dialog.finished.connect(answered)
    dialog.open()
