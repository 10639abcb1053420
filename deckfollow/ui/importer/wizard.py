"""The import wizard: pick a file, check how its columns are read, preview every row, import.

Nothing is saved before the last page; the import itself is one unit of work after a
backup, and it re-checks duplicates against the database as it is at that moment.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from deckfollow.core.backup_shelf import back_up_before
from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.customers import FIELDS as FIELD_NAMES
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.exchange.csv_export import write_problem_list
from deckfollow.exchange.csv_import import (
    ACTION_LABELS,
    ImportPlan,
    RowAction,
    RowPlan,
    import_table,
    plan_import,
    read_import_file,
)
from deckfollow.exchange.csv_sniff import CsvTable
from deckfollow.exchange.import_mapping import (
    FIELD_LABELS,
    FORMAT_LABELS,
    ColumnMapping,
    Field,
    Format,
    recognise,
    suggest_mapping,
)
from deckfollow.exchange.import_summary import import_summary
from deckfollow.ui import operations
from deckfollow.ui.formatting import counted
from deckfollow.ui.theme import active_theme

_ROOT = QModelIndex()

# Theme roles of a preview row's background by what the import will do with it.
_ROW_ROLES = {
    RowAction.SKIP: "row_problem_bg",
    RowAction.BLOCKED: "row_problem_bg",
    RowAction.DUPLICATE: "row_duplicate_bg",
}


def preview_summary(new: int, duplicates: int, completes: int, problems: int) -> str:
    """ "3 to import · 1 already there (1 gains details) · 2 problems", as the command line's
    dry run says it."""
    return import_summary(new, duplicates, completes, problems)


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {active_theme().muted_text};")
    return label


def _roomy(table: QTableView) -> None:
    """Rows tall enough to read and click; cells not jammed against their borders."""
    table.verticalHeader().setMinimumSectionSize(28)
    table.verticalHeader().setDefaultSectionSize(28)
    table.setStyleSheet("QTableView::item { padding: 1px 4px; }")
    # Sizing columns from every row of a 10,000-row file would stall the preview.
    table.horizontalHeader().setResizeContentsPrecision(200)
    table.verticalHeader().setResizeContentsPrecision(200)


@dataclass(frozen=True)
class _Imported:
    """An import done: every row's fate, and what it changed for the open views."""

    outcome: ImportPlan
    changes: Changes = field(
        default_factory=lambda: Changes(
            customers=True, quotes=True, touches=True, follow_ups=True, consent=True
        )
    )


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("errorLabel")
    label.setStyleSheet(f"color: {active_theme().error_text}; font-weight: 600;")
    label.hide()
    return label


class _WizardPage(QWizardPage):
    """A page of the import wizard. It reaches the wizard through a weak reference: the
    wizard holds its pages, so a strong one back would make a cycle that only a garbage
    collection frees, keeping a closed wizard's preview (a whole file of rows) meanwhile."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard_ref = weakref.ref(wizard)

    @property
    def _wizard(self) -> ImportWizard:
        wizard = self._wizard_ref()
        if wizard is None:  # a page is only ever used inside its wizard
            raise RuntimeError("the import wizard is gone")
        return wizard


class FilePage(_WizardPage):
    """Where the contacts are: a CSV file exported from the user's current program."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Choose the file to import")
        self.setSubTitle("A CSV file from Google Contacts, Outlook or a spreadsheet.")
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("e.g. ~/Downloads/contacts.csv")
        self.path_edit.textChanged.connect(self._changed)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.error = _error_label()
        how = _hint(
            "<b>Google Contacts:</b> Export › Google CSV.<br>"
            "<b>Outlook:</b> File › Open &amp; Export › Import/Export › Export to a file › "
            "Comma Separated Values.<br>"
            "<b>A spreadsheet:</b> File › Save As › CSV. The first row must hold the column "
            "names; you can say which column is which on the next page."
        )
        how.setTextFormat(Qt.TextFormat.RichText)
        safe = _hint(
            "You can also drop the file on this window. "
            "Nothing is saved until you have seen every row. Customers already in deckfollow "
            "(same email or phone) and people who asked not to be contacted are never added."
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(how)
        layout.addWidget(safe)
        layout.addStretch(1)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Contacts file", str(Path.home()), "CSV files (*.csv *.txt);;All files (*)"
        )
        if name:
            self.path_edit.setText(name)

    def _changed(self) -> None:
        self.error.hide()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip()).expanduser()
        try:
            self._wizard.table = read_import_file(path)
        except DeckfollowError as exc:
            self.error.setText(f"{path.name}: {getattr(exc, 'message', str(exc))}")
            self.error.show()
            return False
        self._wizard.file_path = path
        return True


