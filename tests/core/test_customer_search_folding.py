"""Finding customers typed without accents or capitals, however they were added or changed,
on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from deckfollow.core.customer_matches import DuplicateCustomerError, find_matches
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.customer_search import count_matching, search_customers
from deckfollow.core.customers import NewCustomer, add_customer, update_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import SEARCHED_FIELDS, Customer
from deckfollow.core.settings import save_setting
from deckfollow.core.text_folding import folded_key
from deckfollow.demo.generator import generate_demo
from deckfollow.exchange.csv_import import import_table
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database
from tests.exchange.import_helpers import csv_bytes


def _owner(db: Database) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")


def _names(db: Database, typed: str) -> set[str]:
    with db.reading() as s:
        return {r.name for r in search_customers(s, typed)}


def _add_every_way(db: Database, now: datetime) -> None:
    """One customer through each way a name, company, email or address is written."""
    _owner(db)
    with db.unit_of_work() as s:
        # A new customer, a new lead.
        add_customer(s, NewCustomer(name="Zoë Müller", suburb="Newtown"), now=now)
        add_lead(s, NewLead(name="Nguyễn Văn An", phone="0412 345 001", job="Deck"), now=now)
        # The customer details edited.
        ann = add_lead(s, NewLead(name="Ann Lee", phone="0412 345 002"), now=now).customer_id
        update_customer(s, ann, {"company": "Ørsted Electrical"}, now=now)
        # A second enquiry from a known customer brings the email they lacked.
        add_lead(
            s, NewLead(name="Ann Lee", email="ann@lee-family.example", customer_id=ann), now=now
        )
        # A merge gives the kept record the address only the other one had.
        keep = add_lead(s, NewLead(name="Bo Chen", phone="0412 345 003"), now=now).customer_id
        other = add_customer(
            s, NewCustomer(name="Bo C", street="1 İstiklal Caddesi", suburb="İstanbul"), now=now
        ).customer_id
        merge_customers(s, keep, other, now=now)
        # Someone in the file who lacks a suburb, which the import fills in.
        add_lead(s, NewLead(name="Per Ek", email="per@ek.example"), now=now)
    table = read_csv(
        csv_bytes(
            ["Name", "Email", "Suburb", "Do not contact"],
            [
                ["Łukasz Wróbel", "lukasz@wrobel.example", "Kraków", ""],  # many at once
                ["Siobhán Ní Bhriain", "siobhan@example.ie", "", "yes"],  # one with a stop
                ["Per Ek", "per@ek.example", "Malmö", ""],  # fills Per's suburb
            ],
        )
    )
    with db.unit_of_work() as s:
        import_table(s, table, now=now)


def _check_found(db: Database) -> None:
    assert _names(db, "zoe") == {"Zoë Müller"}
    assert _names(db, "ZOE MULLER newtown") == {"Zoë Müller"}
    assert _names(db, "nguyen van") == {"Nguyễn Văn An"}
    assert _names(db, "orsted") == {"Ann Lee"}
    assert _names(db, "lee-family") == {"Ann Lee"}
    assert _names(db, "istanbul") == {"Bo Chen"}  # the merged record, not the trashed one
    assert _names(db, "LUKASIEWICZ") == set()
    assert _names(db, "lukasz krakow") == {"Łukasz Wróbel"}
    assert _names(db, "siobhan") == {"Siobhán Ní Bhriain"}
    assert _names(db, "malmo") == {"Per Ek"}
    # The accented spelling still finds them, and so does every capital.
    assert _names(db, "Müller") == {"Zoë Müller"}
    assert _names(db, "ŁUKASZ") == {"Łukasz Wróbel"}
    with db.reading() as s:
        assert count_matching(s, "zoe") == 1
        # Every stored key is what the fields fold to now.
        for row in s.execute(select(Customer.search_key, *_fields())):
            assert row[0] == folded_key(row[1:])


def _fields() -> list[object]:
    return [getattr(Customer, name) for name in SEARCHED_FIELDS]


def _check_duplicates(db: Database, now: datetime) -> None:
    with db.reading() as s:
        same = find_matches(s, name="zoe muller", suburb="NEWTOWN")
        assert [(m.name, m.reasons) for m in same] == [("Zoë Müller", ("name and suburb",))]
        # Parts of a longer name are not the same person.
        assert find_matches(s, name="Zoe Mull", suburb="Newtown") == []
    with pytest.raises(DuplicateCustomerError, match="Zoë Müller"), db.unit_of_work() as s:
        add_customer(s, NewCustomer(name="Zoe Muller", suburb="Newtown"), now=now)


def test_every_way_of_adding_or_changing_a_customer_is_found_plain_on_sqlite(
    db: Database, now: datetime
) -> None:
    _add_every_way(db, now)
    _check_found(db)
    _check_duplicates(db, now)


def test_a_renamed_customer_is_found_by_the_new_name_only(db: Database, now: datetime) -> None:
    _owner(db)
    with db.unit_of_work() as s:
        cid = add_customer(s, NewCustomer(name="Zoe Miller"), now=now).customer_id
    with db.unit_of_work() as s:
        update_customer(s, cid, {"display_name": "Zoë Müller"}, now=now)
    assert _names(db, "muller") == {"Zoë Müller"}
    assert _names(db, "miller") == set()


def test_demo_customers_are_found_by_their_plain_names(db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        generate_demo(s, customers=40, quotes=40, seed=3, now=now, country="AU")
    with db.reading() as s:
        rows = s.execute(select(Customer.search_key, *_fields())).all()
    assert rows and all(r[0] == folded_key(r[1:]) and r[0] for r in rows)


def test_every_way_of_adding_or_changing_a_customer_is_found_plain_on_postgres(
    pg: Database, now: datetime
) -> None:
    _add_every_way(pg, now)
    _check_found(pg)
    _check_duplicates(pg, now)
