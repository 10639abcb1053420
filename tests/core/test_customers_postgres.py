"""Finding, editing and merging customers on a real PostgreSQL server (team mode)."""

from __future__ import annotations

from datetime import datetime

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.customer_matches import DuplicateCustomerError
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.customer_search import CustomerSort, count_matching, search_customers
from deckfollow.core.customers import (
    NewCustomer,
    add_customer,
    customer_details,
    update_customer,
)
from deckfollow.core.errors import ConcurrentEditError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.database import Database


def test_search_ignores_case_and_reads_phones_any_way_on_postgres(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        mia = add_customer(
            s, NewCustomer(name="Mia Chen", phone="0412 345 679", suburb="Balmain"), now=now
        ).customer_id
        add_customer(s, NewCustomer(name="Tom Reid", company="Reid Joinery"), now=now)
        add_lead(s, NewLead(name="Ann Lee", phone="0400 111 222", job="Deck"), now=now)
        add_customer(s, NewCustomer(name="Łukasz Nowak"), now=now)
    with pg.reading() as s:
        for typed in ("MIA", "balMAIN", "0412 345 679", "+61412345679", "412345679"):
            assert [r.id for r in search_customers(s, typed)] == [mia], typed
        assert count_matching(s, "reid") == 1
        top = search_customers(s, sort=CustomerSort.OPEN_QUOTES, descending=True, limit=2)
        assert top[0].name == "Ann Lee" and top[0].open_quotes == 1
        assert [r.name for r in search_customers(s, limit=2, offset=1)] == [
            "Łukasz Nowak",  # with the L's, not after "Tom"
            "Mia Chen",
        ]
        with pytest.raises(DuplicateCustomerError):
            add_customer(s, NewCustomer(name="M", phone="+61 412 345 679"), now=now)


def test_an_edit_and_a_merge_on_postgres(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        a = add_lead(s, NewLead(name="Mia Chen", phone="0412 345 679", job="Deck"), now=now)
        b = add_lead(s, NewLead(name="Mia C", email="mia@example.com", job="Pergola"), now=now)
        revoke_consent(s, b.customer_id, None, source="phone call", words="stop", now=now)
    with pg.reading() as s:
        opened = customer_details(s, a.customer_id)
    with pg.unit_of_work() as s:
        update_customer(s, a.customer_id, {"suburb": "Balmain"}, now=now)
    with pytest.raises(ConcurrentEditError), pg.unit_of_work() as s:
        update_customer(
            s,
            a.customer_id,
            {"suburb": "Glebe"},
            now=now,
            version=opened.version,
            before={"suburb": ""},
        )
    with pg.unit_of_work() as s:
        result = merge_customers(s, a.customer_id, b.customer_id, now=now)
    assert result.quotes == 1 and result.do_not_contact
    with pg.reading() as s:
        d = customer_details(s, a.customer_id)
    assert (d.suburb, d.email, d.do_not_contact, len(d.quotes)) == (
        "Balmain",
        "mia@example.com",
        True,
        2,
    )