class MappingPage(_WizardPage):
    """How the columns are read: recognised exports need nothing, others get a mapping."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        # Every row checked for the mapping chosen, once the database has answered.
        self._planned: tuple[ColumnMapping | None, ImportPlan] | None = None
        self._asking = False
        self.setTitle("How the columns are read")
        self.setSubTitle("Which column holds the name, email, phone and address.")
        self.recognised = QLabel()
        self.recognised.setWordWrap(True)
        self.recognised.setStyleSheet("font-weight: 600;")
        self.file_info = _hint("")
        self.own_mapping = QCheckBox("Choose the columns myself")
        self.own_mapping.toggled.connect(self._own_toggled)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "Example", "Import as"])
        self.columns.verticalHeader().setVisible(False)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head = self.columns.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        _roomy(self.columns)
        self.reads = _hint(
            "Read from the file: names, organisation, every email and phone column (a phone "
            "labelled Mobile, Work or Home goes to that number; several numbers in one cell "
            "are all kept), the first address, birthday and notes."
        )
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.recognised)
        layout.addWidget(self.file_info)
        layout.addWidget(self.reads)
        layout.addWidget(self.own_mapping)
        layout.addWidget(self.columns, 1)
        layout.addStretch(0)
        layout.addWidget(self.error)
        self._combos: list[QComboBox] = []
        self._format = Format.CUSTOM

    def initializePage(self) -> None:
        table = self._wizard.table
        assert table is not None
        fmt = recognise(table.header)
        self._format = fmt
        if fmt is Format.CUSTOM:
            self.recognised.setText(
                "Say which column holds what. The suggestions come from the column names."
            )
        else:
            label = FORMAT_LABELS[fmt]
            article = "an" if label[:1] in "AEIOU" else "a"
            self.recognised.setText(f"Recognised as {article} {label} export: no mapping needed.")
        self.file_info.setText(
            f"{counted(len(table.rows), 'row')} · {table.encoding_label} · "
            f"{table.delimiter_label}-separated · {counted(len(table.header), 'column')}"
            + "".join(f"<br>{n}" for n in table.notes)
        )
        self.own_mapping.setVisible(fmt is not Format.CUSTOM)
        self.own_mapping.setChecked(False)
        self._fill(table, suggest_mapping(table.header))
        self._own_toggled(fmt is Format.CUSTOM)
        self.error.hide()

    def _fill(self, table: CsvTable, mapping: ColumnMapping) -> None:
        self.columns.setRowCount(len(table.header))
        self._combos = []
        for i, name in enumerate(table.header):
            item = QTableWidgetItem(name or f"(column {i + 1})")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.columns.setItem(i, 0, item)
            samples = [r.cells[i].strip() for r in table.rows[:50] if r.cells[i].strip()][:2]
            example = QTableWidgetItem(" · ".join(s.replace("\n", " ")[:40] for s in samples))
            example.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.columns.setItem(i, 1, example)
            combo = QComboBox()
            for f in Field:
                combo.addItem(FIELD_LABELS[f], f)
            combo.setCurrentIndex(combo.findData(mapping.field_of(i)))
            combo.currentIndexChanged.connect(self.error.hide)
            self.columns.setCellWidget(i, 2, combo)
            self._combos.append(combo)
        self.columns.resizeRowsToContents()

    def _own_toggled(self, on: bool) -> None:
        for combo in self._combos:
            combo.setEnabled(on)
        # A recognised export is read its own way; the column list only matters when mapping.
        mapping_shown = on or self._format is Format.CUSTOM
        self.columns.setVisible(mapping_shown)
        self.reads.setVisible(not mapping_shown)

    def set_field(self, column: int, target: Field) -> None:
        """Choose what one column is imported as (as a user would in its drop-down)."""
        if self._format is not Format.CUSTOM:
            self.own_mapping.setChecked(True)
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(target))

    def mapping(self) -> ColumnMapping | None:
        """None for a recognised export read its own way; else the mapping chosen."""
        if self._format is not Format.CUSTOM and not self.own_mapping.isChecked():
            return None
        fields = {i: Field(c.currentData()) for i, c in enumerate(self._combos)}
        return ColumnMapping({i: f for i, f in fields.items() if f is not Field.IGNORE})

    def validatePage(self) -> bool:
        """Go on once every row has been checked against the database (on its thread: a
        second or two per 10,000 rows); the answer moves the wizard on by itself."""
        table = self._wizard.table
        assert table is not None
        mapping = self.mapping()
        planned, self._planned = self._planned, None
        if planned is not None and planned[0] == mapping:
            self._wizard.plan, self._wizard.mapping = planned[1], mapping
            return True
        if self._asking:
            return False
        self._asking = True
        self.error.hide()

        def planned_now(plan: ImportPlan) -> None:
            self._asking = False
            self._planned = (mapping, plan)
            self._wizard.next()

        def refused(exc: DeckfollowError) -> None:
            self._asking = False
            self.error.setText(getattr(exc, "message", str(exc)))
            self.error.show()

        self._wizard.ops.run_query(
            self,
            lambda session: plan_import(session, table, mapping=mapping),
            success=planned_now,
            failure=refused,
        )
        return False


PREVIEW_COLUMNS = (
    "Row",
    "What happens",
    "Name",
    "Email",
    "Phone",
    "Suburb",
    "Time zone",
    "Problems",
)
_ZONE_COLUMN = PREVIEW_COLUMNS.index("Time zone")


class PreviewFilter(QSortFilterProxyModel):
    """All rows, only rows with problems (0/1/2), or only rows to import.

    A proxy rather than QTableView.setRowHidden: in PySide6 6.12 on Python 3.11 every
    setRowHidden call drops a reference to None, and a few thousand crash the interpreter.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = 0

    def set_mode(self, mode: int) -> None:
        self.beginFilterChange()
        self.mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PreviewModel)
        r = model.rows[source_row]
        if self.mode == 1:
            return bool(r.problems)
        if self.mode == 2:
            return r.action is RowAction.IMPORT or r.row in model.create_new
        return True


