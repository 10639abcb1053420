"""The card rules: stationery by the business's country (remembered once chosen), the date
line as people there write it, and what follows a mailed card by its kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from deckfollow.core.card_kinds import (
    CardKind,
    MailedNextStep,
    card_kind,
    plans_check_call,
    step_after_mailing,
)
from deckfollow.core.card_preferences import (
    country_defaults,
    load_card_preferences,
    save_card_preferences,
    written_date,
)
from deckfollow.core.settings import save_setting


@pytest.mark.parametrize("country", ["AU", "NZ", "GB", "IE", "DE", "ZA"])
def test_a_sizes_where_they_rule(country):
    prefs = country_defaults(country)
    assert (prefs.card, prefs.envelope, prefs.label_sheet, prefs.units) == (
        "a6-folded",
        "match",
        "l7160",
        "mm",
    )


@pytest.mark.parametrize("country", ["US", "CA"])
def test_us_sizes_in_inches_in_the_us_and_canada(country):
    prefs = country_defaults(country)
    assert (prefs.card, prefs.label_sheet, prefs.units) == ("a2-folded", "avery-5160", "in")


def test_a_new_business_starts_from_its_country_and_keeps_what_the_owner_chose(db):
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
    with db.reading() as s:
        prefs = load_card_preferences(s)
    assert (prefs.card, prefs.units, prefs.labels) == ("a6-folded", "mm", False)
    chosen = replace(prefs, card="postcard-4x6", units="in", labels=True, motif="house")
    with db.unit_of_work() as s:
        save_card_preferences(s, chosen)
    # A later change of country does not undo a choice the owner made.
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "US")
    with db.reading() as s:
        assert load_card_preferences(s) == chosen


def test_the_date_line_is_written_as_people_there_write_it():
    day = date(2026, 12, 5)
    assert written_date(day, "AU") == "5 December 2026"
    assert written_date(day, "GB") == "5 December 2026"
    assert written_date(day, "US") == "December 5, 2026"


@pytest.mark.parametrize(
    ("key", "kind", "calls"),
    [
        ("card_thank_you_quote", CardKind.THANK_YOU, True),
        ("card_after_sale", CardKind.AFTER_SALE, True),
        ("card_birthday", CardKind.BIRTHDAY, False),
        ("card_holiday", CardKind.HOLIDAY, False),
        ("card_saw_this", CardKind.SAW_THIS, False),
        ("my_own_wording", CardKind.THANK_YOU, True),
    ],
)
def test_only_a_thank_you_card_plans_a_check_call_unless_asked(key, kind, calls):
    step = MailedNextStep()
    assert card_kind(key) is kind
    assert plans_check_call(kind) is calls
    assert (step_after_mailing(key, step) is step) is calls
    assert step_after_mailing(key, step, courtesy_too=True) is step


def test_only_a_mailed_card_ends_without_a_next_step(db, now):
    from deckfollow.core.enums import Channel, Direction, Outcome
    from deckfollow.core.errors import ValidationError
    from deckfollow.core.leads import NewLead, add_lead
    from deckfollow.core.touches import CourtesyCard, TouchRecord, log_touch

    with db.unit_of_work() as s:
        lead = add_lead(s, NewLead("Mia Chen", country="AU"), now=now)
        call = TouchRecord(lead.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now)
        with pytest.raises(ValidationError, match="only a mailed card"):
            log_touch(s, call, CourtesyCard(), now=now)
        card = replace(call, channel=Channel.CARD, outcome=Outcome.MAILED)
        log_touch(s, card, CourtesyCard(), now=now)
