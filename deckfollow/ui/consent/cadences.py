"""Cadences: look at the plans, copy and edit one, start one for a customer."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
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

from deckfollow.core.cadence_library import (
    check_cadence,
    copy_cadence,
    list_cadences,
    seed_builtin_cadences,
    update_cadence,
)
from deckfollow.core.cadence_runs import (
    RunInfo,
    customer_runs,
    resume_cadence,
    start_cadence,
    stop_cadence,
)
from deckfollow.core.cadence_specs import CadenceSpec, StepSpec
from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.enums import CadenceRunStatus, Channel
from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.consent.common import ErrorLabel, local_text
from deckfollow.ui.theme import active_theme

_STOP, _EVERY, _YEARLY = "stop", "every", "yearly"

_RUN_STATUS = {
    CadenceRunStatus.ACTIVE: "running",
    CadenceRunStatus.PAUSED: "paused",
    CadenceRunStatus.STOPPED: "stopped",
    CadenceRunStatus.FINISHED: "finished",
}


@dataclass(frozen=True)
class _Plans:
    """Every plan (the built-ins added the first time), and which to show."""

    specs: list[CadenceSpec]
    select_key: str | None = None
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class _Runs:
    """A change to the customer's plans, and their plans as they are afterwards."""

    runs: list[RunInfo]
    status: str = ""
    changes: Changes = field(default_factory=lambda: Changes(follow_ups=True))
    started: RunInfo | None = None  # the plan just started


