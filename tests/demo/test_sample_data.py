"""One coherent business per country, and sample data that leaves in one step."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from datetime import datetime
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Quote, Suppression
from deckfollow.core.settings import load_settings, set_setting
from deckfollow.core.trash import erase_customer
from deckfollow.demo.generator import generate_demo
from deckfollow.demo.markets import market_of
from deckfollow.storage.database import open_database
from tests.cli.helpers import run_in_process

TABLES = (
    "customer",
    "quote",
    "touch",
    "follow_up",
    "cadence_run",
    "consent_event",
    "channel_consent",
    "suppression",
)


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.mark.parametrize(
    ("asked", "country", "currency", "zone", "region"),
    [
        ("AU", "AU", "AUD", "Australia/Sydney", "NSW"),
        ("US", "US", "USD", "America/Chicago", "TX"),
        ("UK", "GB", "GBP", "Europe/London", "West Yorkshire"),
        ("NZ", "NZ", "NZD", "Pacific/Auckland", "Auckland"),
        ("CA", "CA", "CAD", "America/Toronto", "ON"),
        ("IE", "IE", "EUR", "Europe/Dublin", "Dublin"),
    ],
)
def test_each_country_s_demo_is_one_local_business(
    tmp_path: Path, now: datetime, asked: str, country: str, currency: str, zone: str, region: str
) -> None:
    db = open_database(str(tmp_path / "demo.db"))
    with db.unit_of_work() as session:
        summary = generate_demo(session, customers=200, quotes=400, seed=3, now=now, country=asked)
    assert (summary.country, summary.currency) == (country, currency)
    with db.reading() as session:
        owner = load_settings(session)
        customers = session.execute(select(Customer.country, Customer.region)).all()
        currencies = set(session.execute(select(Quote.currency)).scalars())
    db.close()
    assert (owner.default_country, owner.currency) == (country, currency)
    assert (owner.owner_timezone, owner.owner_region) == (zone, region)
    assert owner.business_name and owner.owner_name and owner.owner_phone
    # Based in one of its own suburbs, with a local cell.
    market = market_of(country)
    assert market is not None
    local = {p.postcode.split()[0] for p in market.places if p.region == region}
    assert any(code in owner.business_address for code in local), owner.business_address
    cell = phonenumbers.parse(owner.owner_phone)
    assert phonenumbers.region_code_for_number(cell) == country
    countries = Counter(c for c, _ in customers)
    assert countries[country] >= 0.97 * len(customers), countries
    regions = Counter(r for c, r in customers if c == country)
    assert regions[region] >= 0.95 * len(customers), regions
    assert currencies == {currency}


def test_the_demo_follows_the_owner_s_country_and_keeps_their_details(
    tmp_path: Path, now: datetime
) -> None:
    db = open_database(str(tmp_path / "demo.db"))
    with db.unit_of_work() as session:
        set_setting(session, "default_country", "NZ")
        set_setting(session, "business_name", "Kauri Coast Carpentry")
        summary = generate_demo(session, customers=30, quotes=60, seed=2, now=now)
    with db.reading() as session:
        owner = load_settings(session)
    db.close()
    assert summary.country == "NZ"
    assert owner.business_name == "Kauri Coast Carpentry"
    assert owner.currency == "NZD" and owner.owner_timezone == "Pacific/Auckland"


def test_a_country_the_demo_does_not_know_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, _out, err = run_in_process(["--db", str(db), "demo", "--country", "FR"])
    assert code == 2 and "--country" in err
    assert market_of("uk") is market_of("GB") is not None


def _owner_entries(path: Path, now: datetime) -> int:
    """What an owner does on their own: a lead by hand and an import. The lead's quote id."""
    db = open_database(str(path))
    with db.unit_of_work() as session:
        lead = add_lead(
            session, NewLead("Priya Raman", phone="0412 777 301", country="AU"), now=now
        )
    db.close()
    csv = path.parent / "contacts.csv"
    csv.write_text("Name,Phone,Email\nMarta Kowalski,0413 555 902,marta@example.com\n")
    code, _out, err = run_in_process(["--db", str(path), "import", str(csv)])
    assert code == 0, err
    return lead.quote_id


