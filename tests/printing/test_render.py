"""Cards, envelopes and labels as real PDFs, read back and rendered with poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from deckfollow.core.errors import ValidationError
from deckfollow.printing.fonts import FONTS, fonts_dir
from deckfollow.printing.handwriting import HandStyle, layout_text
from deckfollow.printing.render import (
    Address,
    CardJob,
    CardsDoNotFit,
    PrintOptions,
    card_layout,
    check_cards,
    render_pdf,
)
from deckfollow.printing.stationery import (
    CARDS,
    ENVELOPES,
    INCH,
    LABEL_SHEETS,
    MM,
    Rect,
    card_stock,
    envelope,
    label_sheet,
)
from tests.printing import poppler

NOTE = (
    "Dear Zoë,\n\n"
    "Thank you for asking us to quote for your hardwood deck with steps to the garden. "
    "Whatever you decide, it was a pleasure to meet you and Łukasz. If any question comes "
    "up, my cell is +61 412 555 019.\n\n"
    "Warm regards,\nSam"
)
RETURN = Address("Carpenter Decks", ("12 Timber Lane", "Marrickville NSW 2204"))
RENEE = Address("Renée Müller-Peña", ("4/17 Wattle Street", "Paddington NSW 2021"))
PIOTR = Address("Piotr Łukasiewicz", ("88 Ocean Road", "Bondi NSW 2026"))


def _box(r: Rect) -> tuple[float, float, float, float]:
    return (r.x, r.y, r.w, r.h)


def _jobs(n: int = 2, text: str = NOTE) -> list[CardJob]:
    people = [RENEE, PIOTR]
    return [CardJob(text, people[i % 2], seed=100 + i, label=people[i % 2].name) for i in range(n)]


# The real sizes of the stationery, independent of the module's own arithmetic.
EXPECTED_PAGE = {
    "a6-folded": (419.53, 595.28),
    "a2-folded": (396.0, 612.0),
    "a6": (419.53, 297.64),
    "postcard-4x6": (432.0, 288.0),
    "a7": (504.0, 360.0),
}
EXPECTED_ENVELOPE = {
    "a2": (414.0, 315.0),
    "a7": (522.0, 378.0),
    "c6": (459.21, 323.15),
    "dl": (623.62, 311.81),
    "no10": (684.0, 297.0),
}


@pytest.mark.parametrize("card", [c.key for c in CARDS])
def test_every_card_prints_at_its_real_size_with_the_matching_envelope(tmp_path, card):
    pdf = tmp_path / f"{card}.pdf"
    summary = render_pdf(_jobs(), PrintOptions(card=card, return_address=RETURN), pdf)
    sizes = poppler.page_sizes(pdf)
    assert sizes[0] == pytest.approx(EXPECTED_PAGE[card], abs=0.02)
    assert sizes[1] == pytest.approx(EXPECTED_PAGE[card], abs=0.02)
    env = card_stock(card).envelope
    if env is None:
        # The postcard carries its own address: no envelope pages.
        assert summary.envelopes == 0
        assert len(sizes) == 2
    else:
        assert summary.envelopes == 2
        assert sizes[2:] == [pytest.approx(EXPECTED_ENVELOPE[env], abs=0.02)] * 2


@pytest.mark.parametrize("env", [e.key for e in ENVELOPES])
def test_every_envelope_size_and_its_addresses_stay_in_their_places(tmp_path, env):
    pdf = tmp_path / f"env-{env}.pdf"
    render_pdf(_jobs(1), PrintOptions(card="a6", envelope=env, return_address=RETURN), pdf)
    assert poppler.page_sizes(pdf)[1] == pytest.approx(EXPECTED_ENVELOPE[env], abs=0.02)
    stock = envelope(env)
    page = poppler.render(pdf, tmp_path, dpi=100, page=2)[0]
    allowed = [_box(stock.return_box), _box(stock.recipient_box)]
    assert poppler.ink_outside(page, allowed, dpi=100) is None
    assert poppler.ink_inside(page, _box(stock.return_box), dpi=100) > 50
    assert poppler.ink_inside(page, _box(stock.recipient_box), dpi=100) > 100
    # The stamp corner stays clear.
    assert poppler.ink_inside(page, _box(stock.stamp_box), dpi=100) == 0
    text = poppler.text(pdf)
    assert "Renée Müller-Peña" in text
    assert "Marrickville NSW 2204" in text


@pytest.mark.parametrize("font", [f.key for f in FONTS])
@pytest.mark.parametrize("card", [c.key for c in CARDS])
def test_ink_stays_inside_the_printable_area(tmp_path, card, font):
    pdf = tmp_path / f"{card}-{font}.pdf"
    opts = PrintOptions(card=card, style=HandStyle(font=font), envelope=None)
    render_pdf(_jobs(1), opts, pdf)
    stock = card_stock(card)
    page = poppler.render(pdf, tmp_path, dpi=100)[0]
    allowed = [_box(stock.message)]
    if stock.address is not None:
        allowed.append(_box(stock.address))
        # the divider line between message and address
        gap = Rect(
            stock.message.right,
            stock.message.y,
            stock.address.x - stock.message.right,
            stock.message.h,
        )
        allowed.append(_box(gap))
    assert poppler.ink_outside(page, allowed, dpi=100) is None
    assert poppler.ink_inside(page, _box(stock.message), dpi=100) > 500
    if stock.fold_y is not None:
        # Nothing within a quarter inch of the fold.
        fold = (0.0, stock.fold_y - 18, stock.width, 36.0)
        assert poppler.ink_inside(page, fold, dpi=100) == 0


def test_fonts_are_embedded_truetype(tmp_path):
    for hf in FONTS:
        pdf = tmp_path / f"{hf.key}.pdf"
        render_pdf(
            _jobs(2),
            PrintOptions(style=HandStyle(font=hf.key), return_address=RETURN, labels="l7160"),
            pdf,
        )
        rows = poppler.fonts(pdf)
        assert rows, "no fonts in the PDF"
        assert all(r["emb"] == "yes" for r in rows), rows
        assert all(r["type"].startswith("TrueType") for r in rows), rows


def test_bundled_fonts_come_with_their_licences():
    for hf in FONTS:
        assert (fonts_dir() / hf.file).read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true")
        licence = (fonts_dir() / hf.licence_file).read_text(encoding="utf-8")
        assert "Open Font License" in licence or "OPEN FONT LICENSE" in licence


@pytest.mark.parametrize("font", [f.key for f in FONTS])
def test_accented_and_polish_names_print_in_every_font(tmp_path, font):
    pdf = tmp_path / f"names-{font}.pdf"
    text = "Dear Zoë, Renée, Jürgen, Señor Muñoz and Łukasz Żółć,\n\nthank you!\nSam"
    render_pdf(
        [CardJob(text, PIOTR, seed=1)],
        PrintOptions(card="a7", style=HandStyle(font=font), return_address=RETURN),
        pdf,
    )
    out = poppler.text(pdf)
    for name in ("Zoë", "Renée", "Jürgen", "Muñoz", "Łukasz", "Żółć", "Łukasiewicz"):
        assert name in out, (font, name, out)


@pytest.mark.parametrize("font", ["kristi", "breip"])
def test_a_letter_borrowed_from_the_fallback_font_stands_as_tall(tmp_path, font):
    """Kristi and Breip have no Ł: Kalam's is written at their capitals' height."""
    style = HandStyle(font=font, variation=0.0, size=40, min_size=40)
    pdf = tmp_path / f"borrowed-{font}.pdf"
    render_pdf(
        [CardJob("L   Ł", None, seed=1)], PrintOptions(card="a7", envelope=None, style=style), pdf
    )
    (tmp_path / font).mkdir()
    page = poppler.render(pdf, tmp_path / font, dpi=144, page=1)[0]
    ink = page.point(lambda v: 255 if v < 160 else 0)
    box = ink.getbbox()
    assert box is not None
    columns = [any(ink.getpixel((x, y)) for y in range(box[1], box[3])) for x in range(page.width)]
    letters: list[tuple[int, int]] = []
    for x, dark in enumerate(columns):
        if dark and (not letters or x > letters[-1][1] + 8):
            letters.append((x, x))
        elif dark:
            letters[-1] = (letters[-1][0], x)
    assert len(letters) == 2
    plain, borrowed = (ink.crop((a, 0, b + 1, page.height)).getbbox() for a, b in letters)
    assert plain is not None and borrowed is not None
    # Both stand on the same line and reach the same height, within a tenth of a capital
    # (Kristi's L dips a little below the line, Kalam's does not).
    height = plain[3] - plain[1]
    assert abs(plain[3] - borrowed[3]) <= 0.1 * height
    assert abs(plain[1] - borrowed[1]) <= 0.1 * height


def _pixels(pdf: Path, tmp: Path, name: str) -> bytes:
    out = tmp / name
    out.mkdir()
    return poppler.render(pdf, out, dpi=60, page=1)[0].tobytes()


def test_each_card_is_written_differently_and_a_seed_reproduces_it(tmp_path):
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    opts = PrintOptions(card="a7", envelope=None)
    render_pdf([CardJob(NOTE, RENEE, seed=7)], opts, a)
    render_pdf([CardJob(NOTE, RENEE, seed=8)], opts, b)
    render_pdf([CardJob(NOTE, RENEE, seed=7)], opts, c)
    pa, pb, pc = (_pixels(p, tmp_path, p.stem) for p in (a, b, c))
    assert pa == pc
    assert pa != pb
    # Same words either way.
    assert " ".join(poppler.text(a).split()) == " ".join(poppler.text(b).split())


def test_variation_changes_baseline_size_slant_and_spacing():
    box = card_stock("a7").message
    one = layout_text(NOTE, box, HandStyle(), seed=1)
    two = layout_text(NOTE, box, HandStyle(), seed=2)
    flat = layout_text(NOTE, box, HandStyle(variation=0.0), seed=1)
    assert len(one.placed) == len(two.placed) == len(flat.placed)
    assert len({round(p.skew, 4) for p in one.placed}) > 5
    assert len({round(p.size, 3) for p in one.placed}) > 5
    assert len({round(p.char_space, 3) for p in one.placed}) > 5
    assert [p.skew for p in one.placed] != [p.skew for p in two.placed]
    assert [(p.x, p.y) for p in one.placed] != [(p.x, p.y) for p in two.placed]
    # Without variation every word sits on its line at one size, upright.
    assert len({p.size for p in flat.placed}) == 1
    assert {p.skew for p in flat.placed} == {0.0}
    first_line = [p for p in flat.placed if p.y == flat.placed[0].y]
    assert len(first_line) >= 2


def test_a_long_text_is_set_smaller_but_never_below_the_limit(tmp_path):
    long = NOTE.replace(
        "Warm regards",
        "We build every deck to last, and we look after it for years. " * 6 + "\n\nWarm regards",
    )
    style = HandStyle(size=18, min_size=10)
    lay = layout_text(long, card_stock("a7").message, style, seed=3)
    assert lay.fits and lay.shrunk
    assert 10 <= lay.size < 18
    pdf = tmp_path / "long.pdf"
    render_pdf([CardJob(long, RENEE, seed=3)], PrintOptions(card="a7", style=style), pdf)
    page = poppler.render(pdf, tmp_path, dpi=100, page=1)[0]
    assert poppler.ink_outside(page, [_box(card_stock("a7").message)], dpi=100) is None
    assert "We build every deck to last, and we look after it" in " ".join(
        poppler.text(pdf).split()
    )


def test_text_that_cannot_fit_is_reported_before_anything_is_written(tmp_path):
    essay = "This is far too much to say on a small card. " * 60
    jobs = [
        CardJob(NOTE, RENEE, seed=1, label="Renée"),
        CardJob(essay, PIOTR, seed=2, label="Piotr"),
    ]
    opts = PrintOptions(card="postcard-4x6")
    problems = check_cards(jobs, opts)
    assert [(p.label, p.part) for p in problems] == [("Piotr", "card")]
    assert "does not fit" in problems[0].problem
    pdf = tmp_path / "never.pdf"
    with pytest.raises(CardsDoNotFit) as err:
        render_pdf(jobs, opts, pdf)
    assert "Piotr" in str(err.value)
    assert not pdf.exists()


def test_letters_no_font_can_write_are_reported():
    jobs = [CardJob("Dear 王小明,\nThank you!", RENEE, seed=1, label="Wang")]
    problems = check_cards(jobs, PrintOptions(card="a6"))
    assert problems and "王" in problems[0].problem


def test_a_card_with_no_postal_address_is_reported_for_its_envelope():
    jobs = [CardJob(NOTE, Address("Nobody"), seed=1, label="Nobody")]
    problems = check_cards(jobs, PrintOptions(card="a6"))
    assert [(p.label, p.part) for p in problems] == [("Nobody", "address")]
    # Without envelope or labels an address is not needed.
    assert check_cards(jobs, PrintOptions(card="a6", envelope=None)) == []


@pytest.mark.parametrize("sheet_key", [s.key for s in LABEL_SHEETS])
def test_label_sheets_start_at_any_label_and_continue_on_a_new_sheet(tmp_path, sheet_key):
    sheet = label_sheet(sheet_key)
    start = sheet.per_sheet - 2  # three labels left on a used sheet
    pdf = tmp_path / f"{sheet_key}.pdf"
    summary = render_pdf(
        _jobs(5), PrintOptions(card="a6", envelope=None, labels=sheet_key, start_label=start), pdf
    )
    assert summary.labels == 5
    sizes = poppler.page_sizes(pdf)
    expected = (612.0, 792.0) if sheet_key == "avery-5160" else (595.28, 841.89)
    assert sizes[5:] == [pytest.approx(expected, abs=0.02)] * 2
    first, second = poppler.render(pdf, tmp_path, dpi=100)[5:7]
    used_first = [sheet.safe(i) for i in range(start - 1, sheet.per_sheet)]
    assert poppler.ink_outside(first, [_box(r) for r in used_first], dpi=100) is None
    for r in used_first:
        assert poppler.ink_inside(first, _box(r), dpi=100) > 50
    used_second = [sheet.safe(i) for i in range(2)]
    assert poppler.ink_outside(second, [_box(r) for r in used_second], dpi=100) is None


def test_label_geometry_matches_the_manufacturers_templates():
    avery = label_sheet("avery-5160")
    first, last = avery.label(0), avery.label(29)
    assert (first.x, avery.height - first.top) == pytest.approx((0.1875 * INCH, 0.5 * INCH))
    assert (first.w, first.h) == pytest.approx((2.625 * INCH, 1.0 * INCH))
    assert (avery.width - last.right, last.y) == pytest.approx((0.1875 * INCH, 0.5 * INCH))
    l7160 = label_sheet("l7160")
    first, last = l7160.label(0), l7160.label(20)
    assert (first.w, first.h) == pytest.approx((63.5 * MM, 38.1 * MM))
    assert (first.x, l7160.height - first.top) == pytest.approx((7.25 * MM, 15.15 * MM))
    assert last.y == pytest.approx(15.15 * MM)
    assert l7160.width - last.right == pytest.approx(7.25 * MM, abs=0.3)


def test_a_start_label_past_the_sheet_is_refused():
    with pytest.raises(ValidationError, match="1 to 30"):
        check_cards(_jobs(1), PrintOptions(labels="avery-5160", start_label=31))


def test_a_scanned_signature_is_written_under_the_message(tmp_path):
    sig = tmp_path / "signature.png"
    img = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    ImageDraw.Draw(img).line(
        [(10, 90), (80, 20), (150, 100), (260, 30), (390, 80)], fill=(20, 30, 90, 255), width=8
    )
    img.save(sig)
    pdf = tmp_path / "signed.pdf"
    opts = PrintOptions(card="a7", envelope=None, signature=sig)
    render_pdf([CardJob(NOTE, RENEE, seed=5)], opts, pdf)
    lay = card_layout(CardJob(NOTE, RENEE, seed=5), opts)
    assert lay.signature_box is not None
    page = poppler.render(pdf, tmp_path, dpi=100)[0]
    assert poppler.ink_inside(page, _box(lay.signature_box), dpi=100) > 100
    assert poppler.ink_outside(page, [_box(card_stock("a7").message)], dpi=100) is None


def test_an_address_line_is_made_smaller_rather_than_split():
    sheet = label_sheet("avery-5160")
    lines = ("Apartment 4, 17 Wattle Street North", "Paddington NSW 2021", "Australia")
    addr = Address("Renée Müller-Peña", lines)
    for seed in range(20):
        lay = layout_text(
            addr.text(),
            sheet.safe(0),
            HandStyle(size=11, min_size=6),
            seed=seed,
            keep_lines=True,
            middle=True,
        )
        assert lay.fits and lay.lines == 4
    street = "A street name far too long to write on one line of a small address label"
    jobs = [CardJob("Hi", Address("Ann", (street,)), seed=1, label="Ann")]
    problems = check_cards(jobs, PrintOptions(card="a6", envelope=None, labels="avery-5160"))
    assert [(p.label, p.part) for p in problems] == [("Ann", "label")]


@pytest.mark.parametrize(("ink", "channel"), [("royal-blue", 2), ("sepia", 0), ("green", 1)])
def test_the_chosen_ink_colour_is_what_prints(tmp_path, ink, channel):
    pdf = tmp_path / f"{ink}.pdf"
    render_pdf(
        [CardJob(NOTE, RENEE, seed=1)],
        PrintOptions(card="a7", envelope=None, style=HandStyle(ink=ink)),
        pdf,
    )
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "ink")], check=True)
    img = Image.open(next(tmp_path.glob("ink-*.png"))).convert("RGB")
    # Only the strokes: pixels clearly darker than the paper.
    mask = img.convert("L").point(lambda v: 255 if v < 150 else 0)
    assert mask.histogram()[255] > 200
    # The ink's strongest channel is strongest in the printed strokes too.
    totals = [sum(i * n for i, n in enumerate(band.histogram(mask))) for band in img.split()]
    assert max(range(3), key=lambda c: totals[c]) == channel


def test_a_checked_batch_is_written_from_its_plan_without_setting_a_card_again(
    tmp_path, monkeypatch
):
    """The batch checked is the batch printed: writing the plan sets no card a second time,
    and gives the pages `render_pdf` gives."""
    from deckfollow.printing import handwriting, render
    from deckfollow.printing.render import plan_cards, write_plan

    jobs = [CardJob(NOTE, RENEE, seed=s) for s in range(3)]
    opts = PrintOptions(card="a7", envelope="match")
    set_count = [0]
    real = handwriting.layout_text

    def counting(*args, **kwargs):
        set_count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "layout_text", counting)
    plan = plan_cards(jobs, opts)
    assert plan.problems == ()
    after_plan = set_count[0]
    summary = write_plan(plan, tmp_path / "plan.pdf")
    assert set_count[0] == after_plan  # nothing set again to write it
    monkeypatch.setattr(render, "layout_text", real)
    again = render_pdf(jobs, opts, tmp_path / "again.pdf")
    assert summary == again
    assert _pixels(tmp_path / "plan.pdf", tmp_path, "plan") == _pixels(
        tmp_path / "again.pdf", tmp_path, "again"
    )


def test_a_batch_is_written_as_plain_compressed_streams_and_reportlab_is_left_as_it_was(
    tmp_path: Path,
) -> None:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    before = (rl_config.useA85, pdfdoc.PDFZCompress)
    pdf = tmp_path / "cards.pdf"
    render_pdf(_jobs(3), PrintOptions(card="a6-folded", return_address=RETURN), pdf)
    data = pdf.read_bytes()
    assert b"/FlateDecode" in data and b"/ASCII85Decode" not in data
    assert "Thank you for asking us to quote" in " ".join(poppler.text(pdf).split())
    # Other PDFs of the app (reports) are written with ReportLab's own settings.
    assert (rl_config.useA85, pdfdoc.PDFZCompress) == before
