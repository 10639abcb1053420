"""A card that suits the business: its front, its date line, and a batch printed as one job
per kind of paper; real PDFs read back with poppler."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from deckfollow.printing.paper_steps import paper_steps
from deckfollow.printing.render import CardFront, CardJob, PrintOptions, front_panel, render_pdf
from deckfollow.printing.stationery import card_stock
from tests.printing import poppler
from tests.printing.test_render import PIOTR, RENEE, RETURN

SHORT = "Dear Renée,\n\nThank you for asking us to quote.\n\nWarm regards,\nSam"
A5 = pytest.approx((419.53, 595.28), abs=0.01)
C6 = pytest.approx((459.21, 323.15), abs=0.01)
A4 = pytest.approx((595.28, 841.89), abs=0.01)


def _jobs(n: int) -> list[CardJob]:
    people = [RENEE, PIOTR]
    return [CardJob(SHORT, people[i % 2], 7 + i, people[i % 2].name) for i in range(n)]


def _front(motif: str = "sprig", logo: Path | None = None) -> CardFront:
    return CardFront("Carpenter Decks", motif, logo, "Carpenter Decks · 0412 555 019")


def _options(**kw: object) -> PrintOptions:
    base: dict[str, object] = {
        "card": "a6-folded",
        "envelope": "match",
        "labels": "l7160",
        "return_address": RETURN,
        "front": _front(),
        "date_text": "5 December 2026",
    }
    base.update(kw)
    return PrintOptions(**base)  # type: ignore[arg-type]


def test_a_batch_prints_as_one_labelled_job_per_paper_kind(tmp_path):
    steps = paper_steps(_jobs(12), _options())
    assert [s.heading for s in steps] == [
        "1. 12 cards on A5 card stock",
        "2. 12 C6 envelopes — load envelopes now",
        "3. 12 labels on L7160",
    ]
    assert "both sides" in steps[0].instruction
    assert steps[2].instruction == "Load 1 L7160 sheet."
    expected = {"cards": (A5, 24), "envelopes": (C6, 12), "labels": (A4, 1)}
    for step in steps:
        pdf = tmp_path / f"{step.slug}.pdf"
        pdf.write_bytes(step.pdf)
        size, pages = expected[step.part]
        # Each job holds one paper size only: the printer never switches mid-job.
        assert poppler.page_sizes(pdf) == [size] * pages
    assert steps[1].path_beside(Path("/x/cards.pdf")) == Path("/x/cards-2-envelopes-c6.pdf")


def test_the_single_pdf_still_holds_everything_in_order(tmp_path):
    out = tmp_path / "all.pdf"
    summary = render_pdf(_jobs(2), _options(), out)
    assert (summary.cards, summary.envelopes, summary.labels, summary.pages) == (2, 2, 2, 7)
    assert poppler.page_sizes(out) == [A5] * 4 + [C6] * 2 + [A4]


def test_the_front_carries_the_name_on_the_panel_that_faces_out_once_folded(tmp_path):
    out = tmp_path / "card.pdf"
    front = CardFront("Carpenter Decks", "sprig", None, "Ring 0412 555 019")
    render_pdf(_jobs(1), _options(front=front, labels=None, envelope=None), out)
    stock = card_stock("a6-folded")
    assert stock.fold_y is not None
    outside = poppler.words(out, 2)
    name = [w for w in outside if w[0] in ("Carpenter", "Decks")]
    assert len(name) == 2
    # The front is the half above the fold, turned upside down on the sheet: poppler reads
    # it from the top half of the page, rotated (x runs right to left).
    fold_from_top = stock.height - stock.fold_y
    for _word, _x0, _y0, _x1, y1 in name:
        assert y1 <= fold_from_top
    carpenter = next(w for w in name if w[0] == "Carpenter")
    decks = next(w for w in name if w[0] == "Decks")
    assert carpenter[1] > decks[1]  # upside down: the first word sits further right
    # The back (below the fold) is read the right way up once the card is turned over.
    ring = next(w for w in outside if w[0] == "Ring")
    assert ring[2] > fold_from_top
    # The inside has the date at the top and the message below it; nothing of the front.
    inside = poppler.words(out, 1)
    date = next(w for w in inside if w[0] == "December")
    dear = next(w for w in inside if w[0] == "Dear")
    assert date[4] < dear[2] and date[2] > fold_from_top
    assert "5 December 2026" in poppler.text(out)


def _ink_in(image: Image.Image, box: tuple[float, float, float, float], height: float) -> int:
    """Dark pixels (72 dpi: one a point) inside box (x, y, w, h, origin bottom left)."""
    x, y, w, h = box
    crop = image.crop((int(x), int(height - y - h), int(x + w), int(height - y)))
    return sum(crop.point(lambda v: 255 if v < 128 else 0).histogram()[255:])


@pytest.mark.parametrize("motif", ["sprig", "sun", "house", "border"])
def test_each_motif_is_drawn_on_the_front_and_none_leaves_it_blank(tmp_path, motif):
    stock = card_stock("a6-folded")
    panel = front_panel(stock)
    inked = {}
    for choice in (motif, "none"):
        out = tmp_path / f"{choice}.pdf"
        front = CardFront("Carpenter Decks", choice)
        render_pdf(_jobs(1), _options(front=front, labels=None, envelope=None), out)
        image = poppler.render(out, tmp_path, dpi=72, page=2)[0]
        inked[choice] = _ink_in(image, (panel.x, panel.y, panel.w, panel.h), stock.height)
    # The name alone inks a little; the motif much more.
    assert inked["none"] > 0
    assert inked[motif] > inked["none"] + 150


def test_a_card_with_nothing_on_its_front_is_one_page(tmp_path):
    out = tmp_path / "plain.pdf"
    render_pdf(_jobs(1), _options(front=CardFront("", "none"), labels=None, envelope=None), out)
    assert poppler.page_sizes(out) == [A5]


def test_the_owners_logo_replaces_the_motif(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 200), (20, 90, 40)).save(logo)
    out = tmp_path / "logo.pdf"
    render_pdf(_jobs(1), _options(front=_front("sprig", logo), labels=None, envelope=None), out)
    stock = card_stock("a6-folded")
    panel = front_panel(stock)
    image = poppler.render(out, tmp_path, dpi=72, page=2)[0]
    # A solid logo inks far more than a sprig could.
    assert _ink_in(image, (panel.x, panel.y, panel.w, panel.h), stock.height) > 5000


def test_a_logo_that_is_no_image_is_refused_by_name(tmp_path):
    from deckfollow.core.errors import ValidationError

    bad = tmp_path / "logo.png"
    bad.write_text("not an image")
    with pytest.raises(ValidationError, match="logo"):
        render_pdf(_jobs(1), _options(front=_front("sprig", bad)), tmp_path / "x.pdf")


@pytest.mark.parametrize(
    ("country", "typed", "printed"),
    [
        ("AU", "0412 345 679", "0412 345 679"),
        ("GB", "+44 7911 123456", "07911 123456"),
        ("NZ", "021 123 4567", "021 123 4567"),
        ("AU", "+1 415 555 0132", "+1 415-555-0132"),  # a cell from abroad stays international
    ],
)
def test_the_back_prints_the_business_phone_as_dialled_at_home(db, country, typed, printed):
    from deckfollow.core.card_preferences import load_card_preferences
    from deckfollow.core.settings import save_owner_settings
    from deckfollow.printing.card_setup import card_front

    with db.unit_of_work() as s:
        save_owner_settings(
            s, {"business_name": "Harbour Decks", "default_country": country, "owner_phone": typed}
        )
        front = card_front(s, load_card_preferences(s))
    assert front.back_line == f"Harbour Decks · {printed}"