class PreviewModel(QAbstractTableModel):
    """The plan's rows for a table view (a model, so 10,000 rows cost nothing up front).

    A row that is an existing customer offers them, ticked: "Use Mia Chen (0412 345 679,
    Balmain)"; unticking it says the row is someone else ("Create new"). `choices_changed`
    follows every change.
    """

    choices_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowPlan] = []
        self.create_new: set[int] = set()  # row numbers of the file

    def set_rows(self, rows: list[RowPlan]) -> None:
        self.beginResetModel()
        self.rows = rows
        numbers = {r.row for r in rows if r.existing_id is not None}
        self.create_new &= numbers
        self.endResetModel()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 1 and self.rows[index.row()].existing_id:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: object,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not (
            index.isValid()
            and index.column() == 1
            and role == Qt.ItemDataRole.CheckStateRole
            and self.rows[index.row()].existing_id
        ):
            return False
        number = self.rows[index.row()].row
        if value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value):
            self.create_new.discard(number)
        else:
            self.create_new.add(number)
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(PREVIEW_COLUMNS) - 1))
        self.choices_changed.emit()
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(PREVIEW_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return PREVIEW_COLUMNS[section]
        return None

    def text(self, row: int, column: int) -> str:
        r = self.rows[row]
        v = r.values
        if column == 0:
            return str(r.row)
        if column == 1:
            if r.existing_id is not None:
                return "Create new" if r.row in self.create_new else f"Use {r.existing_label}"
            if r.action is RowAction.IMPORT and v is not None and v.do_not_contact:
                return "Import as do-not-contact"
            return ACTION_LABELS[r.action]
        if column == 2:
            return r.name or "(no name)"
        if column == 3:
            return (v.email or "") if v else ""
        if column == 4:
            return phone_as_read_in(v.phones[0], v.country) if v and v.phones else ""
        if column == 5:
            return (v.suburb or "") if v else ""
        if column == _ZONE_COLUMN:
            # Which zone the calls will keep to, and what in the row said so.
            return f"{v.timezone}, {v.zone_reason}" if v and v.zone_reason else ""
        if r.fills and r.row not in self.create_new:
            adds = ", ".join(FIELD_NAMES.get(k, k) for k in r.fills)
            return f"{r.detail}; adds their {adds}"
        return r.detail

    def colour(self, row: int) -> str | None:
        r, t = self.rows[row], active_theme()
        if r.row in self.create_new:
            return t.row_warning_bg if r.problems else None
        role = _ROW_ROLES.get(r.action)
        if role:
            return str(getattr(t, role))
        return t.row_warning_bg if r.problems else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == len(PREVIEW_COLUMNS) - 1:
            return self.text(row, col) or None
        if role == Qt.ItemDataRole.CheckStateRole and col == 1 and self.rows[row].existing_id:
            new = self.rows[row].row in self.create_new
            return Qt.CheckState.Unchecked if new else Qt.CheckState.Checked
        if role == Qt.ItemDataRole.ToolTipRole and col == 1 and self.rows[row].existing_id:
            return "Ticked: this row is the customer named. Unticked: add it as a new customer."
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self.colour(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and self.colour(row):
            return QBrush(QColor(active_theme().highlight_fg))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PreviewPage(_WizardPage):
    """Every row and what will happen to it, before anything is saved."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._asking = False  # the import is on its way
        self.setTitle("Check before importing")
        self.setSubTitle("Every row of the file and what will happen to it. Nothing is saved yet.")
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.show_combo = QComboBox()
        self.show_combo.addItems(["All rows", "Rows with problems", "Rows to import"])
        self.show_combo.currentIndexChanged.connect(self._apply_filter)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.summary, 1)
        filter_row.addWidget(QLabel("Show"))
        filter_row.addWidget(self.show_combo)
        # Owned by the page: deleted with it when the closed wizard is.
        self.model = PreviewModel(self)
        self.model.choices_changed.connect(self._choices_changed)
        self.shown = PreviewFilter(self)
        self.shown.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.shown)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        head = self.table.horizontalHeader()
        for col in range(len(PREVIEW_COLUMNS) - 1):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(len(PREVIEW_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        head.sectionResized.connect(self._fit_rows)
        _roomy(self.table)
        legend = _hint(
            "Red rows are not imported; amber rows are imported with something to check or "
            "left out; grey rows are already in deckfollow and only add what their customer "
            "lacks (untick one to add it as a new customer instead). Row numbers are as your "
            "spreadsheet shows them (the header is row 1). A backup is taken before importing."
        )
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self.model.set_rows([r for r in plan.rows if r.action is not RowAction.BLANK])
        self._choices_changed()
        self._apply_filter()
        self._fit_rows()
        self.error.hide()

    def _choices_changed(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        plan = self._wizard.plan = replace(plan, create_new=frozenset(self.model.create_new))
        completes = plan.completable
        self.summary.setText(
            preview_summary(plan.imported, plan.duplicates, completes, len(plan.problems))
        )
        count = plan.imported
        if count:
            text = f"Import {counted(count, 'customer')}"
        elif completes:
            text = f"Add details to {counted(completes, 'customer')}"
        else:
            text = "Nothing to import"
        self._wizard.setButtonText(QWizard.WizardButton.CommitButton, text)
        self.completeChanged.emit()

    def _fit_rows(self) -> None:
        # Wrapped problem text needs taller rows once the final column widths are known.
        if self.model.rowCount() <= 500:
            self.table.resizeRowsToContents()

    def _apply_filter(self) -> None:
        self.shown.set_mode(self.show_combo.currentIndex())

    def isComplete(self) -> bool:
        plan = self._wizard.plan
        return plan is not None and (plan.imported > 0 or plan.completable > 0)

    def validatePage(self) -> bool:
        """Go on once the import is done (on the database thread, after a backup); the
        answer moves the wizard on by itself."""
        if self._wizard.outcome is not None:
            return True
        if not self._asking:
            self._asking = True
            self.error.hide()
            self._wizard.run_import(done=self._imported, failed=self._not_imported)
        return False

    def _imported(self, _outcome: ImportPlan) -> None:
        self._asking = False
        self._wizard.next()

    def _not_imported(self, exc: DeckfollowError) -> None:
        # The team server away: the operations keep the wizard open and import once it is back.
        self._asking = False
        self.error.setText(f"Nothing was imported: {exc}")
        self.error.show()


class SummaryPage(_WizardPage):
    """What was done, and what was left out with the row numbers to fix."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Import finished")
        self.setSubTitle("What was added, and the rows to look at in your file.")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-size: 15px;")
        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels(["Row", "Name", "Problem"])
        _roomy(self.problems)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setWordWrap(True)  # a long explanation is read whole, not cut off
        head = self.problems.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        head.sectionResized.connect(self._fit_rows)
        self.save_button = QPushButton("Save this list…")
        self.save_button.setToolTip("A CSV file of the rows to fix, to work through later")
        self.save_button.clicked.connect(self._save_clicked)
        self.saved_note = _hint("")
        self.backup_note = _hint("")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.result)
        layout.addWidget(self.problems, 10)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved_note, 1)
        layout.addLayout(save_row)
        layout.addWidget(self.backup_note)
        # Keeps the text at the top when there is no problem list to fill the page.
        layout.addStretch(1)

    def initializePage(self) -> None:
        plan = self._wizard.outcome
        assert plan is not None
        n, dup = plan.imported, plan.duplicates
        problems = plan.problems
        lines = [f"Imported {counted(n, 'customer')}."]
        if dup:
            lines.append(f"{dup:,} {'was' if dup == 1 else 'were'} already in deckfollow.")
        if plan.completed:
            done = plan.completed
            lines.append(f"{counted(done, 'existing customer')} gained details they lacked.")
        if problems:
            lines.append(
                f"{counted(len(problems), 'problem')} to look at in "
                f"{self._wizard.file_path.name if self._wizard.file_path else 'the file'}:"
            )
        else:
            lines.append("Every row was read without a problem.")
        self.result.setText(" ".join(lines))
        self.problems.setVisible(bool(problems))
        self.save_button.setVisible(bool(problems))
        self.saved_note.setText("")
        self.problems.setRowCount(len(problems))
        for i, (row, name, message) in enumerate(self.problem_rows()):
            self.problems.setItem(i, 0, QTableWidgetItem(str(row)))
            self.problems.setItem(i, 1, QTableWidgetItem(name))
            self.problems.setItem(i, 2, QTableWidgetItem(message))
        self._fit_rows()
        backup = self._wizard.backup_path
        self.backup_note.setText(
            f"The database as it was before the import is kept in {backup}." if backup else ""
        )

    def problem_rows(self) -> list[tuple[int, str, str]]:
        """(row, name, problem) for every problem of the finished import."""
        plan = self._wizard.outcome
        if plan is None:
            return []
        names = {r.row: r.name for r in plan.rows}
        return [(p.row, names.get(p.row) or "(no name)", p.message) for p in plan.problems]

    def _fit_rows(self) -> None:
        if self.problems.rowCount() <= 500:
            self.problems.resizeRowsToContents()

    def _save_clicked(self) -> None:
        source = self._wizard.file_path
        start = source.with_name(f"{source.stem} - rows to fix.csv") if source else Path.home()
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the rows to fix", str(start), "CSV files (*.csv)"
        )
        if name:
            self.save_problems(Path(name))

    def save_problems(self, path: Path) -> bool:
        """Write the problem list as a CSV file (owner-only: it names customers)."""
        try:
            write_problem_list(path, self.problem_rows())
        except OSError as exc:
            self.saved_note.setText(f"Not saved: {exc.strerror or exc}")
            return False
        self.saved_note.setText(f"Saved to {path}.")
        return True


