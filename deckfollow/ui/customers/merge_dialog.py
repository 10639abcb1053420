"""Merge two customers: both side by side, the owner chooses which record to keep."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.clock import Clock
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.customer_merge import MergeResult, merge_customers
from deckfollow.core.customer_search import search_customers
from deckfollow.core.customers import CustomerDetails, customer_details
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import date_text
from deckfollow.ui.theme import active_theme

_ROWS = (
    "Company",
    "Cell phone",
    "Office phone",
    "Home phone",
    "Email",
    "Address",
    "Birthday",
    "Quotes",
    "History",
    "Contact",
)
_PICK_LIMIT = 50


@dataclass(frozen=True)
class _Opened:
    """What the dialog shows when it opens (one read)."""

    country: str
    first: CustomerDetails
    second: CustomerDetails | None
    candidates: list[tuple[int, str]]  # (id, label) to pick the other record from


def _candidates(session: Session, text: str, first_id: int) -> list[tuple[int, str]]:
    found = []
    for r in search_customers(session, text, limit=_PICK_LIMIT + 1):
        if r.id == first_id:
            continue
        bits = [b for b in (r.suburb, r.email) if b]
        found.append((r.id, f"{r.name} ({', '.join(bits)})" if bits else r.name))
    return found


class MergeDialog(QDialog):
    """Two customers side by side; the one not kept is folded into the one kept.

    Given only one customer, the other is picked by searching. `merged` carries the id kept.
    Both records are read, and the merge made, on the window's database thread; `loaded`
    once what the dialog opens with is shown.
    """

    merged = Signal(int)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        first_id: int,
        second_id: int | None = None,
        *,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("merging needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self.setWindowTitle("Merge customers")
        self.setMinimumWidth(760)
        self._country = ""
        self._asked = [0, 0, 0]  # the latest read asked for each side, and for the search
        self.details: list[CustomerDetails | None] = [None, None]
        self.outcome: MergeResult | None = None
        self.summary = ""  # what the merge did, in a sentence, once done

        intro = QLabel(
            "Two records for one person? Choose the one to keep. The other's quotes, touches, "
            "follow-ups and consent ledger move to it, details it lacks are filled in, and "
            "anything that does not fit is added to its notes. If either asked not to be "
            "contacted, the merged customer is not contacted either."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {active_theme().muted_text};")

        self.keep_group = QButtonGroup(self)
        self.keep_buttons = [QRadioButton(), QRadioButton()]
        for n, b in enumerate(self.keep_buttons):
            self.keep_group.addButton(b, n)
        self.keep_group.idToggled.connect(self._refresh)
        self.cells: list[dict[str, QLabel]] = [{}, {}]
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for n, b in enumerate(self.keep_buttons):
            bold = QFont(b.font())
            bold.setBold(True)
            b.setFont(bold)
            grid.addWidget(b, 0, n + 1)
        for r, label in enumerate(_ROWS, start=1):
            name = QLabel(label)
            name.setStyleSheet(f"color: {active_theme().muted_text};")
            grid.addWidget(name, r, 0, Qt.AlignmentFlag.AlignTop)
            for n in range(2):
                cell = QLabel()
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(cell, r, n + 1, Qt.AlignmentFlag.AlignTop)
                self.cells[n][label] = cell
        table = QFrame()
        table.setFrameShape(QFrame.Shape.StyledPanel)
        table.setLayout(grid)

        # Picking the second customer, when only one was selected.
        self.picker = QWidget()
        self.pick_search = QLineEdit()
        self.pick_search.setPlaceholderText("Find the other record: name, phone, email, suburb…")
        self.pick_search.setClearButtonEnabled(True)
        self.pick_list = QListWidget()
        self.pick_list.setMaximumHeight(140)
        plain = QVBoxLayout(self.picker)
        plain.setContentsMargins(0, 0, 0, 0)
        plain.addWidget(QLabel("Merge with:"))
        plain.addWidget(self.pick_search)
        plain.addWidget(self.pick_list)
        self.pick_search.textChanged.connect(self._find)
        self.pick_list.currentItemChanged.connect(self._picked)

        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText("Merge")
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addWidget(table)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._first = first_id
        if second_id is not None:
            self.picker.hide()
        self.pick_search.setEnabled(False)  # open for a search once the records are read
        for n in range(2):
            self._show(n, None)

        def opened(session: Session) -> _Opened:
            return _Opened(
                load_settings(session).default_country,
                customer_details(session, first_id),
                customer_details(session, second_id) if second_id is not None else None,
                [] if second_id is not None else _candidates(session, "", first_id),
            )

        ops.run_query(self, opened, success=self._fill, failure=self.error.show_error)

    def _fill(self, opened: _Opened) -> None:
        self._country = opened.country
        self._show(0, opened.first)
        self._show(1, opened.second)
        self._list(opened.candidates)
        self.pick_search.setEnabled(True)
        self._choose_default()
        self.loaded.emit()

    # -- what is shown ---------------------------------------------------------------------

    def _set(self, n: int, customer_id: int | None) -> None:
        """Read and show one side (the latest one asked for wins)."""
        self._asked[n] += 1
        token = self._asked[n]
        if customer_id is None:
            self._show(n, None)
            return

        def arrived(d: CustomerDetails) -> None:
            if token == self._asked[n]:
                self._show(n, d)
                self._choose_default()

        self._ops.run_query(
            self,
            lambda s: customer_details(s, customer_id),
            success=arrived,
            failure=self.error.show_error,
        )

    def _show(self, n: int, d: CustomerDetails | None) -> None:
        self.details[n] = d
        button = self.keep_buttons[n]
        button.setText(f"Keep {d.name} (customer {d.id})" if d else "Keep …")
        button.setEnabled(d is not None)
        values = self._values(d) if d else dict.fromkeys(_ROWS, "")
        for label, text in values.items():
            self.cells[n][label].setText(text or "—" if d else "")
        self._refresh()

    def _values(self, d: CustomerDetails) -> dict[str, str]:
        def phone(p: str | None) -> str:
            return phone_as_read_in(p, self._country) if p else ""

        open_quotes = sum(1 for q in d.quotes if q.stage.is_open)
        return {
            "Company": d.company or "",
            "Cell phone": phone(d.phone_cell),
            "Office phone": phone(d.phone_office),
            "Home phone": phone(d.phone_home),
            "Email": d.email or "",
            "Address": "\n".join(d.address_lines),
            "Birthday": date_text(d.birthday) if d.birthday else "",
            "Quotes": f"{len(d.quotes)} ({open_quotes} open)" if d.quotes else "",
            "History": f"{_count(d.touches, 'touch', 'touches')}, "
            f"{_count(d.follow_ups, 'follow-up', 'follow-ups')}",
            "Contact": "asked not to be contacted" if d.do_not_contact else "may be contacted",
        }

    def _choose_default(self) -> None:
        # The fuller record is kept by default: more quotes and history, then the older one.
        a, b = self.details
        if a is None or b is None:
            self.keep_buttons[0].setChecked(True)
            return

        def weight(d: CustomerDetails) -> tuple[int, int, int]:
            return (len(d.quotes), d.touches + d.follow_ups, -d.id)

        self.keep_buttons[0 if weight(a) >= weight(b) else 1].setChecked(True)

    def _refresh(self, *_: object) -> None:
        ready = all(d is not None for d in self.details) and self.keep_group.checkedId() >= 0
        self.merge_button.setEnabled(ready)
        kept = self.keep_group.checkedId()
        for n in range(2):
            style = "" if kept in (-1, n) else f"color: {active_theme().muted_text};"
            for cell in self.cells[n].values():
                cell.setStyleSheet(style)

    def _find(self, text: str) -> None:
        """Search for the other record as the owner types (the latest search wins)."""
        self._asked[2] += 1
        token, first = self._asked[2], self._first

        def found(candidates: list[tuple[int, str]]) -> None:
            if token == self._asked[2]:
                self._list(candidates)

        self._ops.run_query(
            self,
            lambda s: _candidates(s, text, first),
            success=found,
            failure=self.error.show_error,
        )

    def _list(self, candidates: list[tuple[int, str]]) -> None:
        self.pick_list.clear()
        for customer_id, label in candidates:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, customer_id)
            self.pick_list.addItem(item)

    def _picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        customer_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._set(1, int(customer_id) if customer_id is not None else None)
        self._choose_default()

    # -- the merge -------------------------------------------------------------------------

    def choose_keep(self, customer_id: int) -> None:
        for n, d in enumerate(self.details):
            if d is not None and d.id == customer_id:
                self.keep_buttons[n].setChecked(True)

    def merge(self) -> None:
        a, b = self.details
        kept = self.keep_group.checkedId()
        if a is None or b is None or kept < 0:
            return
        keep, other = (a, b) if kept == 0 else (b, a)
        self.error.clear_error()
        now = self._clock()

        def done(outcome: MergeResult) -> None:
            self.outcome = outcome
            self.summary = _summary(keep, other, outcome)
            self.merged.emit(keep.id)
            self.accept()

        # The team server away: the operations keep the dialog open and merge once it is back.
        self._ops.run_change(
            self,
            lambda s: merge_customers(s, keep.id, other.id, now=now),
            initiator=self,
            success=done,
            failure=self.error.show_error,
        )


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _summary(keep: CustomerDetails, other: CustomerDetails, r: MergeResult) -> str:
    moved = ", ".join(
        (
            _count(r.quotes, "quote", "quotes"),
            _count(r.touches, "touch", "touches"),
            _count(r.follow_ups, "follow-up", "follow-ups"),
        )
    )
    filled = f"; filled in {', '.join(r.filled)}" if r.filled else ""
    return f"{other.name} merged into {keep.name}: {moved} moved{filled}."
