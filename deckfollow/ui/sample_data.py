"""File › Remove sample data…: take the demo business out, after saying what will go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from deckfollow.core.changes import EVERYTHING, Changes
from deckfollow.core.unit_of_work import Session
from deckfollow.demo.sample import (
    SampleCounts,
    SampleRemoved,
    has_sample,
    remove_sample_data,
    sample_counts,
)
from deckfollow.ui.operations import Operations


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


@dataclass(frozen=True)
class _Removed:
    removed: SampleRemoved
    changes: Changes = EVERYTHING  # customers, quotes, their plans, consent and settings


def show_if_sample_data(
    ops: Operations, parent: QWidget | None, show: Callable[[bool], object]
) -> None:
    """`show(True)` while there is sample data to remove (read on the database thread)."""
    ops.run_query(parent, has_sample, success=show)


def confirm_text(customers: int, quotes: int) -> str:
    return (
        f"Remove the sample business: {_plural(customers, 'customer')} and "
        f"{_plural(quotes, 'quote')}, with their follow-ups, touches and consent records?\n\n"
        "Customers, quotes and settings you entered yourself stay as they are. "
        "This cannot be undone."
    )


def remove_sample_data_asking(
    parent: QWidget, ops: Operations, clock: Callable[[], datetime], said: Callable[[str], object]
) -> None:
    """Ask, then remove; `said` gets what to show in the status bar once it is removed."""

    # The question is opened, not run with a loop of its own: it is asked from the answer
    # of a read (an operation's delivery), where a nested loop would hold every later
    # result back until the user answered.
    def ask(counts: SampleCounts) -> None:
        if not counts:
            told = QMessageBox(
                QMessageBox.Icon.Information,
                "Remove sample data",
                "There is no sample data left.",
                QMessageBox.StandardButton.Ok,
                parent,
            )
            told.finished.connect(lambda _result: told.deleteLater())
            told.open()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove sample data",
            confirm_text(counts.customers, counts.quotes),
            QMessageBox.StandardButton.Cancel,
            parent,
        )
        remove = box.addButton("Remove sample data", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _result: answered(box.clickedButton() is remove, box))
        box.open()

    def answered(chosen: bool, box: QMessageBox) -> None:
        box.deleteLater()
        if not chosen:
            return
        now = clock()

        def remove_all(session: Session) -> _Removed:
            return _Removed(remove_sample_data(session, now=now))

        ops.run_change(
            parent,
            remove_all,
            success=lambda done: said(
                f"Sample data removed: {_plural(done.removed.customers, 'customer')} and "
                f"{_plural(done.removed.quotes, 'quote')}."
            ),
            error_title="The sample data was not removed",
        )

    ops.run_query(parent, sample_counts, success=ask)