class CadenceDialog(QDialog):
    """Pick a plan and start it; built-ins are read-only, a copy's steps are editable.

    With `customer_id` the Start button starts the chosen plan for that customer (and
    quote), and their plans are listed to stop or, after a reply paused one, resume;
    `started` then carries the core's Changes. The plans are read, and each change saved,
    on the window's database thread; they open for a choice once read (`loaded`).
    """

    started = Signal(object)
    loaded = Signal()

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        customer_id: int | None = None,
        quote_id: int | None = None,
        timezone: str = "UTC",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("follow-up plans need the operations of an open database")
        self._ops, self._clock = ops, clock
        self._customer_id, self._quote_id, self._tz = customer_id, quote_id, timezone
        self.setWindowTitle("Follow-up plans")
        self.resize(940, 520)
        self.plans = QListWidget()
        self.plans.setAccessibleName("Follow-up plans")
        self.plans.setMaximumWidth(230)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setAccessibleName("Plan name")
        self.name.setPlaceholderText("Name of your plan")
        self.steps = QTableWidget(0, 4)
        self.steps.setAccessibleName("Steps")
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
        # What happens after the last step (a copy can change it; built-ins show theirs).
        self.repeat = QComboBox()
        self.repeat.addItem("Stop after the last step", _STOP)
        self.repeat.addItem("Then repeat the last step every", _EVERY)
        self.repeat.addItem("Start again every year", _YEARLY)
        self.repeat_days = QSpinBox()
        self.repeat_days.setRange(7, 3650)
        self.repeat_days.setSuffix(" days")
        self.repeat_days.setValue(91)
        self.repeat_days.setAccessibleName("Repeat the last step every, in days")
        self.repeat.setAccessibleName("After the last step")
        self.repeat_days.hide()  # shown for a plan that repeats its last step
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat)
        repeat_row.addWidget(self.repeat_days)
        repeat_row.addStretch(1)
        self.repeat.currentIndexChanged.connect(self._sync_repeat)
        right.addWidget(self.steps, 1)
        right.addLayout(repeat_row)
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
        self.runs = QTableWidget(0, 4)
        self.stop_run_button = QPushButton("Stop this plan")
        self.resume_run_button = QPushButton("Resume")
        self._runs: list[RunInfo] = []
        if customer_id is not None:
            layout.addWidget(self._runs_box())
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
        self._controls = (
            self.plans,
            self.name,
            self.repeat,
            self.steps,
            self.copy_button,
            self.add_step_button,
            self.remove_step_button,
            self.save_button,
            self.start_button,
            self.stop_run_button,
            self.resume_run_button,
        )
        for widget in self._controls:
            widget.setEnabled(False)  # until the plans have been read
        self.reload()
        self.reload_runs()

    def _runs_box(self) -> QGroupBox:
        """The customer's plans: what each will do next, or why it waits."""
        self.resize(self.width(), 700)
        # The next step reads on the owner's clock, the customer's time beside it.
        self.runs.setHorizontalHeaderLabels(["Plan", "State", "Next step", "Why it waits"])
        self.runs.verticalHeader().hide()
        self.runs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs.setWordWrap(True)
        header = self.runs.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.runs.setMinimumHeight(140)
        self.runs.itemSelectionChanged.connect(self._sync_run_buttons)
        self.stop_run_button.clicked.connect(self.stop_selected_run)
        self.resume_run_button.clicked.connect(self.resume_selected_run)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.resume_run_button)
        row.addWidget(self.stop_run_button)
        box = QGroupBox("This customer's plans")
        lay = QVBoxLayout(box)
        hint = QLabel(
            "A reply from the customer pauses their plans: nothing planned talks over a "
            "conversation. Resume a plan when you have decided the next step."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {active_theme().muted_text};")
        lay.addWidget(hint)
        lay.addWidget(self.runs)
        lay.addLayout(row)
        return box

    def reload_runs(self) -> None:
        """List the customer's plans, newest first (read on the database thread)."""
        customer_id = self._customer_id
        if customer_id is None:
            return
        self._ops.run_query(
            self,
            lambda s: customer_runs(s, customer_id),
            success=self._show_runs,
            failure=self.error.show_error,
        )

    def _show_runs(self, runs: list[RunInfo]) -> None:
        self._runs = runs
        self.runs.setRowCount(0)
        for info in self._runs:
            r = self.runs.rowCount()
            self.runs.insertRow(r)
            nxt = ""
            if info.next_due is not None and info.next_channel is not None:
                nxt = (
                    f"{info.next_channel.value} {local_text(info.next_due, self._tz)}: "
                    f"{info.next_reason or ''}"
                )
            waits = info.paused_reason or "" if info.status is CadenceRunStatus.PAUSED else ""
            for col, text in enumerate((info.cadence_name, _RUN_STATUS[info.status], nxt, waits)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.runs.setItem(r, col, item)
        self.runs.resizeRowsToContents()
        self._sync_run_buttons()

    def selected_run(self) -> RunInfo | None:
        row = self.runs.currentRow()
        return self._runs[row] if 0 <= row < len(self._runs) else None

    def select_run(self, run_id: int) -> None:
        self.runs.selectRow([r.id for r in self._runs].index(run_id))

    def _sync_run_buttons(self) -> None:
        info = self.selected_run()
        open_ = info is not None and info.status in (
            CadenceRunStatus.ACTIVE,
            CadenceRunStatus.PAUSED,
        )
        self.stop_run_button.setEnabled(open_)
        self.resume_run_button.setEnabled(
            info is not None and info.status is CadenceRunStatus.PAUSED
        )

    def _run_change(self, resume: bool) -> bool:
        """Stop or resume the chosen plan; True once asked."""
        info = self.selected_run()
        if info is None:
            return False
        self.error.clear_error()
        customer_id, now = self._customer_id, self._clock()
        assert customer_id is not None

        def change(session: Session) -> _Runs:
            if resume:
                changes = resume_cadence(session, info.id, now=now)
            else:
                changes = stop_cadence(session, info.id, now=now, reason="stopped by you")
            session.flush()
            verb = "Resumed" if resume else "Stopped"
            return _Runs(
                customer_runs(session, customer_id), f"{verb} {info.cadence_name}.", changes
            )

        def done(result: _Runs) -> None:
            self._show_runs(result.runs)
            self.select_run(info.id)
            self.status.setText(result.status)
            self.started.emit(result.changes)

        # The team server away: the operations keep the dialog open and save once it is back.
        self._ops.run_change(
            self, change, initiator=self, success=done, failure=self.error.show_error
        )
        return True

    def stop_selected_run(self) -> bool:
        """Stop the chosen plan for good; its waiting step is cancelled."""
        return self._run_change(resume=False)

    def resume_selected_run(self) -> bool:
        """Continue a paused plan: a step that went stale is placed again from now."""
        return self._run_change(resume=True)

    def reload(self, select_key: str | None = None) -> None:
        """Read the plans again (the built-ins added if missing) and show `select_key`."""

        def read(session: Session) -> _Plans:
            seeded = seed_builtin_cadences(session)
            return _Plans(list_cadences(session), select_key, Changes(settings=bool(seeded)))

        self._ops.run_change(self, read, success=self._show_plans, failure=self.error.show_error)

    def _show_plans(self, plans: _Plans) -> None:
        self._specs = plans.specs
        self.plans.clear()
        for spec in self._specs:
            mark = "" if spec.builtin else "  (yours)"
            QListWidgetItem(f"{spec.name}{mark}", self.plans)
        for widget in (self.plans, self.copy_button, self.start_button):
            widget.setEnabled(True)
        keys = [c.key for c in self._specs]
        select_key = plans.select_key
        self.plans.setCurrentRow(keys.index(select_key) if select_key in keys else 0)
        self._show_current()
        self.loaded.emit()

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
            every = spec.repeat_last_every_days
            repeat = f" Then the last step every {'day' if every == 1 else f'{every} days'}."
        lock = " Built in: copy it to make your own." if spec.builtin else ""
        self.description.setText(f"<b>{spec.name}</b>: {spec.description}{repeat}{lock}")
        self.steps.setRowCount(0)
        for st in spec.steps:
            self._append_row(st)
        editable = not spec.builtin
        self.name.setText(spec.name)
        self.name.setEnabled(editable)
        if spec.repeat_yearly:
            self.repeat.setCurrentIndex(self.repeat.findData(_YEARLY))
        elif spec.repeat_last_every_days:
            self.repeat.setCurrentIndex(self.repeat.findData(_EVERY))
            self.repeat_days.setValue(spec.repeat_last_every_days)
        else:
            self.repeat.setCurrentIndex(self.repeat.findData(_STOP))
        self.repeat.setEnabled(editable)
        self._sync_repeat()
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

    def _sync_repeat(self) -> None:
        every = self.repeat.currentData() == _EVERY
        self.repeat_days.setVisible(every)
        self.repeat_days.setEnabled(every and self.repeat.isEnabled())

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
        day.setAccessibleName(f"Step {row + 1}: day")
        hour.setAccessibleName(f"Step {row + 1}: hour")
        channel = QComboBox()
        for c in Channel:
            channel.addItem(c.value, c.value)
        channel.setCurrentIndex(channel.findData(st.channel.value))
        self.steps.setCellWidget(row, 0, day)
        self.steps.setCellWidget(row, 1, hour)
        self.steps.setCellWidget(row, 2, channel)
        reason = QTableWidgetItem(st.reason)
        # The step's own wording (a template) travels with the row, so saving keeps it.
        reason.setData(Qt.ItemDataRole.UserRole, st.template_key)
        self.steps.setItem(row, 3, reason)

    def edited_steps(self) -> tuple[StepSpec, ...]:
        """The steps as they stand in the table."""
        out: list[StepSpec] = []
        for row in range(self.steps.rowCount()):
            day, hour, channel = (self.steps.cellWidget(row, c) for c in (0, 1, 2))
            reason = self.steps.item(row, 3)
            assert isinstance(day, QSpinBox) and isinstance(hour, QSpinBox)
            assert isinstance(channel, QComboBox)
            key = reason.data(Qt.ItemDataRole.UserRole) if reason is not None else None
            out.append(
                StepSpec(
                    day.value(),
                    Channel(channel.currentData()),
                    reason.text() if reason is not None else "",
                    hour.value() if hour.value() >= 0 else None,
                    str(key) if key else None,
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

    def _edited_spec(self) -> CadenceSpec:
        spec = self.current()
        return CadenceSpec(
            key=spec.key,
            name=self.name.text(),
            description=spec.description,
            steps=self.edited_steps(),
            anchor=spec.anchor,
            repeat_yearly=self.repeat.currentData() == _YEARLY,
            repeat_last_every_days=(
                self.repeat_days.value() if self.repeat.currentData() == _EVERY else None
            ),
        )

    def copy_current(self) -> bool:
        """Copy the plan shown into one of the owner's own, and show it to edit."""
        self.error.clear_error()
        key = self.current().key

        def copy(session: Session) -> _Plans:
            made = copy_cadence(session, key).key
            return _Plans(list_cadences(session), made, Changes(settings=True))

        self._ops.run_change(
            self,
            copy,
            initiator=self,
            success=lambda plans: self._saved(plans, "Copied: edit the steps and save"),
            failure=self.error.show_error,
        )
        return True

    def save_current(self) -> bool:
        """Save the steps on screen; False (with the reason shown) if they cannot be saved."""
        self.error.clear_error()
        spec = self._edited_spec()
        try:
            check_cadence(spec)  # refused at once, before the database is asked
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return False

        def save(session: Session) -> _Plans:
            saved = update_cadence(session, spec).key
            return _Plans(list_cadences(session), saved, Changes(settings=True))

        self._ops.run_change(
            self,
            save,
            initiator=self,
            success=lambda plans: self._saved(plans, "Saved"),
            failure=self.error.show_error,
        )
        return True

    def _saved(self, plans: _Plans, said: str) -> None:
        self._show_plans(plans)
        self.status.setText(said)

    def start_current(self) -> bool:
        """Start the plan shown for the customer; True once asked."""
        self.error.clear_error()
        customer_id = self._customer_id
        if customer_id is None:
            self.error.show_error(ValidationError("customer", "open this from a customer to start"))
            return False
        key, quote_id, now, tz = self.current().key, self._quote_id, self._clock(), self._tz

        def start(session: Session) -> _Runs:
            info = start_cadence(session, customer_id, key, quote_id=quote_id, now=now)
            session.flush()
            return _Runs(customer_runs(session, customer_id), started=info)

        def started(result: _Runs) -> None:
            info = result.started
            assert info is not None
            first = (
                f" First step: {info.next_channel.value} {local_text(info.next_due, tz)} ({tz})."
                if info.next_channel is not None and info.next_due is not None
                else ""
            )
            self.status.setText(f"Started {info.cadence_name}.{first}")
            self._show_runs(result.runs)
            self.started.emit(result.changes)

        self._ops.run_change(
            self, start, initiator=self, success=started, failure=self.error.show_error
        )
        return True