def _dropped_file(mime: QMimeData) -> Path | None:
    urls = [u for u in mime.urls() if u.isLocalFile()]
    return Path(urls[0].toLocalFile()) if len(urls) == 1 else None


class ImportWizard(QWizard):
    """Import customers from a CSV file; `imported` carries how many were added."""

    imported = Signal(int)

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("importing needs the operations of an open database")
        self.db, self.ops = db, ops
        self._clock = clock
        self.table: CsvTable | None = None
        self.file_path: Path | None = None
        self.mapping: ColumnMapping | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportPlan | None = None
        self.backup_path: Path | None = None
        self.setWindowTitle("Import contacts")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(1040, 640)
        self.setAcceptDrops(True)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.summary_page):
            self.addPage(page)

    def open_file(self, path: Path) -> None:
        """Start with this file chosen (e.g. a file dropped on the window)."""
        self.file_page.path_edit.setText(str(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.currentPage() is self.file_page and _dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if path is not None and self.currentPage() is self.file_page:
            self.open_file(path)
            event.acceptProposedAction()

    def run_import(
        self,
        *,
        done: Callable[[ImportPlan], object] | None = None,
        failed: Callable[[DeckfollowError], object] | None = None,
    ) -> None:
        """Back up, then import in one unit of work against the database as it is then,
        both on the database thread; `done(outcome)` once imported."""
        table = self.table
        assert table is not None
        now, db, mapping = self._clock(), self.db, self.mapping
        create_new = self.plan.create_new if self.plan else frozenset()

        def import_now(session: Session) -> _Imported:
            return _Imported(
                import_table(session, table, now=now, mapping=mapping, create_new=create_new)
            )

        def imported(result: _Imported) -> None:
            self.outcome = result.outcome
            self.imported.emit(result.outcome.imported)
            if done is not None:
                done(result.outcome)

        def backed_up(path: Path | None) -> None:
            self.backup_path = path
            self.ops.run_change(self, import_now, initiator=self, success=imported, failure=failed)

        self.ops.run_task(
            self, lambda: back_up_before(db, "import", now=now), success=backed_up, failure=failed
        )