def test_remove_takes_every_sample_row_and_leaves_the_owner_s_own(
    tmp_path: Path, now: datetime
) -> None:
    (tmp_path / "own").mkdir()
    only_own = tmp_path / "own" / "own.db"
    _owner_entries(only_own, now)
    path = tmp_path / "biz.db"
    code, _out, err = run_in_process(
        ["--db", str(path), "demo", "--customers", "200", "--quotes", "300", "--country", "AU"]
    )
    assert code == 0, err
    sample = _counts(path)
    assert sample["consent_event"] > 0 and sample["cadence_run"] > 0
    db = open_database(str(path), create=False)
    with db.unit_of_work() as session:
        # A sample person marked do-not-contact, erased meanwhile: a suppression entry.
        dnc = session.scalars(select(Customer).where(Customer.do_not_contact)).first()
        assert dnc is not None and dnc.phone_cell is not None
        dnc_phone = dnc.phone_cell
        erase_customer(session, dnc.id, now=now)
    db.close()
    lead_quote = _owner_entries(path, now)
    assert _counts(path)["suppression"] >= 1

    code, out, err = run_in_process(["--db", str(path), "demo", "--remove"])
    assert code == 0, err
    assert "199 customers" in out and "Your own entries stay" in out

    # Table by table, what is left is what the owner's entries make on their own.
    assert _counts(path) == _counts(only_own)
    assert _counts(path)["customer"] == 2
    db = open_database(str(path), create=False)
    with db.reading() as session:
        names = set(session.scalars(select(Customer.display_name)))
        quote = session.scalars(select(Quote)).one()
        hashes = {
            h
            for row in session.scalars(select(Suppression))
            for h in (row.email_hash, row.phone_hash)
        }
        owner = load_settings(session)
    db.close()
    assert names == {"Priya Raman", "Marta Kowalski"}
    assert quote.id == lead_quote
    assert suppression_hash(dnc_phone) not in hashes
    assert owner.business_name == ""  # the demo's owner went with its business
    code, out, _err = run_in_process(["--db", str(path), "demo", "--remove"])
    assert code == 0 and "no sample data" in out


def test_an_owner_who_started_with_sample_data_is_welcomed_again_once_it_is_gone(
    tmp_path: Path, now: datetime
) -> None:
    from deckfollow.core.settings import get_setting
    from deckfollow.demo.sample import remove_sample_data

    db = open_database(str(tmp_path / "demo.db"))
    with db.unit_of_work() as session:
        set_setting(session, "ui.welcome_done", "sample")
        generate_demo(session, customers=20, quotes=30, seed=4, now=now, country="US")
    with db.unit_of_work() as session:
        removed = remove_sample_data(session, now=now)
    with db.reading() as session:
        assert removed.customers == 20 and removed.settings == 8
        assert get_setting(session, "ui.welcome_done") is None
        assert load_settings(session).business_name == ""
    db.close()


def test_a_sample_number_that_is_a_do_not_contact_person_s_is_drawn_again(
    tmp_path: Path, now: datetime
) -> None:
    # The demo the seed makes on an empty database: its first customers' numbers.
    first = open_database(str(tmp_path / "first.db"))
    with first.unit_of_work() as session:
        generate_demo(session, customers=12, quotes=12, seed=5, now=now, country="AU")
    with first.reading() as session:
        sample = session.scalars(select(Customer).order_by(Customer.id)).all()
        taken_cell = next(c.phone_cell for c in sample if c.phone_cell)
        taken_email = next(c.email for c in sample if c.email)
    first.close()
    # The owner's own customer, who has that number and address and said stop.
    db = open_database(str(tmp_path / "own.db"))
    with db.unit_of_work() as session:
        own = add_customer(
            session,
            NewCustomer(name="Noel Hart", phone=taken_cell, email=taken_email, country="AU"),
            now=now,
        ).customer_id
        revoke_consent(session, own, None, source="call", words="Please stop", now=now)
    with db.unit_of_work() as session:
        summary = generate_demo(session, customers=12, quotes=12, seed=5, now=now, country="AU")
    with db.reading() as session:
        holders = session.scalars(
            select(Customer).where(
                (Customer.phone_cell == taken_cell) | (Customer.email == taken_email)
            )
        ).all()
        count = len(session.scalars(select(Customer.id)).all())
    db.close()
    assert summary.customers == 12 and count == 13
    # The one who said stop is still the only holder, still not to be contacted.
    assert [(c.id, c.do_not_contact) for c in holders] == [(own, True)]
