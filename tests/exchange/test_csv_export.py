"""Customers and quotes to CSV: opens in a spreadsheet safely and re-imports unchanged."""

from __future__ import annotations

import csv
import io
import stat
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Stage
from deckfollow.core.errors import DeckfollowError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.exchange.csv_export import export_csv, neutralise_formula
from deckfollow.storage.database import Database, open_database
from tests.cli.helpers import run_cli

from .import_helpers import customers, import_bytes, set_owner

FIELDS_KEPT = (
    *("display_name", "first_name", "last_name", "company", "email", "phone_cell", "street"),
    *("suburb", "region", "postcode", "country", "timezone", "birthday", "notes"),
)


def _rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _fill(db: Database, now: datetime) -> None:
    set_owner(db)
    with db.unit_of_work() as s:
        a = add_lead(
            s,
            NewLead(
                name="Zoë Müller",
                phone="0412 345 678",
                email="zoe@example.com",
                job="Deck",
                answered=True,
            ),
            now=now,
        )
        c = s.get(Customer, a.customer_id)
        assert c is not None
        c.street, c.suburb, c.region, c.postcode = "12 Banksia St", "Newtown", "NSW", "2042"
        c.notes = '=HYPERLINK("http://evil")\nsecond line, with comma'
        c.birthday = date(1980, 2, 29)
        c.company = "@SUM(A1)"
        q = s.get(Quote, a.quote_id)
        assert q is not None
        q.amount, q.stage, q.number = Decimal("12450.50"), Stage.QUOTED, "Q-0001"
        q.notes = "-2+3"
        b = add_lead(
            s,
            NewLead(name="Łukasz Wróbel", email="lw@example.pl", job="Fence", answered=True),
            now=now,
        )
        revoke_consent(s, b.customer_id, None, source="phone call", words="no more", now=now)
        gone = add_lead(
            s, NewLead(name="Trashed Person", email="t@example.com", answered=True), now=now
        )
        trashed = s.get(Customer, gone.customer_id)
        assert trashed is not None
        trashed.deleted_at = now
        tq = s.get(Quote, gone.quote_id)
        assert tq is not None
        tq.deleted_at = now


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("+61412345678", "+61412345678"),
        ("+1 (212) 555-0188", "+1 (212) 555-0188"),
        ("-12.50", "-12.50"),
        ("Plain text", "Plain text"),
        ("", ""),
    ],
)
def test_formulas_are_neutralised_but_phones_and_amounts_kept(value: str, expected: str) -> None:
    assert neutralise_formula(value) == expected


def test_export_writes_two_owner_only_files(db: Database, now: datetime, tmp_path: Path) -> None:
    _fill(db, now)
    with db.reading() as s:
        done = export_csv(s, tmp_path / "out")

    assert (done.customers, done.quotes) == (2, 2)
    for path in (done.customers_path, done.quotes_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    people = _rows(done.customers_path)
    zoe = people[0]
    assert zoe["Name"] == "Zoë Müller"
    assert zoe["Mobile"] == "+61412345678"
    assert zoe["Company"] == "'@SUM(A1)"
    assert zoe["Notes"] == '\'=HYPERLINK("http://evil")\nsecond line, with comma'
    assert zoe["Birthday"] == "1980-02-29"
    assert people[1]["Do Not Contact"] == "yes"
    assert "Trashed Person" not in {p["Name"] for p in people}
    quotes = _rows(done.quotes_path)
    assert quotes[0]["Amount"] == "12450.50"
    assert quotes[0]["Number"] == "Q-0001"
    assert quotes[0]["Stage"] == "quoted"
    assert quotes[0]["Customer"] == "Zoë Müller"
    assert quotes[0]["Notes"] == "'-2+3"
    assert quotes[0]["Received (UTC)"] == "2026-11-22 22:00"


def test_exported_customers_reimport_unchanged(db: Database, now: datetime, tmp_path: Path) -> None:
    _fill(db, now)
    with db.reading() as s:
        done = export_csv(s, tmp_path / "out")
    fresh = open_database(str(tmp_path / "fresh.db"))
    try:
        set_owner(fresh)
        plan = import_bytes(fresh, done.customers_path.read_bytes(), now)
        assert (plan.imported, plan.duplicates, plan.stopped) == (2, 0, 1)
        assert plan.problems == []
        # The do-not-contact person comes back do-not-contact, never contactable again.
        assert customers(fresh)["Łukasz Wróbel"].do_not_contact
        before, after = customers(db)["Zoë Müller"], customers(fresh)["Zoë Müller"]
        for attr in FIELDS_KEPT:
            assert getattr(after, attr) == getattr(before, attr), attr
    finally:
        fresh.close()


def test_export_never_overwrites_an_earlier_one(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    _fill(db, now)
    with db.reading() as s:
        export_csv(s, tmp_path)
        with pytest.raises(DeckfollowError, match=r"already holds customers\.csv and quotes\.csv"):
            export_csv(s, tmp_path)
        with pytest.raises(DeckfollowError, match="is a file"):
            export_csv(s, tmp_path / "customers.csv")


def test_cli_exports_csv_to_a_folder(db_path: Path, tmp_path: Path) -> None:
    r = run_cli("--db", str(db_path), "add-lead", "--name", "Ann Lee", "--email", "a@example.com")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "export"
    r = run_cli("--db", str(db_path), "export", "--format", "csv", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Exported 1 customer to" in r.stdout
    assert _rows(out / "customers.csv")[0]["Email"] == "a@example.com"
    assert _rows(out / "quotes.csv")[0]["Stage"] == "lead"
    again = run_cli("--db", str(db_path), "export", "--format", "csv", "--out", str(out))
    assert again.returncode != 0 and "already holds" in again.stderr
