"""Merge two customers: both side by side, the owner chooses which record to keep."""

from __future__ import annotations

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
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.settings import load_settings
from deckfollow.core.unit_of_work import Store
from deckfollow.ui.consent.common import ErrorLabel
from deckfollow.ui.formatting import date_text
from deckfollow.ui.team.server_away import hold_until_server_back
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


class MergeDialog(QDialog):
    """Two customers side by side; the one not kept is folded into the one kept.

    Given only one customer, the other is picked by searching. `merged` carries the id kept.
    """

    merged = Signal(int)

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
        self._db, self._clock = db, clock
        self.setWindowTitle("Merge customers")
        self.setMinimumWidth(760)
        with db.reading() as s:
            self._country = load_settings(s).default_country
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
        self._set(0, first_id)
        if second_id is not None:
            self.picker.hide()
            self._set(1, second_id)
        else:
            self._find("")
        self._choose_default()

    # -- what is shown ---------------------------------------------------------------------

    def _set(self, n: int, customer_id: int | None) -> None:
        d: CustomerDetails | None = None
        if customer_id is not None:
            try:
                with self._db.reading() as s:
                    d = customer_details(s, customer_id)
            except DeckfollowError as exc:
                self.error.show_error(exc)
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
        with self._db.reading() as s:
            rows = search_customers(s, text, limit=_PICK_LIMIT + 1)
        self.pick_list.clear()
        for r in rows:
            if r.id == self._first:
                continue
            bits = [b for b in (r.suburb, r.email) if b]
            label = f"{r.name} ({', '.join(bits)})" if bits else r.name
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
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
        try:
            with self._db.unit_of_work() as s:
                self.outcome = merge_customers(s, keep.id, other.id, now=self._clock())
        except DeckfollowError as exc:
            self.error.show_error(exc)
            hold_until_server_back(self.merge_button, exc)  # the server away: merged once back
            return
        self.summary = _summary(keep, other, self.outcome)
        self.merged.emit(keep.id)
        self.accept()


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
