"""The template library: edit what to say per channel, with a live preview of the merge."""

from __future__ import annotations

from collections.abc import Callable

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

from deckfollow.core.clock import Clock
from deckfollow.core.enums import TemplateKind
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.merge_fields import (
    MERGE_FIELDS,
    MergeContext,
    customer_context,
    render_template,
    sample_context,
)
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.builtin_templates import KIND_LABELS
from deckfollow.messaging.template_editing import (
    TemplateLibrary,
    TemplatesEdited,
    copy_one,
    create_one,
    delete_one,
    open_library,
    reset_one,
    save_one,
)
from deckfollow.messaging.template_library import TemplateInfo, check_template
from deckfollow.ui import operations
from deckfollow.ui.messaging.common import ErrorLabel, show_rendered
from deckfollow.ui.theme import active_theme

_KEY_ROLE = Qt.ItemDataRole.UserRole
_PREVIEW_CUSTOMERS = 20_000
_OPTIONAL = "[[optional]]"  # the "Insert a field" entry that makes an optional part


class TemplateLibraryDialog(QDialog):
    """Browse, edit, copy and restore templates; the preview shows missing fields in colour.

    The library is read, and each edit saved, on the window's database thread; the screen
    opens for editing once the library has arrived (`loaded`)."""

    changed = Signal(object)
    loaded = Signal()

    def __init__(self, db: Store, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ops = operations.serving(db)
        if ops is None:
            raise RuntimeError("the template library needs the operations of an open database")
        self._ops, self._clock = ops, clock
        self._current: TemplateInfo | None = None
        self._templates: dict[str, TemplateInfo] = {}
        self._context: MergeContext = sample_context()  # whose details the preview shows
        self._asked_context = 0  # only the last customer asked for is shown
        self._dirty = False
        self._loading = False
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
        self.subject.setAccessibleName("Subject")
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
        self.preview_for.currentIndexChanged.connect(self._preview_for_changed)
        self.insert_field.activated.connect(self._insert_field)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self._reset)
        self.new_button.clicked.connect(self._new)
        self.copy_button.clicked.connect(self._copy)
        self.delete_button.clicked.connect(self._delete)
        splitter.setEnabled(False)  # open for editing once the library has been read
        for widget in (self.subject, self.subject_label, self.preview_subject):
            widget.hide()  # an email's only: shown with the template chosen
        self._splitter = splitter
        ops.run_change(
            self,
            lambda s: open_library(s, preview_limit=_PREVIEW_CUSTOMERS),
            success=self._fill,
            error_title="Could not load",
        )

    def _fill(self, library: TemplateLibrary) -> None:
        for cid, name in library.customers:
            self.preview_for.addItem(name, cid)
        self._show_list(library.templates)
        self._splitter.setEnabled(True)
        self.loaded.emit()

    # -- list ----------------------------------------------------------------------------------

    def _show_list(self, templates: list[TemplateInfo], select_key: str | None = None) -> None:
        self._templates = {t.key: t for t in templates}
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

    def _item(self, key: str) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            assert group is not None
            for c in range(group.childCount()):
                item = group.child(c)
                if item is not None and item.data(0, _KEY_ROLE) == key:
                    return item
        return None

    def select(self, key: str) -> None:
        """Show the template with this key."""
        item = self._item(key)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _selected(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if item is None or item.data(0, _KEY_ROLE) is None:
            return
        key = str(item.data(0, _KEY_ROLE))
        if self._dirty and self._current is not None:
            # The unsaved words stay on screen until they are saved; then the template
            # chosen is shown (a refusal keeps them, with the reason).
            self.tree.blockSignals(True)
            if previous is not None:
                self.tree.setCurrentItem(previous)
            self.tree.blockSignals(False)
            self.save(then=key)
            return
        chosen = self._templates.get(key)
        if chosen is not None:
            self._show(chosen)

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

    def _preview_for_changed(self) -> None:
        """Read what a real send to the customer chosen would fill in, then preview it."""
        cid = self.preview_for.currentData()
        self._asked_context += 1
        if cid is None:
            self._context = sample_context()
            self._refresh_preview()
            return
        token, now = self._asked_context, self._clock()

        def arrived(context: MergeContext) -> None:
            if token == self._asked_context:
                self._context = context
                self._refresh_preview()

        # Their next follow-up and latest quote, as a send would use them.
        self._ops.run_query(
            self,
            lambda s: customer_context(s, int(cid), now=now),
            success=arrived,
            failure=self.error.show_error,
        )

    def _restore_preview_name(self) -> None:
        # Half-typed text that names nobody goes back to the customer being previewed.
        if self.preview_for.findText(self.preview_for.currentText()) < 0:
            self.preview_for.setEditText(self.preview_for.itemText(self.preview_for.currentIndex()))

    def _refresh_preview(self) -> None:
        if self._current is None:
            return
        ctx = self._context
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

    def save(self, *, then: str | None = None) -> bool:
        """Save the template on screen, then show `then` (or the template saved); False
        (with the reason shown) if it cannot be saved."""
        current = self._current
        if current is None:
            return False
        self.error.clear_error()
        name, body = self.name.text(), self.words.toPlainText()
        subject = self.subject.text() if current.kind is TemplateKind.EMAIL else None
        try:
            check_template(current.kind, name, subject, body)  # refused at once
        except DeckfollowError as exc:
            self.error.show_error(f"Not saved: {exc}")
            return False

        def saved(done: TemplatesEdited) -> None:
            self._dirty = False
            self.changed.emit(done.changes)
            assert done.template is not None
            self._show_list(done.templates, then or done.template.key)

        # The team server away: the operations keep the dialog open and save once it is back.
        self._edit(
            lambda s: save_one(s, current.key, name=name, subject=subject, body=body),
            saved,
            failure=lambda exc: self.error.show_error(f"Not saved: {exc}"),
        )
        return True

    def _edit(
        self,
        edit: Callable[[Session], TemplatesEdited],
        success: Callable[[TemplatesEdited], object] | None = None,
        *,
        failure: Callable[[DeckfollowError], object] | None = None,
    ) -> None:
        def shown(done: TemplatesEdited) -> None:
            self._dirty = False
            self._show_list(done.templates, done.template.key if done.template else None)

        self._ops.run_change(
            self,
            edit,
            initiator=self,
            success=success or shown,
            failure=failure or self.error.show_error,
        )

    def _reset(self) -> None:
        if self._current is None:
            return
        key = self._current.key

        def restored(done: TemplatesEdited) -> None:
            self._dirty = False
            self._show_list(done.templates, key)
            self.changed.emit(done.changes)

        self._edit(lambda s: reset_one(s, key), restored)

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

    def _create(self, kind: TemplateKind) -> None:
        self._edit(lambda s: create_one(s, kind))

    def _copy(self) -> None:
        if self._current is None:
            return
        key = self._current.key
        self._edit(lambda s: copy_one(s, key))

    def _delete(self) -> None:
        if self._current is None:
            return
        key = self._current.key

        def deleted(done: TemplatesEdited) -> None:
            self._current = None
            self._dirty = False
            self._show_list(done.templates)

        self._edit(lambda s: delete_one(s, key), deleted)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
