"""The week's cards from a real database: who is printed, who is skipped, and mailing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from deckfollow.core.card_kinds import MailedNextStep
from deckfollow.core.enums import Channel, FollowUpStatus, Outcome
from deckfollow.core.models import FollowUp, Touch
from deckfollow.printing.batch import (
    card_templates,
    collect_due_cards,
    mark_mailed,
    printed_batch,
    remember_printed,
)
from deckfollow.printing.render import PrintOptions, render_pdf
from tests.printing import poppler
from tests.printing.data import seed


def test_batch_has_the_cards_due_this_week_and_lists_who_was_skipped(db, now):
    ids = seed(db, now)
    with db.reading() as s:
        batch = collect_due_cards(s, now=now, within_days=7)
    assert [c.customer for c in batch.cards] == ["Renée Müller", "Łukasz Nowak"]
    skipped = {s.customer: s.reason for s in batch.skipped}
    assert skipped["Iñaki Peña"].startswith("post revoked on ")
    assert skipped["Zoë Brown"] == "no postal address"
    assert "Olly Far" not in skipped
    assert all(s.customer_id == ids[s.customer] for s in batch.skipped)
    renee, lukasz = batch.cards
    # Merge fields filled in; the wording follows the reason (birthday) or the default.
    assert renee.template_key == "card_thank_you_quote"
    assert renee.text.startswith("Dear Renée,")
    assert "hardwood deck" in renee.text.lower()
    assert lukasz.template_key == "card_birthday"
    assert "Happy birthday" in lukasz.text
    assert renee.recipient is not None
    assert renee.recipient.lines == ("4/17 Wattle Street", "Paddington NSW 2021")
    assert renee.seed != lukasz.seed


def test_a_longer_window_and_a_forced_template(db, now):
    seed(db, now, revoke=None)
    with db.reading() as s:
        batch = collect_due_cards(s, now=now, within_days=30, template_key="saw_this")
    assert [c.customer for c in batch.cards] == [
        "Renée Müller",
        "Łukasz Nowak",
        "Iñaki Peña",
        "Olly Far",
    ]
    assert {c.template_key for c in batch.cards} == {"card_saw_this"}
    assert all("I saw this and thought of you" in c.text for c in batch.cards)


def test_card_templates_cover_every_occasion(db):
    with db.reading() as s:
        keys = [t.key for t in card_templates(s)]
    for key in (
        "card_thank_you_quote",
        "card_after_sale",
        "card_saw_this",
        "card_birthday",
        "card_holiday",
    ):
        assert key in keys


def test_batch_prints_cards_and_envelopes_in_one_pdf(db, now, tmp_path):
    seed(db, now)
    with db.reading() as s:
        batch = collect_due_cards(s, now=now, within_days=7)
        from deckfollow.printing.batch import return_address

        ret = return_address(s)
    assert ret is not None and ret.lines == ("12 Timber Lane", "Marrickville NSW 2204")
    pdf = tmp_path / "week.pdf"
    summary = render_pdf(batch.jobs(), PrintOptions(return_address=ret), pdf)
    assert (summary.cards, summary.envelopes, summary.pages) == (2, 2, 4)
    text = poppler.text(pdf)
    assert "Dear Renée," in text and "Dear Łukasz," in text
    assert "Iñaki" not in text and "Zoë" not in text
    assert "Carpenter Decks" in text


def test_marking_the_batch_mailed_logs_a_card_touch_and_a_check_call_after_thank_yous(db, now):
    ids = seed(db, now)
    with db.unit_of_work() as s:
        batch = collect_due_cards(s, now=now, within_days=7)
        remember_printed(s, batch, now=now)
    later = now + timedelta(days=1)
    with db.unit_of_work() as s:
        printed = printed_batch(s)
        assert printed is not None and len(printed.follow_up_ids) == 2
        result = mark_mailed(s, printed.follow_up_ids, MailedNextStep(), now=later)
    assert result.problems == []
    assert sorted(result.logged) == sorted(printed.follow_up_ids)
    with db.reading() as s:
        touches = list(s.execute(select(Touch).order_by(Touch.id)).scalars())
        assert [(t.channel, t.outcome) for t in touches] == [(Channel.CARD, Outcome.MAILED)] * 2
        assert {t.customer_id for t in touches} == {ids["Renée Müller"], ids["Łukasz Nowak"]}
        done = s.execute(
            select(FollowUp.status).where(FollowUp.id.in_(printed.follow_up_ids))
        ).scalars()
        assert set(done) == {FollowUpStatus.DONE}
        # The thank-you card's next step: a call about a week later, inside allowed hours.
        # Łukasz's birthday card is a gift: nothing is planned after it.
        nxt = list(
            s.execute(
                select(FollowUp).where(
                    FollowUp.status == FollowUpStatus.PENDING, FollowUp.channel == Channel.CALL
                )
            ).scalars()
        )
        assert [f.customer_id for f in nxt] == [ids["Renée Müller"]]
        assert nxt[0].due_at >= later + timedelta(days=6)
        assert "card arrived" in nxt[0].reason
        assert len(result.courtesy) == 1
        assert printed_batch(s) is None
        # The mailed cards are no longer due.
        assert collect_due_cards(s, now=later, within_days=7).cards == []


def test_a_customer_who_revokes_post_after_printing_is_not_logged(db, now):
    from deckfollow.core.consent import revoke_consent
    from deckfollow.core.enums import ConsentChannel

    ids = seed(db, now, revoke=None)
    with db.unit_of_work() as s:
        batch = collect_due_cards(s, now=now, within_days=7)
        remember_printed(s, batch, now=now)
        revoke_consent(
            s,
            ids["Renée Müller"],
            ConsentChannel.POST,
            source="email",
            words="no more mail please",
            now=now,
        )
    with db.unit_of_work() as s:
        printed = printed_batch(s)
        assert printed is not None
        result = mark_mailed(s, printed.follow_up_ids, MailedNextStep(), now=now)
    assert len(result.logged) == 2  # Łukasz and Iñaki
    assert len(result.problems) == 1 and result.problems[0].startswith("Renée Müller:")
    with db.reading() as s:
        assert {t.customer_id for t in s.execute(select(Touch)).scalars()} == {
            ids["Łukasz Nowak"],
            ids["Iñaki Peña"],
        }


@pytest.mark.parametrize(
    ("reason", "key"),
    [
        ("Handwritten thank-you for the chance to quote", "card_thank_you_quote"),
        ("Saw-this-and-thought-of-you card: still here whenever", "card_saw_this"),
        ("Happy birthday card (posted to arrive on the day)", "card_birthday"),
        ("Holiday card for the season", "card_holiday"),
        ("Thank-you card for choosing us for the deck", "card_after_sale"),
        ("Anniversary card: a year since we built it", "card_after_sale"),
    ],
)
def test_the_wording_follows_the_reason_of_each_cadence_card(db, now, reason, key):
    from tests.printing.data import PEOPLE, Person, add_person, owner

    p = PEOPLE[0]
    with db.unit_of_work() as s:
        owner(s)
        add_person(s, Person(p.name, p.street, p.suburb, p.postcode, p.job, 1, reason), now)
    with db.reading() as s:
        (card,) = collect_due_cards(s, now=now, within_days=7).cards
    assert card.template_key == key
    assert "{" not in card.text and "?]" not in card.text


def test_cards_for_a_quote_in_the_trash_are_not_printed(db, now):
    from deckfollow.core.trash import restore_quote, trash_quote
    from tests.printing.data import PEOPLE, add_person, owner

    with db.unit_of_work() as s:
        owner(s)
        _, quote_id, _ = add_person(s, PEOPLE[0], now)
        trash_quote(s, quote_id, now=now)
    with db.reading() as s:
        assert collect_due_cards(s, now=now, within_days=7).cards == []
    with db.unit_of_work() as s:
        restore_quote(s, quote_id, now=now)
    with db.reading() as s:
        assert len(collect_due_cards(s, now=now, within_days=7).cards) == 1


def test_a_card_with_no_way_left_to_follow_up_is_reported_and_the_rest_logged(db, now):
    from deckfollow.core.consent import revoke_consent
    from deckfollow.core.enums import ConsentChannel

    ids = seed(db, now, revoke=None)
    with db.unit_of_work() as s:
        for ch in (ConsentChannel.CALL, ConsentChannel.TEXT, ConsentChannel.EMAIL):
            revoke_consent(s, ids["Renée Müller"], ch, source="letter", words="post only", now=now)
        batch = collect_due_cards(s, now=now, within_days=7)
        remember_printed(s, batch, now=now)
    assert "Renée Müller" in [c.customer for c in batch.cards]
    with db.unit_of_work() as s:
        printed = printed_batch(s)
        assert printed is not None
        result = mark_mailed(s, printed.follow_up_ids, MailedNextStep(), now=now)
    assert len(result.logged) == 2
    assert result.problems == ["Renée Müller: what's next: no channel or time left to follow up"]
    with db.reading() as s:
        # Nothing half-saved for Renée: no touch, her card still pending and still printed.
        touches = {t.customer_id for t in s.execute(select(Touch)).scalars()}
        assert ids["Renée Müller"] not in touches and len(touches) == 2
        left = printed_batch(s)
        assert left is not None and len(left.follow_up_ids) == 1
        (card,) = collect_due_cards(s, now=now, within_days=7).cards
        assert card.customer == "Renée Müller"
