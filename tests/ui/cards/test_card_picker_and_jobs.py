# mypy: disable-error-code="no-untyped-call"
"""Finding who a card is for by typing, and the batch printed one paper kind at a time."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from deckfollow.core.card_preferences import load_card_preferences
from deckfollow.storage.database import Database
from deckfollow.ui.cards import CardBatchDialog, CardsDialog
from deckfollow.ui.operations import Operations
from tests.printing import poppler
from tests.printing.data import seed
from tests.ui.cards.rendering import ready
from tests.ui.waiting import settle


def _composer(qtbot: QtBot, db: Database, now: datetime) -> CardsDialog:
    Operations(db)  # the window's database thread: the composer reads there
    dlg = CardsDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    ready(qtbot, dlg)
    return dlg


def _batch(qtbot: QtBot, db: Database, now: datetime) -> CardBatchDialog:
    Operations(db)  # the window's database thread: the batch reads and records there
    dlg = CardBatchDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    ready(qtbot, dlg)
    return dlg


def _listed(dlg: CardsDialog) -> list[str]:
    return [dlg.matches.item(i).text() for i in range(dlg.matches.count())]


def test_typing_a_suburb_finds_the_customer_and_choosing_writes_their_card(
    qtbot, db, now, tmp_path
):
    ids = seed(db, now)
    dlg = _composer(qtbot, db, now)
    assert _listed(dlg)[0] == "Sample customer (Grace Hopper)"
    qtbot.keyClicks(dlg.search, "bondi")
    qtbot.waitUntil(lambda: dlg.matches.count() == 1)
    assert _listed(dlg)[0].startswith("Łukasz Nowak\n    Bondi · last quote: Pergola, ")
    assert dlg.match_count.text() == "1 match."
    dlg.matches.setCurrentRow(0)
    assert dlg.matches.currentItem().data(Qt.ItemDataRole.UserRole) == ids["Łukasz Nowak"]
    ready(qtbot, dlg)
    dlg.refresh()
    ready(qtbot, dlg)
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(dlg.last_pdf or b"")
    assert "Dear Łukasz," in poppler.text(pdf)


def test_nobody_matching_says_so(qtbot, db, now):
    seed(db, now)
    dlg = _composer(qtbot, db, now)
    qtbot.keyClicks(dlg.search, "zzz")
    qtbot.waitUntil(lambda: dlg.matches.count() == 0)
    assert dlg.match_count.text() == "Nobody matches “zzz”."


def test_a_customer_who_refused_post_is_marked_in_the_list(qtbot, db, now):
    seed(db, now)
    dlg = _composer(qtbot, db, now)
    qtbot.keyClicks(dlg.search, "glebe")
    qtbot.waitUntil(lambda: dlg.matches.count() == 1)
    assert _listed(dlg)[0].startswith("Iñaki Peña  — post revoked")


def test_the_batch_lists_one_job_per_paper_and_saves_each(qtbot, db, now, tmp_path):
    seed(db, now)
    dlg = _batch(qtbot, db, now)
    form = dlg.style_form
    form.select(form.labels, "l7160")
    ready(qtbot, dlg)
    assert [s.heading for s in dlg.steps] == [
        "1. 2 cards on A5 card stock",
        "2. 2 C6 envelopes — load envelopes now",
        "3. 2 labels on L7160",
    ]
    assert not dlg.mail_button.isEnabled()
    sizes = []
    for i in range(3):
        out = tmp_path / f"job{i + 1}.pdf"
        dlg.save_step_to(i, out)
        sizes.append(set(poppler.page_sizes(out)))
    assert [len(s) for s in sizes] == [1, 1, 1]  # one paper size per job
    settle(qtbot, dlg)  # remembered as printed
    # Saving the cards' job counts as printing them: they can now be marked as mailed.
    assert dlg.mail_button.isEnabled()
    dlg.preview_step(1)
    ready(qtbot, dlg)
    assert dlg.preview_caption.text() == "Print job 2 of 3: 2 C6 envelopes — load envelopes now"
    # The choice of labels is remembered for next time.
    with db.reading() as s:
        assert load_card_preferences(s).labels is True
    again = CardBatchDialog(db, clock=lambda: now)
    qtbot.addWidget(again)
    settle(qtbot, again)
    assert again.style_form.labels.currentData() == "l7160"


def test_stationery_is_named_in_the_owners_units(qtbot, db, now):
    seed(db, now)  # an Australian business: millimetres
    dlg = _batch(qtbot, db, now)
    form = dlg.style_form
    assert form.card.currentText() == ("Folded A6 card (148 × 210 mm sheet, folds to 148 × 105 mm)")
    form.select(form.units, "in")
    assert form.card.currentText() == (
        "Folded A6 card (5.83 × 8.27 in sheet, folds to 5.83 × 4.13 in)"
    )
    assert form.envelope.currentText() == "Matching envelope: C6 envelope (6.38 × 4.49 in)"


def test_the_composer_offers_nothing_until_its_read_has_arrived(qtbot, db, now):
    seed(db, now)
    Operations(db)
    dlg = CardsDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    # Opened, not yet read: no wording, no customers, no card to print, nothing to type in.
    assert not dlg.editor.isEnabled() and dlg.editor.toPlainText() == ""
    assert dlg.editor.placeholderText() == ""  # no example that could pass for the card
    assert dlg.template.count() == 0 and dlg.matches.count() == 0
    assert not dlg.print_button.isEnabled() and not dlg.save_button.isEnabled()
    with qtbot.waitSignal(dlg.loaded):
        pass
    ready(qtbot, dlg)
    assert dlg.editor.isEnabled() and dlg.editor.toPlainText() != ""
    assert dlg.template.count() > 0
    assert _listed(dlg)[0] == "Sample customer (Grace Hopper)"
    assert dlg.print_button.isEnabled()


def test_the_batch_says_nothing_about_cards_due_until_they_are_read(qtbot, db, now):
    seed(db, now)
    Operations(db)
    dlg = CardBatchDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    # Not "no cards due": the cards have not been read yet.
    assert dlg.summary.text() == "" and dlg.table.rowCount() == 0
    assert dlg.skipped.count() == 0
    assert not dlg.days.isEnabled() and not dlg.mail_button.isEnabled()
    ready(qtbot, dlg)
    assert dlg.days.isEnabled() and dlg.table.rowCount() == 2
    assert dlg.summary.text().startswith("2 cards to print")


def test_with_no_cards_due_the_batch_does_not_speak_of_customers_due_one(qtbot, db, now):
    Operations(db)
    dlg = CardBatchDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    ready(qtbot, dlg)
    assert dlg.table.rowCount() == 0
    assert [dlg.skipped.item(i).text() for i in range(dlg.skipped.count())] == ["Nobody."]


def test_cards_marked_as_mailed_are_announced_once_as_the_batchs_change(qtbot, db, now, tmp_path):
    seed(db, now)
    dlg = _batch(qtbot, db, now)
    ops = dlg._ops
    dlg.save_to(tmp_path / "week.pdf")
    settle(qtbot, dlg)
    heard: list[tuple[object, object]] = []
    ops.changes_applied.connect(lambda changes, who: heard.append((changes, who)))
    dlg.mark_as_mailed()
    settle(qtbot, dlg)
    assert len(heard) == 1
    changes, who = heard[0]
    assert who is dlg
    assert changes.touches and changes.follow_ups and changes.quotes  # type: ignore[attr-defined]


def test_save_as_pdf_asks_where_without_holding_the_window_and_writes_the_card(
    qtbot, db, now, tmp_path
):
    import shiboken6
    from PySide6.QtWidgets import QApplication, QFileDialog

    dlg = _composer(qtbot, db, now)
    dlg.save_button.click()  # returns at once: the question is opened, not run
    [asked] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
    assert asked.isVisible() and asked.windowTitle() == "Save as PDF"
    asked.fileSelected.emit(str(tmp_path / "for-grace"))
    out = tmp_path / "for-grace.pdf"  # the ending added
    assert "Dear Grace," in poppler.text(out)
    assert dlg.status.text() == f"Saved to {out}"
    assert out.stat().st_mode & 0o077 == 0  # the owner's eyes only
    asked.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(asked))
