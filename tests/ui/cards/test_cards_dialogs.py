# mypy: disable-error-code="no-untyped-call"
"""The card composer and the batch dialog on a real database, with real PDFs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from deckfollow.core.enums import Channel, Outcome
from deckfollow.core.models import Touch
from deckfollow.storage.database import Database
from deckfollow.ui.cards import CardBatchDialog, CardsDialog
from deckfollow.ui.cards.common import print_pdf
from deckfollow.ui.operations import Operations
from tests.printing import poppler
from tests.printing.data import seed
from tests.ui.cards.rendering import ready
from tests.ui.waiting import settle


def _composer(qtbot: QtBot, db: Database, now: datetime) -> CardsDialog:
    Operations(db)  # the window's database thread: the composer reads and remembers there
    dlg = CardsDialog(db, clock=lambda: now)
    qtbot.addWidget(dlg)
    dlg.show()
    ready(qtbot, dlg)
    return dlg


def _batch(qtbot: QtBot, db: Database, clock: Callable[[], datetime]) -> CardBatchDialog:
    Operations(db)  # the window's database thread: the batch reads and records there
    dlg = CardBatchDialog(db, clock=clock)
    qtbot.addWidget(dlg)
    dlg.show()
    ready(qtbot, dlg)
    return dlg


def test_composer_previews_a_merged_card_for_a_customer(qtbot, db, now, tmp_path):
    seed_ids = seed(db, now)
    dlg = _composer(qtbot, db, now)
    # The sample customer first: the preview is there from the start.
    assert dlg.last_pdf is not None
    assert dlg.preview.pixmap() is not None and not dlg.preview.pixmap().isNull()
    lukasz = seed_ids["Łukasz Nowak"]
    dlg.select_customer(lukasz)
    ready(qtbot, dlg)
    dlg.select_template("card_birthday")
    dlg.refresh()
    ready(qtbot, dlg)
    assert dlg.print_button.isEnabled()
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(dlg.last_pdf or b"")
    text = poppler.text(pdf)
    assert "Dear Łukasz," in text and "Happy birthday" in text
    assert "Sam at Carpenter Decks" in text
    assert "Łukasz Nowak" in text  # on the envelope
    assert "Written at" in dlg.status.text()


def test_typing_a_merge_field_updates_the_preview_and_flags_missing_values(qtbot, db, now):
    dlg = _composer(qtbot, db, now)
    dlg.editor.setPlainText("Hi {first_name}, your {company} deck is done.")
    dlg.refresh()
    ready(qtbot, dlg)
    assert dlg.last_pdf is not None
    assert "no value for: company" in dlg.status.text()


def test_text_too_long_blocks_printing_with_a_reason(qtbot, db, now):
    dlg = _composer(qtbot, db, now)
    dlg.style_form.select(dlg.style_form.card, "postcard-4x6")
    dlg.editor.setPlainText("We really do care about your deck. " * 90)
    dlg.refresh()
    ready(qtbot, dlg)
    assert dlg.last_pdf is None
    assert not dlg.print_button.isEnabled()
    assert "does not fit" in dlg.error.text()
    # A proof shows how far it runs over, marked as such.
    pix = dlg.preview.pixmap()
    assert pix is not None and not pix.isNull()
    assert "Proof only" in dlg.status.text()


def test_a_customer_with_post_revoked_gets_no_card(qtbot, db, now):
    ids = seed(db, now)
    dlg = _composer(qtbot, db, now)
    inaki = ids["Iñaki Peña"]
    dlg.select_customer(inaki)
    ready(qtbot, dlg)
    dlg.refresh()
    ready(qtbot, dlg)
    assert dlg.last_pdf is None
    assert "revoked post" in dlg.error.text()


def test_write_it_again_varies_the_hand(qtbot, db, now, tmp_path):
    dlg = _composer(qtbot, db, now)
    first = dlg.last_pdf
    dlg.again.click()
    ready(qtbot, dlg)
    assert dlg.last_pdf is not None and dlg.last_pdf != first


def test_printing_sends_every_page_at_its_own_size(qtbot, db, now, tmp_path):
    dlg = _composer(qtbot, db, now)
    dlg.style_form.select(dlg.style_form.card, "a2-folded")
    dlg.refresh()
    ready(qtbot, dlg)
    assert dlg.last_pdf is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    # The card's inside and outside (its front), then its envelope.
    assert print_pdf(printer, dlg.last_pdf) == 3
    sizes = poppler.page_sizes(out)
    assert all(abs(sizes[i][0] - 396) < 1.5 and abs(sizes[i][1] - 612) < 1.5 for i in (0, 1))
    assert abs(sizes[2][0] - 414) < 1.5 and abs(sizes[2][1] - 315) < 1.5


def test_batch_lists_cards_and_skipped_then_marks_them_mailed(qtbot, db, now, tmp_path: Path):
    ids = seed(db, now)
    later = now + timedelta(hours=2)
    clock = [now]
    dlg = _batch(qtbot, db, lambda: clock[0])
    assert dlg.table.rowCount() == 2
    names = [item.text() for r in range(2) if (item := dlg.table.item(r, 0)) is not None]
    assert names == ["Renée Müller", "Łukasz Nowak"]
    skipped = [dlg.skipped.item(i).text() for i in range(dlg.skipped.count())]
    assert any(s.startswith("Iñaki Peña: post revoked") for s in skipped)
    assert "Zoë Brown: no postal address" in skipped
    assert not dlg.mail_button.isEnabled()
    assert dlg.last_pdf is not None
    out = tmp_path / "week.pdf"
    dlg.save_to(out)
    # Each folded card's inside and front, then the two envelopes.
    assert len(poppler.page_sizes(out)) == 6
    settle(qtbot, dlg)  # remembered as printed
    assert dlg.mail_button.isEnabled()
    clock[0] = later
    with qtbot.waitSignal(dlg.mailed):
        dlg.mark_as_mailed()
    assert "Logged 2 cards as mailed: Renée Müller and Łukasz Nowak." in dlg.mail_status.text()
    ready(qtbot, dlg)  # the list read again, checked and rendered
    with db.reading() as s:
        touches = list(s.execute(select(Touch)).scalars())
    assert [(t.channel, t.outcome) for t in touches] == [(Channel.CARD, Outcome.MAILED)] * 2
    assert {t.customer_id for t in touches} == {ids["Renée Müller"], ids["Łukasz Nowak"]}
    # Mailed cards leave the list.
    assert dlg.table.rowCount() == 0


def test_batch_with_labels_from_a_chosen_label(qtbot, db, now, tmp_path):
    seed(db, now)
    dlg = _batch(qtbot, db, lambda: now)
    form = dlg.style_form
    form.select(form.envelope, None)
    form.select(form.labels, "avery-5160")
    form.start_label.setValue(12)
    ready(qtbot, dlg)
    assert dlg.last_pdf is not None
    out = tmp_path / "labels.pdf"
    out.write_bytes(dlg.last_pdf)
    assert poppler.page_sizes(out)[-1] == (612.0, 792.0)
    assert "labels from label 12" in dlg.summary.text()


def test_composer_opens_ready_for_a_customer_and_wording(qtbot, db, now, tmp_path):
    ids = seed(db, now)
    Operations(db)  # the window's database thread: who the card is for is read there
    dlg = CardsDialog(
        db, clock=lambda: now, customer_id=ids["Renée Müller"], template_key="card_after_sale"
    )
    qtbot.addWidget(dlg)
    ready(qtbot, dlg)
    assert dlg.template.currentData() == "card_after_sale"
    assert dlg.search.text() == "Renée Müller"
    assert dlg.matches.currentItem().text().startswith("Renée Müller\n    Paddington")
    assert dlg.last_pdf is not None
    pdf = tmp_path / "renee.pdf"
    pdf.write_bytes(dlg.last_pdf)
    assert "Dear Renée," in poppler.text(pdf)
    assert "Thank you for choosing Carpenter Decks" in " ".join(poppler.text(pdf).split())


def test_a_1200_dpi_printer_gets_a_600_dpi_page_with_the_ink_in_place(tmp_path):
    """Printing rasterises each page: no finer than 600 dpi, and nothing moves on the sheet."""
    import subprocess

    from deckfollow.printing.render import Address, CardJob, PrintOptions, render_bytes

    people = [Address("Zoë Łukasiewicz", ("4/17 Wattle Street", "Paddington NSW 2021"))] * 9
    jobs = [CardJob("Thank you!", a, seed=i) for i, a in enumerate(people)]
    pdf = render_bytes(jobs, PrintOptions(card="a6", envelope=None, labels="l7160"))
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(1200)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert print_pdf(printer, pdf) == 10
    assert poppler.page_sizes(out)[-1] == (595.0, 842.0)
    listing = subprocess.run(
        ["pdfimages", "-f", "10", "-l", "10", "-list", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    [sheet] = [row for line in listing if (row := line.split())[2] == "image"]
    assert (int(sheet[3]), int(sheet[4])) == (4961, 7016)  # A4 at 600 dpi, not 1200
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = poppler.render(source, tmp_path / "a", dpi=100, page=10)[0]
    printed = poppler.render(out, tmp_path / "b", dpi=100, page=10)[0]
    ink = [im.point(lambda v: 255 if v < 160 else 0) for im in (original, printed)]
    box_a, box_b = (i.getbbox() for i in ink)
    assert box_a is not None and box_b is not None
    assert max(abs(a - b) for a, b in zip(box_a, box_b, strict=True)) <= 1  # within 0.25 mm
    count_a, count_b = (i.histogram()[255] for i in ink)
    assert abs(count_a - count_b) <= 0.1 * count_a


def test_choosing_a_card_in_the_batch_previews_it_with_its_envelope(qtbot, db, now):
    seed(db, now)
    dlg = _batch(qtbot, db, lambda: now)
    assert dlg.preview_caption.text().startswith("Card 1 of 2: Renée Müller")
    first = dlg.preview.pixmap().toImage()
    dlg.table.setCurrentCell(1, 0)
    ready(qtbot, dlg)
    assert dlg.preview_caption.text().startswith("Card 2 of 2: Łukasz Nowak")
    assert dlg.preview.pixmap().toImage() != first
    # With labels instead of envelopes, the card is shown with the sheet its label is on.
    form = dlg.style_form
    form.select(form.envelope, None)
    form.select(form.labels, "l7160")
    ready(qtbot, dlg)
    assert dlg.previewed_row == 1
    assert dlg.preview_caption.text().startswith("Card 2 of 2: Łukasz Nowak")


def test_the_preview_shows_where_a_folded_card_folds():
    from PySide6.QtGui import QColor, QImage

    from deckfollow.ui.cards.common import mark_fold, stock_fold

    assert stock_fold("a2-folded") == 0.5
    assert stock_fold("a6") is None
    page = QImage(200, 300, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    marked = mark_fold(page, 0.5)
    row = [marked.pixelColor(x, 150).lightness() for x in range(60, 200)]
    assert min(row) < 200 and max(row) == 255  # a dashed line across the middle
    assert page.pixelColor(100, 150).lightness() == 255  # the page itself is untouched


def test_a_pdf_that_cannot_be_saved_says_so_and_is_not_taken_as_printed(qtbot, db, now, tmp_path):
    seed(db, now)
    dlg = _batch(qtbot, db, lambda: now)
    dlg.save_to(tmp_path / "no-such-folder" / "cards.pdf")
    settle(qtbot, dlg)
    assert "Could not save" in dlg.error.text() and "Nothing was written." in dlg.error.text()
    assert not dlg.mail_button.isEnabled()
