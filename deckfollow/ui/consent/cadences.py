"""Cadences: look at the plans, copy and edit one, start one for a customer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.cadences import (
    CadenceSpec,
    StepSpec,
    copy_cadence,
    list_cadences,
    seed_builtin_cadences,
    start_cadence,
    update_cadence,
)
from deckfollow.core.changes import Changes
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.storage.database import Database
from deckfollow.ui.consent.common import Clock, ErrorLabel, local_text


class CadenceDialog(QDialog):
    """Pick a plan and start it; built-ins are read-only, a copy's steps are editable.

    With `customer_id` the Start button starts the chosen plan for that customer (and
    quote); `started` then carries the core's Changes.
    """

    started = Signal(object)

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        customer_id: int | None = None,
        quote_id: int | None = None,
        timezone: str = "UTC",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._clock = db, clock
        self._customer_id, self._quote_id, self._tz = customer_id, quote_id, timezone
        self.setWindowTitle("Follow-up plans")
        self.resize(940, 520)
        self.plans = QListWidget()
        self.plans.setMaximumWidth(230)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name of your plan")
        self.steps = QTableWidget(0, 4)
        self.steps.setHorizontalHeaderLabels(["Day", "Hour", "Channel", "Reason"])
        self.steps.verticalHeader().hide()
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.copy_button = QPushButton("Copy to edit")
        self.add_step_button = QPushButton("Add step")
        self.remove_step_button = QPushButton("Remove step")
        self.save_button = QPushButton("Save changes")
        self.start_button = QPushButton("Start for this customer")
        self.start_button.setVisible(customer_id is not None)
        self.error = ErrorLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QPushButton("Close")

        right = QVBoxLayout()
        right.addWidget(self.description)
        right.addWidget(self.name)
        right.addWidget(self.steps, 1)
        edit_row = QHBoxLayout()
        for b in (self.copy_button, self.add_step_button, self.remove_step_button):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        edit_row.addWidget(self.save_button)
        right.addLayout(edit_row)
        body = QHBoxLayout()
        body.addWidget(self.plans)
        body.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.start_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

        self.plans.currentRowChanged.connect(lambda _row: self._show_current())
        self.copy_button.clicked.connect(self.copy_current)
        self.add_step_button.clicked.connect(self._add_step)
        self.remove_step_button.clicked.connect(self._remove_step)
        self.save_button.clicked.connect(self.save_current)
        self.start_button.clicked.connect(self.start_current)
        close.clicked.connect(self.accept)
        self._specs: list[CadenceSpec] = []
        self.reload()

    def reload(self, select_key: str | None = None) -> None:
        with self._db.unit_of_work() as s:
            seed_builtin_cadences(s)
            self._specs = list_cadences(s)
        self.plans.clear()
        for spec in self._specs:
            mark = "" if spec.builtin else "  (yours)"
            QListWidgetItem(f"{spec.name}{mark}", self.plans)
        keys = [c.key for c in self._specs]
        self.plans.setCurrentRow(keys.index(select_key) if select_key in keys else 0)

    def current(self) -> CadenceSpec:
        return self._specs[max(0, self.plans.currentRow())]

    def select(self, key: str) -> None:
        self.plans.setCurrentRow([c.key for c in self._specs].index(key))

    def _show_current(self) -> None:
        if not self._specs or self.plans.currentRow() < 0:
            return
        spec = self.current()
        repeat = ""
        if spec.repeat_yearly:
            repeat = " Repeats every year."
        elif spec.repeat_last_every_days:
            repeat = f" Then the last step every {spec.repeat_last_every_days} days."
        lock = " Built in: copy it to make your own." if spec.builtin else ""
        self.description.setText(f"<b>{spec.name}</b>: {spec.description}{repeat}{lock}")
        self.steps.setRowCount(0)
        for st in spec.steps:
            self._append_row(st)
        editable = not spec.builtin
        self.name.setText(spec.name)
        self.name.setEnabled(editable)
        for w in (self.add_step_button, self.remove_step_button, self.save_button):
            w.setEnabled(editable)
        self.steps.setEnabled(True)
        for row in range(self.steps.rowCount()):
            for col in (0, 1, 2):
                cell = self.steps.cellWidget(row, col)
                if cell is not None:
                    cell.setEnabled(editable)
            item = self.steps.item(row, 3)
            if item is not None:
                editable_flag = Qt.ItemFlag.ItemIsEditable
                flags = item.flags()
                item.setFlags(flags | editable_flag if editable else flags & ~editable_flag)

    def _append_row(self, st: StepSpec) -> None:
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        day = QSpinBox()
        day.setRange(-366, 3650)
        day.setValue(st.offset_days)
        hour = QSpinBox()
        hour.setRange(-1, 23)
        hour.setSpecialValueText("any")
        hour.setValue(st.at_hour if st.at_hour is not None else -1)
        channel = QComboBox()
        for c in Channel:
            channel.addItem(c.value, c.value)
        channel.setCurrentIndex(channel.findData(st.channel.value))
        self.steps.setCellWidget(row, 0, day)
        self.steps.setCellWidget(row, 1, hour)
        self.steps.setCellWidget(row, 2, channel)
        self.steps.setItem(row, 3, QTableWidgetItem(st.reason))

    def edited_steps(self) -> tuple[StepSpec, ...]:
        """The steps as they stand in the table."""
        out: list[StepSpec] = []
        for row in range(self.steps.rowCount()):
            day, hour, channel = (self.steps.cellWidget(row, c) for c in (0, 1, 2))
            reason = self.steps.item(row, 3)
            assert isinstance(day, QSpinBox) and isinstance(hour, QSpinBox)
            assert isinstance(channel, QComboBox)
            out.append(
                StepSpec(
                    day.value(),
                    Channel(channel.currentData()),
                    reason.text() if reason is not None else "",
                    hour.value() if hour.value() >= 0 else None,
                )
            )
        return tuple(out)

    def _add_step(self) -> None:
        steps = self.edited_steps()
        last = steps[-1].offset_days if steps else 0
        self._append_row(StepSpec(last + 7, Channel.CALL, "The reason I'm calling is …", 17))

    def _remove_step(self) -> None:
        row = self.steps.currentRow()
        self.steps.removeRow(row if row >= 0 else self.steps.rowCount() - 1)

    def _run(self, action: str) -> bool:
        self.error.clear_error()
        try:
            with self._db.unit_of_work() as s:
                if action == "copy":
                    key = copy_cadence(s, self.current().key).key
                elif action == "save":
                    spec = self.current()
                    key = update_cadence(
                        s,
                        CadenceSpec(
                            key=spec.key,
                            name=self.name.text(),
                            description=spec.description,
                            steps=self.edited_steps(),
                            anchor=spec.anchor,
                            repeat_yearly=spec.repeat_yearly,
                            repeat_last_every_days=spec.repeat_last_every_days,
                        ),
                    ).key
                else:
                    if self._customer_id is None:
                        raise ValidationError("customer", "open this from a customer to start")
                    info = start_cadence(
                        s,
                        self._customer_id,
                        self.current().key,
                        quote_id=self._quote_id,
                        now=self._clock(),
                    )
                    key = self.current().key
                    first = (
                        f" First step: {info.next_channel.value} "
                        f"{local_text(info.next_due, self._tz)} ({self._tz})."
                        if info.next_channel is not None
                        else ""
                    )
                    self.status.setText(f"Started {info.cadence_name}.{first}")
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return False
        if action != "start":
            self.reload(select_key=key)
            self.status.setText("Copied: edit the steps and save" if action == "copy" else "Saved")
        return True

    def copy_current(self) -> bool:
        return self._run("copy")

    def save_current(self) -> bool:
        return self._run("save")

    def start_current(self) -> bool:
        ok = self._run("start")
        if ok:
            self.started.emit(Changes(follow_ups=True))
        return ok
