"""The consent ledger exported as evidence: CSV a spreadsheet reads, a PDF that prints."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.enums import Channel, ConsentChannel
from deckfollow.core.followups import agree_follow_up, agreed_plan
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.exchange.ledger_export import (
    CSV_HEADER,
    load_ledger,
    write_ledger_csv,
    write_ledger_pdf,
)
from deckfollow.storage.database import Database


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                "Grace Hopper",
                phone="+61412000111",
                country="AU",
                timezone="Australia/Sydney",
                answered=True,
            ),
            now=now,
        )
        grant_consent(
            s,
            lead.customer_id,
            ConsentChannel.EMAIL,
            source="web form",
            words='=HYPERLINK("x") email is best',
            now=now,
        )
        plan = agreed_plan(
            date(2026, 11, 26),
            time(17),
            time(18),
            "Australia/Sydney",
            Channel.CALL,
            "Answer questions on the quote",
            "Sure, check in Thursday after five",
        )
        agree_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now, source="site visit")
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="text reply",
            words="No texts please",
            now=now + timedelta(hours=1),
        )
    return lead


def test_csv_holds_every_entry_with_words_in_local_and_utc_time(
    db: Database, lead: LeadCreated, now: datetime, tmp_path: Path
):
    with db.reading() as s:
        doc = load_ledger(s, lead.customer_id, now=now)
    path = write_ledger_csv(doc, tmp_path / "out" / "ledger.csv")
    assert path.stat().st_mode & 0o777 == 0o600
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == CSV_HEADER
    body = rows[1:]
    assert [r[4] for r in body] == [
        "Consent given",
        "Consent given",
        "Agreed follow-up",
        "Consent revoked",
    ]
    # Now is 09:00 on Monday 23 Nov in Sydney (22:00 UTC the day before).
    assert body[0][1:4] == ["2026-11-23 09:00", "Australia/Sydney", "2026-11-22T22:00:00Z"]
    assert body[2][7] == "Sure, check in Thursday after five"
    assert body[3][5:8] == ["text", "text reply", "No texts please"]
    # A formula in the customer's words is shown as text, never run by a spreadsheet.
    assert body[0][7].startswith("'=HYPERLINK")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_pdf_prints_the_record_and_renders(
    db: Database, lead: LeadCreated, now: datetime, tmp_path: Path
):
    with db.reading() as s:
        doc = load_ledger(s, lead.customer_id, now=now)
    path = write_ledger_pdf(doc, tmp_path / "ledger.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_mode & 0o777 == 0o600
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 5000
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Consent record: Grace Hopper" in text
    assert "No texts please" in text
    assert "Sure, check in Thursday after five" in text
    assert "revoked" in text


def test_a_formula_disguised_as_a_negative_number_is_shown_as_text(
    db: Database, now: datetime, tmp_path: Path
):
    with db.unit_of_work() as s:
        made = add_lead(
            s, NewLead("Ada Byron", phone="+61412000222", country="AU", answered=True), now=now
        )
        grant_consent(
            s, made.customer_id, ConsentChannel.CALL, source="-1+A1", words="+61 412 000 222",
            now=now,
        )  # fmt: skip
    with db.reading() as s:
        doc = load_ledger(s, made.customer_id, now=now)
    path = write_ledger_csv(doc, tmp_path / "ledger.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        row = list(csv.reader(fh))[1]
    assert row[6] == "'-1+A1"
    assert row[7] == "+61 412 000 222", "a phone number in their words stays as written"
