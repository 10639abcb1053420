"""Customers with postal addresses and card follow-ups, made through the core services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from deckfollow.core.enums import Channel, ConsentChannel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database


@dataclass(frozen=True)
class Person:
    name: str
    street: str | None
    suburb: str
    postcode: str
    job: str
    days: float  # when the card is due, from now
    reason: str = "Handwritten thank-you for the chance to quote"


PEOPLE = (
    Person("Renée Müller", "4/17 Wattle Street", "Paddington", "2021", "Hardwood deck", 1),
    Person("Łukasz Nowak", "88 Ocean Road", "Bondi", "2026", "Pergola", 2, "Happy birthday card"),
    Person("Iñaki Peña", "3 Fig Tree Lane", "Glebe", "2037", "Balcony rails", 3),
    Person("Zoë Brown", None, "Newtown", "2042", "Garden steps", 1),  # no postal address
    Person("Olly Far", "1 Distant Way", "Manly", "2095", "Fence", 20),  # not due this week
)


def owner(session: Session) -> None:
    save_setting(session, "business_name", "Carpenter Decks")
    save_setting(session, "owner_name", "Sam Carpenter")
    save_setting(session, "owner_phone", "+61412555019")
    save_setting(session, "business_address", "12 Timber Lane, Marrickville NSW 2204")
    save_setting(session, "default_country", "AU")
    save_setting(session, "owner_timezone", "Australia/Sydney")


def add_person(session: Session, p: Person, now: datetime) -> tuple[int, int, int]:
    """customer id, quote id, card follow-up id"""
    from deckfollow.core.models import FollowUp

    created = add_lead(
        session,
        NewLead(
            p.name,
            phone=None,
            email=None,
            job=p.job,
            country="AU",
            timezone="Australia/Sydney",
            answered=True,
        ),
        now=now,
    )
    c = session.get(Customer, created.customer_id)
    assert c is not None
    c.street = p.street
    c.suburb = p.suburb
    c.region = "NSW"
    c.postcode = p.postcode
    q = session.get(Quote, created.quote_id)
    assert q is not None
    q.amount = Decimal("12480.00")
    q.currency = "AUD"
    q.number = f"Q-{created.quote_id:04d}"
    fu = schedule_follow_up(
        session,
        created.customer_id,
        created.quote_id,
        FollowUpPlan(now + timedelta(days=p.days), Channel.CARD, p.reason),
        now=now,
    )
    assert isinstance(fu, FollowUp)
    return created.customer_id, created.quote_id, fu.id


def seed(db: Database, now: datetime, *, revoke: str | None = "Iñaki Peña") -> dict[str, int]:
    """Every person in PEOPLE; `revoke` revokes post for that one. Returns name -> customer id."""
    from deckfollow.core.consent import revoke_consent

    ids: dict[str, int] = {}
    with db.unit_of_work() as session:
        owner(session)
        for p in PEOPLE:
            ids[p.name] = add_person(session, p, now)[0]
        if revoke:
            revoke_consent(
                session,
                ids[revoke],
                ConsentChannel.POST,
                source="phone call",
                words="Please don't send me mail",
                now=now,
            )
    return ids
