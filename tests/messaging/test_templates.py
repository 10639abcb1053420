"""The template library: built-in words per channel, editable, restorable, never blank."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from deckfollow.core.enums import TemplateKind
from deckfollow.core.errors import ValidationError
from deckfollow.core.merge_fields import render_template, sample_context
from deckfollow.messaging.builtin_templates import BUILTIN_TEMPLATES
from deckfollow.messaging.template_library import (
    copy_template,
    create_template,
    delete_template,
    get_template,
    list_templates,
    reset_template,
    save_template,
    seed_builtin_templates,
    template_for,
)
from deckfollow.storage.database import Database


def test_seeding_is_idempotent_and_keeps_the_owners_edits(db: Database, now: datetime) -> None:
    with db.unit_of_work() as s:
        assert seed_builtin_templates(s) == len(BUILTIN_TEMPLATES)
        save_template(s, "text_follow_up", name="My text", subject=None, body="G'day {first_name}!")
    with db.unit_of_work() as s:
        assert seed_builtin_templates(s) == 0
        edited = get_template(s, "text_follow_up")
        assert edited.body == "G'day {first_name}!" and edited.modified
        restored = reset_template(s, "text_follow_up")
        assert not restored.modified and restored.name == "Text: follow up on a quote"
        kinds = {t.kind for t in list_templates(s)}
    assert kinds == set(TemplateKind)


def test_every_builtin_says_something_useful_with_nothing_missing() -> None:
    ctx = sample_context()
    for t in BUILTIN_TEMPLATES:
        for text in (t.body, t.subject or ""):
            out = render_template(text, ctx)
            assert out.complete, (t.key, out.missing, out.unknown)
        if t.kind is TemplateKind.CALL_SCRIPT and t.key != "call_after_sale":
            assert "The reason I'm calling is {reason}." in t.body
        if t.kind is TemplateKind.EMAIL:
            # Email is weak alone: always a call to action and the owner's cell number.
            assert "{owner_phone}" in t.body
            assert "call" in t.body.lower() and ("reply" in t.body.lower())
            assert t.subject
        if t.kind in (TemplateKind.TEXT, TemplateKind.VOICEMAIL):
            assert "{owner_phone}" in t.body
    keys = {t.key for t in BUILTIN_TEMPLATES}
    assert {
        "card_thank_you_quote",
        "card_after_sale",
        "card_saw_this",
        "card_birthday",
        "card_holiday",
    } <= keys


def test_own_templates_copy_delete_and_validation(db: Database) -> None:
    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        mine = copy_template(s, "email_follow_up")
        assert mine.key == "my_email_follow_up_on_a_quote_copy" and not mine.builtin
        with pytest.raises(ValidationError, match=r"unknown merge field \{frist_name\}"):
            save_template(s, mine.key, name="x", subject="Hi", body="Hi {frist_name}")
        with pytest.raises(ValidationError, match="subject"):
            save_template(s, mine.key, name="x", subject="", body="Hi")
        with pytest.raises(ValidationError, match="not deleted"):
            delete_template(s, "voicemail")
        with pytest.raises(ValidationError, match="no original"):
            reset_template(s, mine.key)
        own = create_template(
            s, kind=TemplateKind.TEXT, name="Running late", subject=None, body="{{sorry}}"
        )
        assert render_template(own.body, sample_context()).text == "{sorry}"
        delete_template(s, mine.key)
        assert [t.key for t in list_templates(s, TemplateKind.TEXT)][-1] == own.key
        chosen = template_for(s, TemplateKind.EMAIL)
        assert chosen is not None and chosen.key == "email_follow_up"


def test_the_wording_that_fits_a_follow_up() -> None:
    from deckfollow.messaging.follow_up_wording import suggest_template_key

    def key(kind: TemplateKind, reason: str, **kw: bool) -> str:
        return suggest_template_key(kind, reason=reason, **kw)

    assert key(TemplateKind.CALL_SCRIPT, "Check the quote arrived") == "call_follow_up"
    assert key(TemplateKind.CALL_SCRIPT, "Anything", agreed=True) == "call_agreed"
    assert key(TemplateKind.CALL_SCRIPT, "Thank you for choosing us") == "call_after_sale"
    assert key(TemplateKind.TEXT, "Confirm the colour", agreed=True) == "text_agreed"
    assert key(TemplateKind.EMAIL, "Saw this and thought of you: a care guide") == (
        "email_saw_this"
    )
    assert key(TemplateKind.EMAIL, "Send the refreshed quote") == "email_refreshed_quote"
    assert key(TemplateKind.CARD, "Happy birthday card") == "card_birthday"
    assert key(TemplateKind.CARD, "Handwritten thank-you", won=True) == "card_after_sale"
    assert key(TemplateKind.VOICEMAIL, "Anything", agreed=True) == "voicemail"


def test_an_unedited_builtin_with_earlier_words_is_brought_up_to_date(db: Database) -> None:
    from sqlalchemy import update

    from deckfollow.core.models import Template
    from deckfollow.messaging.builtin_templates import RETIRED

    old_name, old_subject, old_body = RETIRED["call_follow_up"][0]
    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        # As an earlier version left them: one untouched, one the owner had reworded.
        s.execute(
            update(Template)
            .where(Template.key == "call_follow_up")
            .values(name=old_name, subject=old_subject, body=old_body)
        )
        save_template(s, "email_follow_up", name="Mine", subject="Hi", body="My own words")
    with db.unit_of_work() as s:
        assert seed_builtin_templates(s) == 1
        current = get_template(s, "call_follow_up")
        assert "[[ ({quote_amount})]]" in current.body and not current.modified
        assert get_template(s, "email_follow_up").body == "My own words"


def test_a_lead_without_a_quote_amount_hears_no_missing_field(db: Database, now: datetime) -> None:
    from datetime import timedelta

    from deckfollow.core.enums import Channel, Stage
    from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
    from deckfollow.core.leads import NewLead, add_lead
    from deckfollow.core.models import Quote
    from deckfollow.core.settings import save_setting
    from deckfollow.messaging.follow_up_wording import follow_up_wording

    with db.unit_of_work() as s:
        seed_builtin_templates(s)
        for key, value in (
            ("owner_name", "Sam Carpenter"),
            ("business_name", "Carpenter Decks"),
            ("owner_phone", "+61412555019"),
        ):
            save_setting(s, key, value)
        lead = add_lead(
            s,
            NewLead(
                "Mia Chen",
                phone="+61412345679",
                email="mia@example.com",
                country="AU",
                timezone="Australia/Sydney",
                job="Deck restoration",
                answered=True,
            ),
            now=now,
        )
        ids = {}
        for week, channel in enumerate((Channel.CALL, Channel.TEXT, Channel.EMAIL)):
            due = now + timedelta(days=7 * week, hours=1)
            ids[channel] = schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(due, channel, "First reply to the enquiry"),
                now=now,
            ).id
    kinds = {
        Channel.CALL: TemplateKind.CALL_SCRIPT,
        Channel.TEXT: TemplateKind.TEXT,
        Channel.EMAIL: TemplateKind.EMAIL,
    }
    with db.reading() as s:
        for channel, fid in ids.items():
            wording = follow_up_wording(s, fid, kinds[channel], now=now)
            assert wording is not None
            texts = [wording.body, *([wording.subject] if wording.subject else [])]
            for out in texts:
                assert out.complete and "?]" not in out.text, (channel, out.text)
                assert "quote for" not in out.text and "comes to" not in out.text
            assert wording.template.key.endswith("_lead")
        call = follow_up_wording(s, ids[Channel.CALL], TemplateKind.CALL_SCRIPT, now=now)
        assert call is not None
        assert "The reason I'm calling is to answer your enquiry." in call.body.text

    # Once priced and sent, the same follow-up gets the quote's words with the amount.
    with db.unit_of_work() as s:
        q = s.get(Quote, lead.quote_id)
        assert q is not None
        q.amount, q.stage = Decimal("8450"), Stage.QUOTED
    with db.reading() as s:
        call = follow_up_wording(s, ids[Channel.CALL], TemplateKind.CALL_SCRIPT, now=now)
        assert call is not None and call.template.key == "call_follow_up"
        assert "About the quote for Deck restoration ($8,450.00):" in call.body.text


def test_leads_get_first_reply_words() -> None:
    from deckfollow.core.enums import Basis, Stage
    from deckfollow.messaging.follow_up_wording import wording_key

    def key(kind: TemplateKind, **kw: object) -> str:
        return wording_key(kind, reason="Ask for photos", **kw)  # type: ignore[arg-type]

    lead = {"stage": Stage.LEAD, "priced": False}
    assert key(TemplateKind.CALL_SCRIPT, basis=Basis.PLANNED, **lead) == "call_lead"
    assert key(TemplateKind.TEXT, basis=Basis.PLANNED, **lead) == "text_lead"
    assert key(TemplateKind.EMAIL, basis=Basis.AGREED, **lead) == "email_lead"
    # An agreed call keeps "the time we agreed" words; its quote line waits for a price.
    assert key(TemplateKind.CALL_SCRIPT, basis=Basis.AGREED, **lead) == "call_agreed"
    assert key(TemplateKind.CALL_SCRIPT, basis=Basis.PLANNED, stage=Stage.LEAD, priced=True) == (
        "call_follow_up"
    )
    assert key(TemplateKind.CARD, basis=Basis.PLANNED, stage=Stage.WON) == "card_after_sale"
    assert key(TemplateKind.TEXT, basis=None, stage=None, step_key="text_agreed") == "text_agreed"
    assert key(TemplateKind.EMAIL, basis=None, stage=None, step_key="text_agreed") == (
        "email_follow_up"
    )
