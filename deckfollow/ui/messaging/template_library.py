"""The template library: edit what to say per channel, with a live preview of the merge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.enums import TemplateKind
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.merge_fields import (
    MERGE_FIELDS,
    MergeContext,
    customer_context,
    preview_customers,
    render_template,
    sample_context,
)
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.builtin_templates import KIND_LABELS
from deckfollow.messaging.template_library import (
    TemplateInfo,
    copy_template,
    create_template,
    delete_template,
    get_template,
    list_templates,
    reset_template,
    save_template,
    seed_builtin_templates,
)
from deckfollow.ui.messaging.common import ErrorLabel, show_rendered
from deckfollow.ui.team.server_away import hold_until_server_back
from deckfollow.ui.theme import active_theme

_KEY_ROLE = Qt.ItemDataRole.UserRole
_PREVIEW_CUSTOMERS = 20_000
_OPTIONAL = "[[optional]]"  # the "Insert a field" entry that makes an optional part


class TemplateLibraryDialog(QDialog):
    """Browse, edit, copy and restore templates; the preview shows missing fields in colour."""

    changed = Signal(object)

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._clock = db, clock
        self._current: TemplateInfo | None = None
        self._dirty = False
        self._loading = False
        with db.unit_of_work() as s:
            seed_builtin_templates(s)
        self.setWindowTitle("Scripts and templates")
        self.resize(1100, 720)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Scripts and templates")
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(300)
        self.new_button = QPushButton("New…")
        self.copy_button = QPushButton("Copy")
        self.delete_button = QPushButton("Delete")
        left_buttons = QHBoxLayout()
        for b in (self.new_button, self.copy_button, self.delete_button):
            left_buttons.addWidget(b)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tree)
        ll.addLayout(left_buttons)

        self.kind_label = QLabel()
        self.kind_label.setStyleSheet(f"color: {active_theme().muted_text};")
        self.name = QLineEdit()
        self.subject = QLineEdit()
        self.subject_label = QLabel("Subject")
        self.words = QPlainTextEdit()
        self.words.setMinimumHeight(200)
        self.insert_field = QComboBox()
        self.insert_field.addItem("Insert a field…", None)
        for key, label in MERGE_FIELDS.items():
            self.insert_field.addItem(f"{label}  {{{key}}}", key)
        self.insert_field.addItem("optional part (around the selection)  [[ … ]]", _OPTIONAL)
        help_text = QLabel(
            "Fields in braces are filled in for each customer, e.g. {first_name}. "
            "Words between [[ and ]] are left out when a field in them has no value yet "
            "(a lead has no quote amount): About the {job}[[ ({quote_amount})]]. "
            "Write {{ or }} for a brace itself."
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet(f"color: {active_theme().muted_text};")

        self.preview_for = QComboBox()
        self.preview_for.addItem("Sample customer (made-up details)", None)
        with db.reading() as s:
            rows = preview_customers(s, limit=_PREVIEW_CUSTOMERS)
        for cid, name in rows:
            self.preview_for.addItem(name, cid)
        # Typed, not scrolled: any part of a name finds the customer among thousands.
        self.preview_for.setEditable(True)
        self.preview_for.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.preview_for.model(), self.preview_for)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.preview_for.setCompleter(completer)
        line = self.preview_for.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setPlaceholderText("Type part of a name")
        line.editingFinished.connect(self._restore_preview_name)
        self.preview_subject = QLabel()
        self.preview_subject.setWordWrap(True)
        self.preview = QTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("preview")
        self.preview.setMinimumHeight(180)
        self.missing = QLabel()
        self.missing.setObjectName("missingFields")
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet(f"color: {active_theme().warning_text}; font-weight: 600;")
        self.omitted = QLabel()
        self.omitted.setObjectName("omittedParts")
        self.omitted.setWordWrap(True)
        self.omitted.setStyleSheet(f"color: {active_theme().muted_text};")

        form = QFormLayout()
        form.addRow("Kind", self.kind_label)
        form.addRow("Name", self.name)
        form.addRow(self.subject_label, self.subject)
        form.addRow("Words", self.words)
        form.addRow("", self.insert_field)
        form.addRow("", help_text)
        form.addRow("Preview for", self.preview_for)
        form.addRow("", self.preview_subject)
        form.addRow("Preview", self.preview)
        form.addRow("", self.missing)
        form.addRow("", self.omitted)

        self.error = ErrorLabel()
        self.save_button = QPushButton("Save")
        self.reset_button = QPushButton("Restore the original")
        right_buttons = QHBoxLayout()
        right_buttons.addWidget(self.reset_button)
        right_buttons.addStretch(1)
        right_buttons.addWidget(self.save_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(form)
        rl.addWidget(self.error)
        rl.addLayout(right_buttons)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)

        self.tree.currentItemChanged.connect(self._selected)
        for w in (self.name, self.subject):
            w.textChanged.connect(self._edited)
        self.words.textChanged.connect(self._edited)
        self.preview_for.currentIndexChanged.connect(self._refresh_preview)
        self.insert_field.activated.connect(self._insert_field)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self._reset)
        self.new_button.clicked.connect(self._new)
        self.copy_button.clicked.connect(self._copy)
        self.delete_button.clicked.connect(self._delete)
        self._reload()

    # -- list ----------------------------------------------------------------------------------

    def _reload(self, select_key: str | None = None) -> None:
        with self._db.reading() as s:
            templates = list_templates(s)
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[TemplateKind, QTreeWidgetItem] = {}
        chosen: QTreeWidgetItem | None = None
        for kind in TemplateKind:
            g = QTreeWidgetItem([KIND_LABELS[kind] + "s"])
            g.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = g.font(0)
            font.setBold(True)
            g.setFont(0, font)
            self.tree.addTopLevelItem(g)
            groups[kind] = g
        for t in templates:
            label = t.name + ("  (edited)" if t.modified else "") + ("" if t.builtin else "  ★")
            item = QTreeWidgetItem([label])
            item.setData(0, _KEY_ROLE, t.key)
            groups[t.kind].addChild(item)
            if chosen is None and (select_key is None or t.key == select_key):
                chosen = item
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)

    def select(self, key: str) -> None:
        """Show the template with this key."""
        self._reload(key)

    def _selected(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if item is None or item.data(0, _KEY_ROLE) is None:
            return
        if self._dirty and self._current is not None and not self.save(quiet=True):
            # Keep the unsaved words on screen with the reason they could not be saved.
            self.tree.blockSignals(True)
            if previous is not None:
                self.tree.setCurrentItem(previous)
            self.tree.blockSignals(False)
            return
        with self._db.reading() as s:
            self._show(get_template(s, str(item.data(0, _KEY_ROLE))))

    def _show(self, t: TemplateInfo) -> None:
        self._loading = True
        self._current = t
        self.kind_label.setText(t.kind_label + (" (built in)" if t.builtin else " (your own)"))
        self.name.setText(t.name)
        is_email = t.kind is TemplateKind.EMAIL
        self.subject.setText(t.subject or "")
        self.subject.setVisible(is_email)
        self.subject_label.setVisible(is_email)
        self.preview_subject.setVisible(is_email)
        self.words.setPlainText(t.body)
        self.reset_button.setEnabled(t.builtin and t.modified)
        self.delete_button.setEnabled(not t.builtin)
        self._loading = False
        self._dirty = False
        self.save_button.setEnabled(False)
        self.error.clear_error()
        self._refresh_preview()

    # -- editing -------------------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.save_button.setEnabled(True)
        self._refresh_preview()

    def _insert_field(self, index: int) -> None:
        key = self.insert_field.itemData(index)
        if key == _OPTIONAL:
            cursor = self.words.textCursor()
            chosen = cursor.selectedText().replace("\u2029", "\n")
            cursor.insertText("[[" + chosen + "]]")
            if not chosen:
                # Leave the cursor between the brackets, ready for the words.
                cursor.movePosition(cursor.MoveOperation.Left, n=2)
                self.words.setTextCursor(cursor)
            self.words.setFocus()
        elif key is not None:
            self.words.insertPlainText("{" + str(key) + "}")
            self.words.setFocus()
        self.insert_field.setCurrentIndex(0)

    def _context(self) -> MergeContext:
        cid = self.preview_for.currentData()
        if cid is None:
            return sample_context()
        now = self._clock()
        with self._db.reading() as s:
            # Preview with what a real send would use: their next follow-up and latest quote.
            return customer_context(s, int(cid), now=now)

    def _restore_preview_name(self) -> None:
        # Half-typed text that names nobody goes back to the customer being previewed.
        if self.preview_for.findText(self.preview_for.currentText()) < 0:
            self.preview_for.setEditText(self.preview_for.itemText(self.preview_for.currentIndex()))

    def _refresh_preview(self) -> None:
        if self._current is None:
            return
        try:
            ctx = self._context()
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        body = render_template(self.words.toPlainText(), ctx)
        show_rendered(self.preview, body)
        subject = render_template(self.subject.text(), ctx)
        self.preview_subject.setText(f"<b>Subject:</b> {_escape(subject.text)}")
        missing = [*subject.missing, *[m for m in body.missing if m not in subject.missing]]
        unknown = [*subject.unknown, *[u for u in body.unknown if u not in subject.unknown]]
        omitted = [*subject.omitted, *[o for o in body.omitted if o not in subject.omitted]]
        who = "this customer" if self.preview_for.currentData() is not None else "the sample"
        self.omitted.setText(
            f"Left out for {who} (no value yet): the part with "
            + ", ".join(MERGE_FIELDS[o] for o in omitted)
            + "."
            if omitted
            else ""
        )
        self.omitted.setVisible(bool(omitted))
        parts: list[str] = []
        if missing:
            labels = ", ".join(MERGE_FIELDS[m] for m in missing)
            parts.append(
                f"No value for {who}: {labels} (shown highlighted; fill it in before sending)."
            )
        if unknown:
            parts.append("Not a merge field: " + ", ".join("{" + u + "}" for u in unknown) + ".")
        self.missing.setText(" ".join(parts))
        self.missing.setVisible(bool(parts))

    def save(self, quiet: bool = False) -> bool:
        """Save the template on screen; returns False (with the reason shown) if it cannot."""
        if self._current is None:
            return False
        self.error.clear_error()
        try:
            with self._db.unit_of_work() as s:
                saved = save_template(
                    s,
                    self._current.key,
                    name=self.name.text(),
                    subject=self.subject.text()
                    if self._current.kind is TemplateKind.EMAIL
                    else None,
                    body=self.words.toPlainText(),
                )
        except DeckfollowError as exc:
            self.error.show_error(f"Not saved: {exc}")
            hold_until_server_back(self.save_button, exc)  # saved once the server is back
            return False
        self._current = saved
        self._dirty = False
        self.changed.emit(Changes(settings=True))
        if not quiet:
            self._reload(saved.key)
        return True

    def _reset(self) -> None:
        if self._current is None:
            return
        with self._db.unit_of_work() as s:
            restored = reset_template(s, self._current.key)
        self._dirty = False
        self._reload(restored.key)
        self.changed.emit(Changes(settings=True))

    def _new(self) -> None:
        """Ask what the new template is for, without a loop of its own; it is made once
        a kind is chosen."""
        ask = QInputDialog(self)
        ask.setWindowTitle("New template")
        ask.setLabelText("What is it for?")
        ask.setComboBoxItems([KIND_LABELS[k] for k in TemplateKind])
        ask.setComboBoxEditable(False)
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.textValueSelected.connect(self._new_for)
        ask.open()

    def _new_for(self, label: str) -> None:
        kind = next((k for k in TemplateKind if KIND_LABELS[k] == label), None)
        if kind is not None:
            self._create(kind)

    def _create(self, kind: TemplateKind) -> TemplateInfo:
        with self._db.unit_of_work() as s:
            made = create_template(
                s,
                kind=kind,
                name=f"My {KIND_LABELS[kind].lower()}",
                subject="A note from {owner_business}" if kind is TemplateKind.EMAIL else None,
                body="Hi {first_name},\n\n",
            )
        self._dirty = False
        self._reload(made.key)
        return made

    def _copy(self) -> None:
        if self._current is None:
            return
        with self._db.unit_of_work() as s:
            made = copy_template(s, self._current.key)
        self._dirty = False
        self._reload(made.key)

    def _delete(self) -> None:
        if self._current is None:
            return
        try:
            with self._db.unit_of_work() as s:
                delete_template(s, self._current.key)
        except DeckfollowError as exc:
            self.error.show_error(exc)
            return
        self._current = None
        self._dirty = False
        self._reload()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
