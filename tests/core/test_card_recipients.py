"""Who a card is for, found as the owner types: name, suburb, phone or email, with enough
beside each to tell two people of the same name apart."""

from __future__ import annotations

from datetime import datetime

from deckfollow.core.card_recipients import search_recipients
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.storage.database import Database


def _add(
    db: Database, now: datetime, name: str, suburb: str, phone: str, email: str, job: str
) -> int:
    with db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead(name, job=job, country="AU", timezone="Australia/Sydney"), now=now
        )
        c = s.get(Customer, lead.customer_id)
        assert c is not None
        c.suburb, c.phone_cell, c.email, c.street = suburb, phone, email, "1 Some St"
        q = s.get(Quote, lead.quote_id)
        assert q is not None
        return lead.customer_id


def _two_aaliyahs(db: Database, now: datetime) -> tuple[int, int]:
    a = _add(db, now, "Aaliyah Johnson", "Bondi", "+61 412 555 019", "aj@example.com", "Deck")
    b = _add(db, now, "Aaliyah Johnson", "Glebe", "+61 400 111 222", "aaliyah@mail.net", "Pergola")
    _add(db, now, "Ben Ng", "Manly", "+61 433 999 888", "ben@example.org", "Fence")
    return a, b


def test_the_same_name_twice_is_told_apart(db, now):
    a, b = _two_aaliyahs(db, now)
    with db.reading() as s:
        found = search_recipients(s, "aaliyah")
    assert [m.customer_id for m in found.matches] == [a, b]
    hints = [m.hint for m in found.matches]
    assert hints[0] != hints[1]
    assert hints[0].startswith("Bondi · …5019 · last quote: Deck, ")
    assert hints[1].startswith("Glebe · …1222 · last quote: Pergola, ")


def test_search_by_suburb_phone_digits_email_and_several_words(db, now):
    a, b = _two_aaliyahs(db, now)
    with db.reading() as s:
        assert [m.customer_id for m in search_recipients(s, "glebe").matches] == [b]
        assert [m.customer_id for m in search_recipients(s, "0412 555").matches] == [a]
        assert [m.customer_id for m in search_recipients(s, "412 555").matches] == [a]
        assert [m.customer_id for m in search_recipients(s, "(04) 00-111").matches] == [b]
        assert [m.customer_id for m in search_recipients(s, "mail.net").matches] == [b]
        assert [m.customer_id for m in search_recipients(s, "johnson bondi").matches] == [a]
        assert search_recipients(s, "100%").matches == []  # typed wildcards match themselves


def test_a_long_list_says_how_many_more_there_are(db, now):
    _two_aaliyahs(db, now)
    with db.reading() as s:
        found = search_recipients(s, "", limit=2)
    assert len(found.matches) == 2 and found.total == 3
