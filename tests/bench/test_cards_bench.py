"""Handwriting rendering speed: one note rendered 500 times in one PDF (no database) against
plain ReportLab paragraphs. The real `cards` command on a 100k business, with its queries,
is measured in `test_commands_bench.py`."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from deckfollow.printing.fonts import load
from deckfollow.printing.handwriting import HandStyle, layout_text
from deckfollow.printing.render import Address, CardJob, PrintOptions, render_pdf
from deckfollow.printing.stationery import card_stock
from tests.bench.report import median_seconds, record

pytestmark = pytest.mark.bench

CARDS = 500
NOTE = (
    "Dear Renée,\n\n"
    "Thank you for asking us to quote for your hardwood deck with steps to the garden. "
    "Whatever you decide, it was a pleasure to meet you. If any question comes up, my cell "
    "is +61 412 555 019.\n\n"
    "Warm regards,\nSam"
)


def _cards() -> bytes:
    jobs = [
        CardJob(NOTE, Address("Renée", ("1 Road",)), seed=i, label=str(i)) for i in range(CARDS)
    ]
    buf = io.BytesIO()
    render_pdf(jobs, PrintOptions(card="a7", envelope=None), buf)
    return buf.getvalue()


def _plain(size: float) -> bytes:
    """The same words, same font and size, one card a page, set by ReportLab's Paragraph."""
    stock = card_stock("a7")
    font = load("kalam")
    style = ParagraphStyle("note", fontName=font.ps_name, fontSize=size, leading=size * 1.45)
    paragraphs = [p.replace("\n", "<br/>") for p in NOTE.split("\n\n")]
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(stock.width, stock.height), pageCompression=1)
    box = stock.message
    for _ in range(CARDS):
        frame = Frame(box.x, box.y, box.w, box.h, showBoundary=0)
        frame.addFromList([Paragraph(p, style) for p in paragraphs], canvas)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def test_500_cards_against_plain_paragraphs():
    size = layout_text(NOTE, card_stock("a7").message, HandStyle(), seed=0).size
    plain = median_seconds(lambda: _plain(size), repeat=3)
    cards = median_seconds(_cards, repeat=3)
    ratio = cards / plain
    record("cards", "500 plain ReportLab paragraph cards (baseline)", plain, "s")
    record("cards", "rendering only: one note 500 times, variation on", cards, "s")
    record("cards", "handwritten / plain paragraphs", ratio, "x", "<= 2")
    assert len(_cards()) > 10_000
