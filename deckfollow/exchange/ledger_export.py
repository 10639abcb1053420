"""A customer's consent ledger as evidence: a CSV file and a printable PDF.

Both show every entry in the customer's own time zone and in UTC, with the source and the
customer's own words, plus the current state per channel. Files are created owner-only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.consent import ConsentOverview, consent_overview
from deckfollow.core.consent_ledger import LedgerEntry, ledger_entries
from deckfollow.exchange.private_files import write_private

CSV_HEADER = (
    "entry",
    "local time",
    "time zone",
    "utc time",
    "event",
    "channel",
    "source",
    "customer's words",
    "detail",
    "follow-up",
)


@dataclass(frozen=True)
class LedgerDocument:
    """What an evidence export holds, read in one short session."""

    overview: ConsentOverview
    entries: tuple[LedgerEntry, ...]
    generated_at: datetime


def load_ledger(session: Session, customer_id: int, *, now: datetime) -> LedgerDocument:
    return LedgerDocument(
        consent_overview(session, customer_id), tuple(ledger_entries(session, customer_id)), now
    )


def _safe(text: str | None) -> str:
    """Spreadsheet formulas neutralised the same way as every other CSV export."""
    from deckfollow.exchange.csv_export import neutralise_formula

    return neutralise_formula(text or "")


def ledger_csv(doc: LedgerDocument) -> str:
    """The ledger as CSV text (UTF-8, one row per entry, oldest first)."""
    tz = ZoneInfo(doc.overview.timezone)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for e in doc.entries:
        w.writerow(
            (
                e.id,
                e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                doc.overview.timezone,
                e.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                e.kind_label,
                e.channel_label,
                _safe(e.source),
                _safe(e.words),
                _safe(e.detail),
                e.follow_up_id or "",
            )
        )
    return out.getvalue()


def write_ledger_csv(doc: LedgerDocument, path: Path) -> Path:
    """Write the CSV (with a BOM so spreadsheet programs read the words correctly)."""
    return write_private(path, ledger_csv(doc).encode("utf-8-sig"))


def ledger_pdf(doc: LedgerDocument) -> bytes:
    """A printable record: who, current consent per channel, then every entry in order."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    ov = doc.overview
    tz = ZoneInfo(ov.timezone)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buf = io.BytesIO()
    page = LETTER if ov.country.upper() in ("US", "CA") else A4
    pdf = SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Consent record: {ov.name}",
    )

    def p(text: str | None, style: object = small) -> Paragraph:
        return Paragraph(escape(text or "").replace("\n", "<br/>"), style)

    story: list[object] = [
        Paragraph(escape(f"Consent record: {ov.name}"), styles["Title"]),
        p(
            f"Customer {ov.customer_id} · time zone {ov.timezone} · allowed hours: "
            f"{ov.effective_hours} · generated "
            f"{doc.generated_at.astimezone(tz):%d %b %Y %H:%M} ({ov.timezone}).",
            styles["BodyText"],
        ),
    ]
    if ov.do_not_contact:
        story.append(p("DO NOT CONTACT: the customer asked not to be contacted.", styles["h3"]))
    story.append(Spacer(1, 4 * mm))
    state_rows = [["Channel", "State", "Since", "Source", "Their words"]]
    for c in ov.channels:
        since = c.since.astimezone(tz).strftime("%d %b %Y %H:%M") if c.since else ""
        state_rows.append([c.channel.value, c.state.value, since, p(c.source), p(c.words)])
    widths = pdf.width
    # Both tables span the text width, so their edges line up on the printed page.
    states = Table(state_rows, colWidths=[22 * mm, 22 * mm, 32 * mm, 40 * mm, widths - 116 * mm])
    states.setStyle(_table_style(colors))
    story += [Paragraph("Current consent", styles["h2"]), states, Spacer(1, 5 * mm)]
    rows: list[list[object]] = [
        ["#", "When (local)", "Event", "Channel", "Source", "Words / detail"]
    ]
    for e in doc.entries:
        said = f"“{e.words}”" if e.words else ""
        both = "\n".join(x for x in (said, e.detail or "") if x)
        rows.append(
            [
                str(e.id),
                p(f"{e.at.astimezone(tz):%d %b %Y %H:%M}\n{e.at:%Y-%m-%d %H:%M} UTC"),
                p(e.kind_label),
                e.channel_label,
                p(e.source),
                p(both),
            ]
        )
    table = Table(
        rows,
        colWidths=[10 * mm, 32 * mm, 26 * mm, 22 * mm, 28 * mm, widths - 118 * mm],
        repeatRows=1,
    )
    table.setStyle(_table_style(colors))
    story += [
        Paragraph(f"Ledger ({len(doc.entries)} entries, oldest first)", styles["h2"]),
        table,
        Spacer(1, 4 * mm),
        p(
            "Entries are append-only: the database refuses to change or remove a recorded "
            "entry (an entry goes only when the customer is erased). "
            "Times are shown in the customer's zone and in UTC."
        ),
    ]
    pdf.build(story)
    return buf.getvalue()


def _table_style(colors: Any) -> Any:
    from reportlab.platypus import TableStyle

    c = colors
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
            ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
            ("BACKGROUND", (0, 0), (-1, 0), c.HexColor("#dde5ee")),
            ("GRID", (0, 0), (-1, -1), 0.4, c.HexColor("#8899aa")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )


def write_ledger_pdf(doc: LedgerDocument, path: Path) -> Path:
    return write_private(path, ledger_pdf(doc))
