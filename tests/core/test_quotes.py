"""Entering quotes: exact amounts, the number sequence, edits that clash, moves that ask."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from deckfollow.core.changes import Changes
from deckfollow.core.enums import CadenceRunStatus, Channel, Direction, Outcome, Stage
from deckfollow.core.errors import ConcurrentEditError, NotFoundError, ValidationError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import CadenceRun, Customer, FollowUp, Quote
from deckfollow.core.quotes import (
    NewQuote,
    QuoteEdit,
    change_stage,
    create_quote,
    edit_quote,
    list_quotes,
    next_quote_number,
    parse_amount,
    quote_details,
    quote_form,
    start_after_sale,
)
from deckfollow.core.settings import save_setting
from deckfollow.core.touches import AlreadyPlanned, TouchRecord, log_touch
from deckfollow.storage.database import Database
from tests.examples import examples


@pytest.fixture
def customer_id(db: Database, now: datetime) -> int:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        lead = add_lead(
            s,
            NewLead("Grace Hopper", phone="0412 345 679", country="AU", note="Hardwood deck"),
            now=now - timedelta(hours=2),
        )
        return lead.customer_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4850", "4850.00"),
        ("4,850.00", "4850.00"),
        ("$4 850.50", "4850.50"),
        ("A$12,480.5", "12480.50"),
        ("AUD 999.99", "999.99"),
        ("0.10", "0.10"),
        ("1,234,567.89", "1234567.89"),
    ],
)
def test_an_amount_is_read_forgivingly_and_kept_exact(text: str, expected: str):
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert str(value) == expected


@settings(max_examples=examples(200), deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=99_999_999_999),
    style=st.sampled_from(["{:.2f}", "{:,.2f}", "${:,.2f}", "A$ {:.2f}", "{:,.2f} AUD"]),
)
def test_every_amount_written_any_usual_way_reads_back_to_the_cent(cents: int, style: str):
    amount = Decimal(cents) / 100
    assert parse_amount(style.format(amount)) == amount
    # The thousands may also be set off by spaces, as many people write them.
    assert parse_amount(style.format(amount).replace(",", " ")) == amount


@pytest.mark.parametrize("text", ["12,3x", "12,3", "4.8.5", "-50", "12.345", "", "$", "1e5"])
def test_a_bad_amount_is_refused_naming_the_field(text: str):
    with pytest.raises(ValidationError) as err:
        parse_amount(text)
    assert err.value.field == "amount"
    assert str(err.value).startswith("amount: ")


def test_an_amount_survives_the_database_to_the_cent(db: Database, customer_id: int, now):
    # 0.1 + 0.2 is not 0.3 in floats; a quote of 1234567.89 must come back exactly.
    with db.unit_of_work() as s:
        saved = create_quote(
            s, NewQuote(customer_id, fields=QuoteEdit(amount=Decimal("1234567.89"))), now=now
        )
    with db.reading() as s:
        assert quote_details(s, saved.quote_id).amount == Decimal("1234567.89")
        assert quote_details(s, saved.quote_id).as_json()["amount"] == "1234567.89"


def test_a_quote_for_a_customer_answers_their_waiting_enquiry(db: Database, customer_id, now):
    with db.unit_of_work() as s:
        saved = create_quote(
            s,
            NewQuote(customer_id, fields=QuoteEdit(amount=Decimal("4850"), currency="AUD")),
            now=now,
        )
    with db.reading() as s:
        quotes = s.execute(select(Quote).where(Quote.customer_id == customer_id)).scalars().all()
        assert len(quotes) == 1  # the lead became the quote, not a second card
        assert quotes[0].id == saved.quote_id
        assert quotes[0].job == "Hardwood deck"
        assert quotes[0].number == "Q-0001"
        assert quotes[0].stage is Stage.LEAD  # not sent yet


def test_a_customer_may_have_several_quotes_numbered_in_sequence(db: Database, customer_id, now):
    numbers = []
    with db.unit_of_work() as s:
        for job in ("Deck", "Pergola", "Screen"):
            saved = create_quote(
                s,
                NewQuote(customer_id, fields=QuoteEdit(job=job, amount=Decimal(100))),
                now=now,
            )
            numbers.append(quote_details(s, saved.quote_id).number)
    assert numbers == ["Q-0001", "Q-0002", "Q-0003"]


def test_the_number_follows_the_business_sequence_and_is_never_reused(
    db: Database, customer_id, now
):
    with db.unit_of_work() as s:
        create_quote(s, NewQuote(customer_id, fields=QuoteEdit(number="Q-2026-0041")), now=now)
        assert next_quote_number(s) == "Q-2026-0042"
        with pytest.raises(ValidationError, match=r"number: Q-2026-0041 is already"):
            create_quote(
                s, NewQuote(customer_id, fields=QuoteEdit(number=" Q-2026-0041 ")), now=now
            )


def test_a_new_customer_and_their_quote_are_added_together(db: Database, now):
    with db.unit_of_work() as s:
        saved = create_quote(
            s,
            NewQuote(
                new_customer=NewLead("Ada Lovelace", email="ada@example.com", country="AU"),
                fields=QuoteEdit(
                    job="Deck oiling", amount=Decimal("880"), sent_on=date(2026, 11, 20)
                ),
            ),
            now=now,
        )
    with db.reading() as s:
        d = quote_details(s, saved.quote_id)
        assert (d.customer, d.stage, d.sent_on) == (
            "Ada Lovelace",
            Stage.QUOTED,
            date(2026, 11, 20),
        )
        # Entering their quote was the reply: no first reply waits for them on Today.
        waiting = select(FollowUp).where(FollowUp.customer_id == d.customer_id)
        assert s.execute(waiting).first() is None


def test_a_bad_field_for_a_new_customer_adds_no_one(db: Database, now):
    with pytest.raises(ValidationError, match="competing quotes"), db.unit_of_work() as s:
        create_quote(
            s,
            NewQuote(new_customer=NewLead("Ada"), fields=QuoteEdit(competing_quotes=21)),
            now=now,
        )
    with db.reading() as s:
        assert s.execute(select(Customer)).first() is None


def test_valid_until_cannot_be_before_the_sent_date(db: Database, customer_id, now):
    with pytest.raises(ValidationError, match="valid until"), db.unit_of_work() as s:
        create_quote(
            s,
            NewQuote(
                customer_id,
                fields=QuoteEdit(sent_on=date(2026, 11, 20), valid_until=date(2026, 11, 19)),
            ),
            now=now,
        )


def test_an_edit_from_an_older_version_is_refused_and_nothing_is_written(
    db: Database, customer_id, now
):
    with db.unit_of_work() as s:
        saved = create_quote(
            s, NewQuote(customer_id, fields=QuoteEdit(amount=Decimal(100))), now=now
        )
    with db.reading() as s:
        opened = quote_details(s, saved.quote_id).version
    with db.unit_of_work() as s:  # someone else saves first
        edit_quote(s, saved.quote_id, QuoteEdit(amount=Decimal(200)), version=opened, now=now)
    with pytest.raises(ConcurrentEditError, match="was changed by"), db.unit_of_work() as s:
        edit_quote(s, saved.quote_id, QuoteEdit(amount=Decimal(300)), version=opened, now=now)
    with db.reading() as s:
        assert quote_details(s, saved.quote_id).amount == Decimal("200.00")


def test_moving_to_quoted_says_what_is_missing(db: Database, customer_id, now):
    with db.reading() as s:
        lead_id = list_quotes(s)[0].id
    with db.unit_of_work() as s:
        moved = change_stage(s, lead_id, Stage.QUOTED, now=now)
    assert moved.missing == ("amount", "sent date")
    with db.unit_of_work() as s:
        filled = change_stage(
            s,
            lead_id,
            Stage.QUOTED,
            now=now,
            fill=QuoteEdit(amount=parse_amount("4,850"), sent_on=date(2026, 11, 23)),
        )
    assert filled.missing == ()
    with db.reading() as s:
        d = quote_details(s, lead_id)
        assert (d.amount, d.sent_on, d.stage) == (
            Decimal("4850.00"),
            date(2026, 11, 23),
            Stage.QUOTED,
        )


def test_a_sent_date_in_the_future_is_refused(db: Database, customer_id, now):
    # Now is Monday 23 Nov 09:00 in Sydney; the 24th has not happened.
    with pytest.raises(ValidationError, match="sent"), db.unit_of_work() as s:
        create_quote(
            s, NewQuote(customer_id, fields=QuoteEdit(sent_on=date(2026, 11, 24))), now=now
        )


def test_won_starts_the_after_sale_plan_once(db: Database, customer_id, now):
    with db.reading() as s:
        lead_id = list_quotes(s)[0].id
    with db.unit_of_work() as s:
        won = change_stage(s, lead_id, Stage.WON, now=now, after_sale=True)
    assert won.after_sale_started
    with db.unit_of_work() as s:  # the log-outcome screen asking again starts nothing more
        assert start_after_sale(s, lead_id, now=now) == Changes()
    with db.reading() as s:
        runs = s.execute(select(CadenceRun).where(CadenceRun.quote_id == lead_id)).scalars().all()
        assert [r.status for r in runs] == [CadenceRunStatus.ACTIVE]


def test_lost_needs_a_reason_and_an_unknown_quote_is_named(db: Database, customer_id, now):
    with db.reading() as s:
        lead_id = list_quotes(s)[0].id
    with pytest.raises(ValidationError, match="lost reason"), db.unit_of_work() as s:
        change_stage(s, lead_id, Stage.LOST, now=now)
    with pytest.raises(NotFoundError, match="no quote with id 999"), db.unit_of_work() as s:
        change_stage(s, 999, Stage.QUOTED, now=now)


def test_the_form_suggests_the_number_currency_and_the_owners_today(db: Database, customer_id, now):
    with db.reading() as s:
        form = quote_form(s, now=now, customer_id=customer_id, with_customers=True)
    assert (form.suggested_number, form.currency, form.today) == (
        "Q-0001",
        "AUD",
        date(2026, 11, 23),
    )
    assert form.customers == ((customer_id, "Grace Hopper · +61412345679"),)


def test_an_outbound_touch_may_leave_the_next_step_to_what_is_planned(
    db: Database, customer_id, now
):
    with db.reading() as s:
        lead_id = list_quotes(s)[0].id
    record = TouchRecord(
        customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now, lead_id
    )
    with pytest.raises(ValidationError, match="nothing is planned"), db.unit_of_work() as s:
        log_touch(s, record, AlreadyPlanned(), now=now)
    with db.unit_of_work() as s:
        change_stage(s, lead_id, Stage.PARKED, now=now, parked_until=date(2027, 5, 1))
    with db.unit_of_work() as s:  # closed: "what's next" is answered
        log_touch(s, record, AlreadyPlanned(), now=now)


def test_the_file_sent_is_kept_exported_with_its_quote_and_erased_with_the_customer(
    db: Database, customer_id: int, now: datetime
):
    from deckfollow.core.models import Setting
    from deckfollow.core.trash import erase_customer
    from deckfollow.exchange.json_export import build_export

    pdf = "/home/owner/Quotes/Q-0001 Hopper deck.pdf"
    with db.unit_of_work() as s:
        saved = create_quote(s, NewQuote(customer_id, fields=QuoteEdit(file=pdf)), now=now)
    with db.reading() as s:
        assert quote_details(s, saved.quote_id).file == pdf
        export = build_export(s, now=now)
    assert [q["file"] for q in export["quotes"]] == [pdf]
    assert pdf not in export["settings"].values()
    with db.unit_of_work() as s:
        edit_quote(s, saved.quote_id, QuoteEdit(file=None), version=None, now=now)
        assert quote_details(s, saved.quote_id).file is None
        edit_quote(s, saved.quote_id, QuoteEdit(file=pdf), version=None, now=now)
    with db.unit_of_work() as s:
        erase_customer(s, customer_id, now=now)
    with db.reading() as s:
        assert pdf not in s.execute(select(Setting.value)).scalars().all()


def test_a_quote_made_without_an_enquiry_runs_no_reply_clock(db: Database, customer_id, now):
    with db.unit_of_work() as s:
        answering = create_quote(s, NewQuote(customer_id), now=now)  # their enquiry's quote
        another = create_quote(s, NewQuote(customer_id, fields=QuoteEdit(job="Pergola")), now=now)
    with db.reading() as s:
        replied = select(Quote.first_response_at).where(Quote.id == answering.quote_id)
        assert s.scalar(replied) is None  # their enquiry is still to be answered
        made = select(Quote.first_response_at).where(Quote.id == another.quote_id)
        assert s.scalar(made) == now
