"""Where a lead lives: kept as their suburb, it sets the hours they are contacted in, and a
customer the lead is given to keeps the suburb they lacked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deckfollow.core.customer_matches import find_matches
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, FollowUp
from deckfollow.core.settings import save_owner_settings
from deckfollow.storage.database import Database

PERTH = ZoneInfo("Australia/Perth")


@pytest.fixture
def au_owner(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_owner_settings(
            s,
            {
                "default_country": "AU",
                "owner_region": "NSW",
                "owner_timezone": "Australia/Sydney",
            },
        )
    return db


def _customer(db: Database, customer_id: int) -> Customer:
    with db.reading() as s:
        c = s.get(Customer, customer_id)
        assert c is not None
        s.expunge(c)
        return c


def _first_reply(db: Database, quote_id: int) -> FollowUp:
    with db.reading() as s:
        return s.execute(select(FollowUp).where(FollowUp.quote_id == quote_id)).scalar_one()


def test_a_new_lead_keeps_their_suburb_and_is_contacted_in_its_hours(
    au_owner: Database, now: datetime
) -> None:
    # Monday 09:00 in Sydney is 06:00 in Perth: too early to text someone who lives there.
    with au_owner.unit_of_work() as s:
        made = add_lead(s, NewLead("Li Wei", phone="0498 111 222", suburb=" Perth "), now=now)
    c = _customer(au_owner, made.customer_id)
    assert (c.suburb, c.timezone) == ("Perth", "Australia/Perth")
    due = _first_reply(au_owner, made.quote_id).due_at.astimezone(PERTH)
    assert due > now and due.date() == now.astimezone(PERTH).date()
    assert due.hour >= 8
    # Found again by name and suburb, as a customer typed in by hand is.
    with au_owner.reading() as s:
        [match] = find_matches(s, name="li wei", suburb="perth", phone="0400 000 000")
    assert (match.id, match.reasons) == (made.customer_id, ("name and suburb",))


def test_a_customer_given_the_lead_keeps_the_suburb_they_lacked_and_its_zone(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        known = add_customer(s, NewCustomer("Li Wei", phone="0412 345 679"), now=now)
        # An earlier enquiry's first reply, planned in Sydney's hours.
        first = add_lead(s, NewLead("Li Wei", customer_id=known.customer_id), now=now)
    assert _first_reply(au_owner, first.quote_id).due_at == now
    with au_owner.unit_of_work() as s:
        again = add_lead(
            s, NewLead("Li Wei", suburb="Perth", customer_id=known.customer_id), now=now
        )
    assert again.customer_id == known.customer_id
    c = _customer(au_owner, known.customer_id)
    assert (c.suburb, c.timezone) == ("Perth", "Australia/Perth")
    # The reply still waiting moved into the hours where they live.
    assert _first_reply(au_owner, first.quote_id).due_at.astimezone(PERTH).hour >= 8


def test_a_suburb_already_kept_and_a_zone_set_by_hand_stay(
    au_owner: Database, now: datetime
) -> None:
    with au_owner.unit_of_work() as s:
        glebe = add_customer(s, NewCustomer("Li Wei", suburb="Glebe"), now=now).customer_id
        ann = add_customer(s, NewCustomer("Ann Lee"), now=now).customer_id
        by_hand = s.get(Customer, ann)
        assert by_hand is not None
        by_hand.timezone = "Australia/Brisbane"
    with au_owner.unit_of_work() as s:
        add_lead(s, NewLead("Li Wei", suburb="Perth", customer_id=glebe), now=now)
        add_lead(s, NewLead("Ann Lee", suburb="Perth", customer_id=ann), now=now)
    assert _customer(au_owner, glebe).suburb == "Glebe"
    kept = _customer(au_owner, ann)
    assert (kept.suburb, kept.timezone) == ("Perth", "Australia/Brisbane")
