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
from tests.ui.waiting import settle


def _composer(qtbot: QtBot, db: Database, now: datetime) -> CardsDialog:
    Operations(db)  # the window's database thread: the composer reads there
    dlg = CardsDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, dlg)
    return dlg


def _batch(qtbot: QtBot, db: Database, now: datetime) -> CardBatchDialog:
    Operations(db)  # the window's database thread: the batch reads and records there
    dlg = CardBatchDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    settle(qtbot, dlg)
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
    settle(qtbot, dlg)
    dlg.refresh()
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
