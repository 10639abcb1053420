"""Realistic, deterministic demo data: a trade business's customers, quotes and follow-ups.

The same seed and `now` always give the same database. The business is made in memory,
one customer's story at a time, by the modules beside this one (people, quote making, a
quote's story, consent history, plans played forward, follow-ups by hand), and then
entered through the core as an owner would have entered it, each step given the moment
it happened:

- the customers, oldest first, through `core.customer_batch.add_customers` (the steps of
  the new-customer service), with how they like to be reached through
  `set_contact_preferences` (`customers_added`);
- every "yes" through `core.consent_ledger.grant_channels` (`grants`);
- the plans with their steps through `core.cadence_batch` (the batch form of
  `start_cadence` and `complete_step`: each step placed by the customer's stored rules),
  played as each story is told, once the customers are in;
- every quote through `core.quote_batch` (the batch form of `add_lead`, `edit_quote`,
  `change_stage` and `close_quote`), in the order it happened, before the stories are
  told: each enquiry with its first reply, the figures when it went out, its moves and
  its close, a parked quote's revisit (`quotes_entered`);
- every touch through `log_touch` (`touches_logged`): what customers said before the
  plans go in, what the owner did after;
- in time order (`in_time_order`), before the owner's touches: enquiries still waiting
  for a first reply through `add_lead`, next contacts customers agreed to through
  `agree_follow_up`, next contacts the owner planned by hand through
  `schedule_follow_up`, and every "no" (to one channel, or to everything) through
  `revoke_consent`.

The rules of permission hold by
construction (a test runs `core.followups.audit_rules` over the result):

- a do-not-contact customer has nothing pending, their plans are stopped and their open
  quote is closed;
- a revoked channel carries no pending follow-up;
- planned calls and texts sit inside the customer's allowed hours, and no customer's
  seven days hold more planned touches than the cap, nor two lie within a day;
- follow-up plans are played forward by the core's batch of plan runs, so every step
  lands where the app would have put it:
  around agreed follow-ups, inside allowed hours, under the cap. Steps already past are
  done, each with the touch that did it; a customer's reply pauses their plan.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.customer_batch import BlockedContacts
from deckfollow.core.enums import (
    CadenceRunStatus,
    FollowUpStatus,
    Stage,
)
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import (
    FollowUp,
    Quote,
)
from deckfollow.core.settings import get_setting, save_owner_settings
from deckfollow.core.timezones import found_country
from deckfollow.demo.by_hand import HandFollowUps
from deckfollow.demo.consent_history import ConsentHistory
from deckfollow.demo.customers_added import enter_customers
from deckfollow.demo.grants import enter_grants
from deckfollow.demo.in_time_order import enter_in_time_order
from deckfollow.demo.local_people import People
from deckfollow.demo.markets import COUNTRY_CHOICES, Market, market_of
from deckfollow.demo.new_leads import is_waiting, take_waiting_leads
from deckfollow.demo.plan_playback import PlanPlayback
from deckfollow.demo.quote_making import QuoteMaker
from deckfollow.demo.quote_story import QuoteStory
from deckfollow.demo.quotes_entered import enter_quotes, following_up
from deckfollow.demo.refusals import closings, refusals
from deckfollow.demo.sample import record_sample
from deckfollow.demo.touches_logged import TouchLog
from deckfollow.demo.workbench import Workbench


@dataclass
class DemoSummary:
    """What `generate_demo` wrote."""

    customers: int = 0
    quotes: int = 0
    touches: int = 0
    follow_ups: int = 0  # every follow-up row: pending, done, skipped and cancelled
    pending_follow_ups: int = 0
    consent_events: int = 0
    plans: int = 0  # follow-up plan runs
    plans_by_status: dict[CadenceRunStatus, int] = field(default_factory=dict)
    by_stage: dict[Stage, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)
    country: str = ""
    currency: str = ""


def demo_market(session: Session, country: str | None = None) -> Market:
    """The country the demo business is based in: the one asked for, else the owner's
    (from the settings, else this computer's), else Australia."""
    if country is not None:
        market = market_of(country)
        if market is None:
            choices = ", ".join(c for c in COUNTRY_CHOICES if c != "GB")
            raise ValidationError("--country", f"{country!r} is not one of {choices}")
        return market
    stored = get_setting(session, "default_country")
    for code in (stored, None if stored else found_country()):
        market = market_of(code) if code else None
        if market is not None:
            return market
    market = market_of("AU")
    assert market is not None
    return market


def _owner_settings(session: Session, home: Market) -> dict[str, str]:
    """Give the demo business its owner, consistent with its country; what it wrote.

    An owner who already chose this country keeps the details they entered; a demo of
    another country replaces them all, since a Balmain address in a Texas business is
    not a business."""
    same_country = get_setting(session, "default_country") == home.country
    written: dict[str, str] = {}
    for key, value in home.owner:
        if not (same_country and get_setting(session, key)):
            written[key] = value
    # Stored as the owner's own would be (the same checks and forms as Settings).
    save_owner_settings(session, written)
    return {key: get_setting(session, key) or "" for key in written}


def generate_demo(
    session: Session,
    *,
    customers: int,
    quotes: int,
    seed: int,
    now: datetime,
    country: str | None = None,
) -> DemoSummary:
    """Fill the database with a believable business; the caller owns the transaction."""
    if customers < 1:
        raise ValidationError("--customers", "make at least one customer")
    if quotes < 0:
        raise ValidationError("--quotes", "the number of quotes cannot be negative")
    home = demo_market(session, country)
    rng = random.Random(seed)
    # What the business had before: the summary counts what the demo added.
    had = (
        _count(session, FollowUp.id),
        _count(session, FollowUp.id, FollowUp.status == FollowUpStatus.PENDING),
    )
    written = _owner_settings(session, home)
    seed_builtin_cadences(session)  # the plans the demo runs are the app's own
    wb = Workbench(session, rng, now, customers, home)
    maker = People(wb)
    people = [maker.person() for _ in range(customers)]
    # A sample number that happens to be a do-not-contact person's is drawn again.
    maker.clear_of(people, BlockedContacts(session))
    if quotes >= customers:
        owners = list(range(customers)) + [
            rng.randrange(customers) for _ in range(quotes - customers)
        ]
    else:
        owners = rng.sample(range(customers), quotes)
    per_person: dict[int, int] = {}
    for idx in owners:
        per_person[idx] = per_person.get(idx, 0) + 1
    quote_maker = QuoteMaker(wb)
    for idx, person in enumerate(people):
        quote_maker.quotes_for(person, per_person.get(idx, 0))

    # Enquiries nobody has answered yet are entered as the owner enters a lead, below.
    waiting = take_waiting_leads(wb, people)

    # Quote numbers run in the order the enquiries came in, as a business numbers them.
    number = _next_quote_number(session)
    # (A quote is numbered when it is made: an enquiry not yet quoted has no number.)
    made = (r for r in wb.quotes if r["sent_at"] is not None)
    for row in sorted(made, key=lambda r: (r["received_at"], r["id"])):
        number += 1
        row["number"] = f"Q-{row['received_at'].year}-{number:05d}"

    # Everyone is added before their stories are told: the core places each plan step by
    # the customer's own rules, read from what it stored.
    preferences = enter_customers(session, wb, people)
    # Every quote as the owner entered it, so what is planned later keeps clear of the
    # first replies and revisits the core planned for them.
    enter_quotes(session, wb, people)
    wb.start_plans(session)
    wb.book.read(p.id for p in people)
    consent = ConsentHistory(wb)
    playback = PlanPlayback(wb, consent)
    stories = QuoteStory(wb, consent, HandFollowUps(wb, consent), playback)
    for person in people:
        consent.history(person)
        for closing in closings(person):
            # From that moment the plans keep off it, as after `revoke_consent`.
            wb.book.closed(
                person.id,
                closing.channel,
                now=closing.at,
                source=closing.source,
                words=closing.words,
            )
        for q in person.quotes:
            if not is_waiting(q):
                stories.story(person, q)
        stories.birthday_plan(person)
        if person.dnc_at is not None:
            consent.record_dnc(person)

    granted = enter_grants(session, people)
    following_up(session, wb)
    touches = TouchLog(session, wb)
    touches.replies()
    wb.book.write()
    said = enter_in_time_order(session, waiting, wb.agreements, wb.hand_plans, refusals(people))
    touches.contacts()
    dnc_contacts = [
        contact
        for p in people
        if p.dnc_at is not None
        for contact in (p.row[k] for k in ("email", "phone_cell", "phone_office", "phone_home"))
        if contact
    ]
    record_sample(session, [r["id"] for r in wb.customers], written, dnc_contacts)
    summary = DemoSummary(
        country=home.country,
        currency=home.currency,
        customers=len(people),
        quotes=len(wb.quotes) + said.leads,
        touches=len(wb.touches),
        follow_ups=_count(session, FollowUp.id) - had[0],
        pending_follow_ups=_count(session, FollowUp.id, FollowUp.status == FollowUpStatus.PENDING)
        - had[1],
        consent_events=preferences + granted + said.agreed + said.refusals,
        plans=len(wb.runs),
    )
    for run in wb.runs:
        summary.plans_by_status[run["status"]] = summary.plans_by_status.get(run["status"], 0) + 1
    for row in wb.quotes:
        summary.by_stage[row["stage"]] = summary.by_stage.get(row["stage"], 0) + 1
    if said.leads:
        summary.by_stage[Stage.LEAD] = summary.by_stage.get(Stage.LEAD, 0) + said.leads
    for person in people:
        country = person.market.country
        summary.by_country[country] = summary.by_country.get(country, 0) + 1
    return summary


def _count(session: Session, column: Any, *where: Any) -> int:
    return int(session.execute(select(func.count(column)).where(*where)).scalar_one())


def _next_quote_number(session: Session) -> int:
    count = session.execute(select(func.count(Quote.id))).scalar_one()
    return 1000 + int(count)


def stage_counts_text(summary: DemoSummary, order: Sequence[Stage] = tuple(Stage)) -> str:
    """ "lead 120, quoted 210, …" for the command's report."""
    return ", ".join(f"{s.label.lower()} {summary.by_stage.get(s, 0)}" for s in order)


def plans_text(summary: DemoSummary) -> str:
    """ "312 running, 40 paused, …" for the command's report."""
    return ", ".join(
        f"{n} {status.value}"
        for status in CadenceRunStatus
        if (n := summary.plans_by_status.get(status, 0))
    )
