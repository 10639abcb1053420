# mypy: disable-error-code="no-untyped-call"
"""The card previews are rendered off the GUI thread: the window keeps turning while a card
or a batch renders, the newest request wins, and closing mid-render is clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from deckfollow.storage.database import Database
from deckfollow.ui.cards import CardBatchDialog, CardsDialog, preview_worker
from deckfollow.ui.operations import Operations
from tests.printing import poppler
from tests.printing.data import Person, add_person, owner, seed
from tests.ui.cards.rendering import ready

NOTE = (
    "Dear Renée,\n\nThank you for asking us to quote for your hardwood deck with steps to "
    "the garden. Whatever you decide, it was a pleasure to meet you.\n\nWarm regards,\nSam"
)


def _thirty(db: Database, now: datetime) -> None:
    """Thirty customers with a card due this week: a batch that takes a while to render."""
    with db.unit_of_work() as session:
        owner(session)
        for i in range(30):
            person = Person(
                f"Customer {i + 1:02d} Example", f"{i + 1} Wattle Street", "Paddington", "2021",
                "Hardwood deck", 1 + i / 10,
            )  # fmt: skip
            add_person(session, person, now)


def _composer(qtbot: QtBot, db: Database, now: datetime) -> CardsDialog:
    Operations(db)
    dlg = CardsDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    ready(qtbot, dlg)
    return dlg


def _batch(qtbot: QtBot, db: Database, now: datetime, *, kept: bool = True) -> CardBatchDialog:
    Operations(db)
    dlg = CardBatchDialog(db, clock=lambda: now)
    if kept:
        qtbot.addWidget(dlg)  # closed once the test is over
    dlg.show()
    ready(qtbot, dlg)
    return dlg


@contextmanager
def renders_held() -> Iterator[None]:
    """Every card render waits while the block runs (as a slow one would)."""
    preview_worker.RENDERING.acquire()
    try:
        yield
    finally:
        preview_worker.RENDERING.release()


def _text(pdf: bytes | None, tmp_path: Path) -> str:
    assert pdf is not None
    out = tmp_path / "shown.pdf"
    out.write_bytes(pdf)
    return " ".join(poppler.text(out).split())


def test_the_window_keeps_turning_while_a_batch_of_thirty_renders(qtbot, db, now):
    _thirty(db, now)
    dlg = _batch(qtbot, db, now)
    assert dlg.table.rowCount() == 30
    before = dlg.last_pdf
    assert before is not None
    # A heartbeat on the GUI thread: it beats only while the thread runs its event loop.
    beats_while_rendering = [0]

    def beat() -> None:
        if dlg.last_pdf == before:
            beats_while_rendering[0] += 1

    heart = QTimer()
    heart.setInterval(1)
    heart.timeout.connect(beat)
    heart.start()
    form = dlg.style_form
    form.select(form.ink, "black" if form.ink.currentData() != "black" else "blue-black")
    # The style change returned at once: the batch on screen is still the old one.
    assert dlg.last_pdf == before
    qtbot.waitUntil(lambda: dlg.last_pdf != before, timeout=30000)
    heart.stop()
    assert beats_while_rendering[0] > 0
    assert dlg.last_pdf is not None and dlg.table.rowCount() == 30


def test_a_render_overtaken_by_newer_typing_is_dropped(qtbot, db, now, tmp_path):
    dlg = _composer(qtbot, db, now)
    shown: list[bytes | None] = []
    dlg.rendered.connect(lambda: shown.append(dlg.last_pdf))
    with renders_held():
        dlg.editor.setPlainText("The first words, about a pergola. " * 8)
        dlg.refresh()  # its render starts and waits
        dlg.editor.setPlainText("The second words, about a deck.")
        dlg.refresh()
        assert not dlg.preview_current()
    ready(qtbot, dlg)
    # Only the newest render reached the screen; the first, finished after it was asked
    # for, never showed, not even for a moment.
    assert len(shown) == 1
    text = _text(dlg.last_pdf, tmp_path)
    assert "The second words, about a deck." in text
    assert "pergola" not in text


def test_a_slow_render_keeps_the_old_preview_and_says_it_is_updating(qtbot, db, now, tmp_path):
    dlg = _composer(qtbot, db, now)
    old_pdf = dlg.last_pdf
    old_image = dlg.preview.pixmap().toImage()
    assert not dlg.preview.updating.isVisible()
    with renders_held():
        qtbot.keyClicks(dlg.editor, " See you soon.")
        qtbot.waitUntil(dlg.preview.updating.isVisible, timeout=5000)
        # The card as it was stays on screen meanwhile, and can still be printed.
        assert dlg.last_pdf == old_pdf and dlg.print_button.isEnabled()
        assert dlg.preview.pixmap().toImage() == old_image
    ready(qtbot, dlg)
    assert not dlg.preview.updating.isVisible()
    assert dlg.preview.pixmap().toImage() != old_image
    assert "See you soon." in _text(dlg.last_pdf, tmp_path)


def test_closing_the_batch_while_it_renders_lets_its_thread_end(qtbot, db, now):
    _thirty(db, now)
    dlg = _batch(qtbot, db, now, kept=False)  # deleted here
    thread = dlg._renderer._thread
    assert thread is not None and thread.isRunning()
    late: list[object] = []
    dlg.rendered.connect(lambda: late.append(True))
    with renders_held():
        form = dlg.style_form
        form.select(form.card, "a2-folded")  # its render starts and waits
        dlg.close()
        dlg.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(dlg))
    # The render under way finishes on its own, its answer dropped; then the thread ends
    # and is let go (not kept for the life of the app).
    qtbot.waitUntil(lambda: thread not in preview_worker._live, timeout=30000)
    assert thread.isFinished()
    assert late == []


def test_save_pressed_while_typing_saves_the_words_typed(qtbot, db, now, tmp_path):
    dlg = _composer(qtbot, db, now)
    with renders_held():
        dlg.editor.setPlainText("Dear Grace, the deck is oiled and ready.")
        dlg.save_button.click()  # the preview still shows the words before
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
    qtbot.waitUntil(lambda: any(isinstance(w, QFileDialog) for w in QApplication.topLevelWidgets()))
    [asked] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
    asked.fileSelected.emit(str(tmp_path / "oiled.pdf"))
    assert "the deck is oiled and ready." in _text((tmp_path / "oiled.pdf").read_bytes(), tmp_path)
    asked.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(asked))


def test_print_pressed_on_a_note_too_long_prints_nothing(qtbot, db, now):
    dlg = _composer(qtbot, db, now)
    dlg.style_form.select(dlg.style_form.card, "postcard-4x6")
    ready(qtbot, dlg)
    assert dlg.print_button.isEnabled()
    dlg.editor.setPlainText("We really do care about your deck. " * 90)
    dlg.print_button.click()  # before the new words were checked
    ready(qtbot, dlg)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintDialog)]
    assert "does not fit" in dlg.error.text()
    assert dlg.last_pdf is None and not dlg.print_button.isEnabled()


def test_a_card_chosen_while_the_batch_renders_is_the_one_shown_after(qtbot, db, now):
    seed(db, now)
    dlg = _batch(qtbot, db, now)
    assert dlg.preview_caption.text().startswith("Card 1 of 2: Renée Müller")
    form = dlg.style_form
    with renders_held():
        form.select(form.ink, "black" if form.ink.currentData() != "black" else "blue-black")
        dlg.table.setCurrentCell(1, 0)  # while the batch is being rendered again
    ready(qtbot, dlg)
    assert dlg.previewed_row == 1
    assert dlg.preview_caption.text().startswith("Card 2 of 2: Łukasz Nowak")
