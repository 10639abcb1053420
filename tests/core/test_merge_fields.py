"""Merge fields: what a template says about a real customer, quote and agreed follow-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from deckfollow.core.enums import Channel
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.followups import FollowUpPlan, agree_follow_up, agreed_plan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.merge_fields import (
    MERGE_FIELDS,
    MergeContext,
    build_merge_context,
    fields_used,
    format_money,
    reason_phrase,
    render_template,
    sample_context,
)
from deckfollow.core.models import Customer, Quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    with db.unit_of_work() as s:
        created = add_lead(
            s,
            NewLead(
                "Zoë Łukasiewicz",
                phone="+61412000111",
                email="zoe@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Spotted-gum deck with steps",
                answered=True,
            ),
            now=now - timedelta(hours=3),
        )
        q = s.get(Quote, created.quote_id)
        assert q is not None
        q.amount = Decimal("12480.5")
        q.number = "Q-1042"
        c = s.get(Customer, created.customer_id)
        assert c is not None
        c.suburb = "Paddington"
        save_setting(s, "owner_name", "Sam Carpenter")
        save_setting(s, "business_name", "Carpenter Decks")
        save_setting(s, "owner_phone", "+61412555019")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        save_setting(s, "default_country", "AU")
        return created


def _ctx(
    db: Database,
    now: datetime,
    lead: LeadCreated,
    *,
    quote_id: int | None = None,
    follow_up_id: int | None = None,
) -> MergeContext:
    with db.reading() as s:
        return build_merge_context(
            s, customer_id=lead.customer_id, now=now, quote_id=quote_id, follow_up_id=follow_up_id
        )


def test_a_call_script_reads_naturally_for_an_agreed_follow_up(
    db: Database, now: datetime, lead: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        plan = agreed_plan(
            date(2026, 11, 26),
            time(18),
            time(19, 30),
            "Australia/Sydney",
            Channel.CALL,
            "The reason I'm calling is to walk through the quote.",
            "Call me Thursday after six",
        )
        fu = agree_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now, source="phone")
        fu_id = fu.id
    ctx = _ctx(db, now, lead, follow_up_id=fu_id)
    script = (
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. You asked me to call "
        "{agreed_time}. The reason I'm calling is {reason}, quote {quote_number} for "
        "{quote_amount}. My cell is {owner_phone}."
    )
    out = render_template(script, ctx)
    assert out.complete
    assert out.text == (
        "Hi Zoë, it's Sam from Carpenter Decks. You asked me to call Thursday 26 November "
        "between 6 pm and 7:30 pm. The reason I'm calling is to walk through the quote, quote "
        "Q-1042 for $12,480.50. My cell is 0412 555 019."
    )
    # The follow-up's quote is used when none is given.
    assert ctx.quote_id == lead.quote_id
    assert ctx.job == "Spotted-gum deck with steps"
    assert ctx.last_name == "Łukasiewicz"
    assert ctx.suburb == "Paddington"
    assert ctx.value("city") == "Paddington"
    assert ctx.today == "23 November 2026"  # Monday morning in Sydney


def test_missing_values_show_visibly_and_are_listed(
    db: Database, now: datetime, lead: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "owner_phone", "")
    ctx = _ctx(db, now, lead)  # no quote, no follow-up, no company
    out = render_template("Dear {first_name} at {company}: {job}. Call {owner_phone}.", ctx)
    assert out.text == ("Dear Zoë at [company?]: [job?]. Call [your cell number?].")
    assert out.missing == ["company", "job", "owner_phone"]
    assert not out.complete
    assert out.problem() == "no value for: company, job, your cell number"
    # Markers point at the placeholders in the rendered text, for highlighting.
    spans = [out.text[m.start : m.end] for m in out.markers]
    assert spans == ["[company?]", "[job?]", "[your cell number?]"]


def test_unknown_fields_are_reported_and_braces_escape(db: Database, now: datetime) -> None:
    ctx = sample_context()
    out = render_template("{{first_name}} is {First Name}; {favourite_colour} {{ }} {", ctx)
    assert out.text == "{first_name} is Grace; [favourite_colour?] { } {"
    assert out.unknown == ["favourite_colour"]
    assert out.missing == []
    assert out.markers[0].kind == "unknown"
    assert fields_used("{first_name} {city} {first_name} {nope} {{job}}") == [
        "first_name",
        "suburb",
    ]


def test_a_planned_follow_up_has_no_agreed_time_but_the_next_agreed_one_is_used(
    db: Database, now: datetime, lead: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        planned = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(hours=1), Channel.EMAIL, "Send photos of a similar job"),
            now=now,
        )
        planned_id = planned.id
    ctx = _ctx(db, now, lead, follow_up_id=planned_id)
    assert ctx.agreed_time is None
    assert ctx.reason == "to send photos of a similar job"
    assert render_template("{agreed_time}", ctx).text == "[agreed time?]"

    with db.unit_of_work() as s:
        plan = agreed_plan(
            date(2027, 1, 5),
            time(9, 30),
            None,
            "Australia/Sydney",
            Channel.TEXT,
            "Confirm the start date",
            "text me in the new year",
        )
        agree_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now, source="phone")
    ctx = _ctx(db, now, lead, follow_up_id=planned_id)
    # Next year is spelled out; the time is the customer's own wall clock.
    assert ctx.agreed_time == "Tuesday 5 January 2027 at 9:30 am"


def test_us_customers_read_us_dates(db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        created = add_lead(
            s,
            NewLead(
                "José Muñoz",
                phone="+12125550123",
                country="US",
                timezone="America/New_York",
                answered=True,
            ),
            now=now,
        )
        plan = agreed_plan(
            date(2026, 11, 24),
            time(12),
            None,
            "America/New_York",
            Channel.CALL,
            "Check the quote arrived",
            "call at noon Tuesday",
        )
        agree_follow_up(s, created.customer_id, created.quote_id, plan, now=now, source="phone")
        save_setting(s, "default_country", "US")
        save_setting(s, "owner_timezone", "America/New_York")
    with db.reading() as s:
        ctx = build_merge_context(s, customer_id=created.customer_id, now=now)
    assert ctx.agreed_time == "Tuesday, November 24 at noon"
    assert ctx.today == "November 22, 2026"
    assert ctx.first_name == "José"


def test_wrong_ids_are_refused(db: Database, now: datetime, lead: LeadCreated) -> None:
    with db.unit_of_work() as s:
        other = add_lead(s, NewLead("Ada Byron", email="ada@example.com", answered=True), now=now)
    with db.reading() as s:
        with pytest.raises(ValidationError, match="quote"):
            build_merge_context(s, customer_id=lead.customer_id, quote_id=other.quote_id, now=now)
        with pytest.raises(NotFoundError):
            build_merge_context(s, customer_id=999, now=now)
        with pytest.raises(NotFoundError):
            build_merge_context(s, customer_id=lead.customer_id, follow_up_id=999, now=now)


def test_money_is_exact_and_labels_cover_every_field() -> None:
    assert format_money(Decimal("1234567.005"), "AUD") == "$1,234,567.01"
    assert format_money(Decimal("0.1") + Decimal("0.2"), "GBP") == "£0.30"
    assert format_money(Decimal("950"), "CHF") == "CHF 950.00"
    assert set(MERGE_FIELDS) == set(sample_context().values())
    assert all(v is not None for k, v in sample_context().values().items() if k != "company")
    assert reason_phrase("The reason I'm calling is to ask how it's going.") == (
        "to ask how it's going"
    )
    assert reason_phrase("I'm checking in") == "I'm checking in"
    assert reason_phrase("GST changed") == "GST changed"
    assert reason_phrase("Walk through the options.") == "to walk through the options"


def test_an_optional_part_is_left_out_when_a_value_does_not_exist_yet() -> None:
    unpriced = replace(sample_context(), quote_amount=None)
    words = "About the quote for {job}[[ ({quote_amount})]]:"
    out = render_template(words, unpriced)
    # No marker, no empty brackets: the sentence still reads as one a person would say.
    assert out.text == "About the quote for Hardwood deck, 24 m², with steps to the garden:"
    assert out.complete and out.markers == []
    assert out.omitted == ["quote_amount"]
    priced = render_template(words, sample_context())
    assert priced.text.endswith("garden ($12,480.00):") and priced.omitted == []
    # Outside an optional part a missing value is still a visible gap, never a blank.
    plain = render_template("It comes to {quote_amount}.", unpriced)
    assert plain.text == "It comes to [quote amount?]." and plain.missing == ["quote_amount"]
    # A mistyped name inside an optional part is shown, not silently dropped.
    typo = render_template("Hi[[ {frist_name} {quote_amount}]]!", unpriced)
    assert typo.unknown == ["frist_name"] and "[frist_name?]" in typo.text
    # Several parts, multi-line parts, escapes inside, and unmatched brackets as text.
    many = render_template("[[{company}, ]]A[[\n- {first_name} {{x}}\n]]B [[ c ]] ]] [[", unpriced)
    assert many.text == "A\n- Grace {x}\nB  c  ]] [["
    assert many.omitted == ["company"]


def test_a_reason_is_said_to_the_customer() -> None:
    assert reason_phrase("See if the revised carport price works for them") == (
        "to see if the revised carport price works for you"
    )
    assert reason_phrase("Check they received the deck quote and answer questions") == (
        "to check you received the deck quote and answer questions"
    )
    assert reason_phrase("Revisit the pergola: they asked to wait") == (
        "to revisit the pergola: you asked to wait"
    )
    assert reason_phrase("Call back about the carport: book a site visit") == (
        "about the carport, to book a site visit"
    )
    assert reason_phrase("First reply to the deck restoration enquiry") == (
        "to answer your deck restoration enquiry"
    )
    assert reason_phrase("Their deck: they've seen the boards cupping") == (
        "your deck: you've seen the boards cupping"
    )


def test_the_owners_cell_reads_the_local_way_at_home_and_in_full_abroad() -> None:
    from deckfollow.core.contact_info import phone_as_read_in

    assert phone_as_read_in("+61412555019", "AU") == "0412 555 019"
    assert phone_as_read_in("+61412555019", "US") == "+61 412 555 019"
    assert phone_as_read_in("+15125550199", "us") == "(512) 555-0199"
    # A Channel Islands mobile shares the UK's +44 and is dialled the same way there.
    assert phone_as_read_in("+447911123456", "GB") == "07911 123456"
    assert phone_as_read_in("+447911123456", "IE") == "+44 7911 123456"
    assert phone_as_read_in("0412 555 019", "AU") == "0412 555 019", "not E.164: as given"
