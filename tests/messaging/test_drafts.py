"""Who a follow-up goes to and the draft composed for it: one answer for the message
screens and `deckfollow send`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Channel, ConsentChannel, FollowUpStatus, TemplateKind
from deckfollow.core.errors import DeckfollowError, NotFoundError, ValidationError
from deckfollow.core.follow_up_target import contact_follow_up, resolve_target
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import FollowUp
from deckfollow.messaging.drafts import (
    compose_draft,
    compose_follow_up_draft,
    prepare_templates,
)
from deckfollow.messaging.template_library import list_templates
from deckfollow.storage.database import Database


def _email_follow_up(db: Database, customer: LeadCreated, now: datetime) -> int:
    with db.unit_of_work() as s:
        return schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now + timedelta(hours=2), Channel.EMAIL, "Answer questions on the steps"),
            now=now,
        ).id


def test_a_follow_up_brings_its_customer_quote_and_addresses(
    db: Database, now: datetime, customer: LeadCreated
):
    fid = _email_follow_up(db, customer, now)
    with db.reading() as s:
        t = resolve_target(s, follow_up_id=fid)
    assert (t.customer_id, t.quote_id, t.follow_up_id) == (
        customer.customer_id,
        customer.quote_id,
        fid,
    )
    assert t.name == "Zoë Łukasiewicz"
    assert t.address(Channel.EMAIL) == "zoe@example.com"
    assert t.address(Channel.TEXT) == "+61412000111"
    assert (t.follow_up_channel, t.reason) == (Channel.EMAIL, "Answer questions on the steps")
    assert t.job == "Spotted-gum deck with steps" and t.quote_number == "Q-1042"
    assert t.follow_up_closed is None and t.closed_channels == {}


def test_a_revoked_channel_and_a_done_follow_up_are_named(
    db: Database, now: datetime, customer: LeadCreated
):
    fid = _email_follow_up(db, customer, now)
    with db.unit_of_work() as s:
        s.get(FollowUp, fid).status = FollowUpStatus.SKIPPED  # type: ignore[union-attr]
        revoke_consent(
            s, customer.customer_id, ConsentChannel.TEXT, source="text", words="STOP", now=now
        )
    with db.reading() as s:
        t = resolve_target(s, follow_up_id=fid)
    assert t.follow_up_closed is not None and "already skipped" in t.follow_up_closed
    assert set(t.closed_channels) >= {Channel.TEXT}


def test_without_a_known_id_the_target_says_what_is_missing(db: Database):
    with db.reading() as s:
        with pytest.raises(NotFoundError, match="no follow-up with id 99"):
            resolve_target(s, follow_up_id=99)
        with pytest.raises(ValidationError, match="choose who to contact"):
            resolve_target(s)


def test_the_email_screen_finds_the_pending_email_follow_up(
    db: Database, now: datetime, customer: LeadCreated
):
    fid = _email_follow_up(db, customer, now)
    with db.reading() as s:
        found = contact_follow_up(
            s, Channel.EMAIL, customer_id=customer.customer_id, quote_id=customer.quote_id
        )
        none_for_calls = contact_follow_up(
            s, Channel.CALL, customer_id=customer.customer_id, quote_id=customer.quote_id
        )
    assert found == fid and none_for_calls is None


def test_the_draft_fills_the_wording_that_fits_the_follow_up(
    db: Database, now: datetime, customer: LeadCreated
):
    fid = _email_follow_up(db, customer, now)
    with db.unit_of_work() as s:
        draft = compose_follow_up_draft(s, fid, TemplateKind.EMAIL, now=now)
    assert (draft.channel, draft.to_name, draft.to_address) == (
        Channel.EMAIL,
        "Zoë Łukasiewicz",
        "zoe@example.com",
    )
    assert draft.reason == "Answer questions on the steps"
    assert "The reason I'm writing is to answer questions on the steps." in draft.body.text
    assert draft.subject.text and draft.problems() == []
    sent = draft.outbox_draft("Edited words", subject="Edited subject")
    assert (sent.body, sent.subject, sent.follow_up_id, sent.to_address) == (
        "Edited words",
        "Edited subject",
        fid,
        "zoe@example.com",
    )


def test_a_text_draft_goes_to_the_cell_and_has_no_subject(
    db: Database, now: datetime, customer: LeadCreated
):
    with db.unit_of_work() as s:
        prepare_templates(s)
        target = resolve_target(s, quote_id=customer.quote_id)
        draft = compose_draft(s, target, TemplateKind.TEXT, now=now)
    assert draft.channel is Channel.TEXT and draft.to_address == "+61412000111"
    assert draft.subject.text == "" and draft.body.text
    assert draft.outbox_draft().to_address is None  # the provider texts the cell on file


def test_a_template_of_another_kind_is_refused_by_name(
    db: Database, now: datetime, customer: LeadCreated
):
    fid = _email_follow_up(db, customer, now)
    with db.unit_of_work() as s:
        prepare_templates(s)
        text_key = list_templates(s, TemplateKind.TEXT)[0].key
        with pytest.raises(ValidationError, match="choose an email template"):
            compose_follow_up_draft(s, fid, TemplateKind.EMAIL, now=now, template_key=text_key)


def test_a_follow_up_already_done_gets_no_draft(db: Database, now: datetime, customer: LeadCreated):
    fid = _email_follow_up(db, customer, now)
    with db.unit_of_work() as s:
        s.get(FollowUp, fid).status = FollowUpStatus.DONE  # type: ignore[union-attr]
    with db.unit_of_work() as s, pytest.raises(DeckfollowError, match="is done, not waiting"):
        compose_follow_up_draft(s, fid, TemplateKind.EMAIL, now=now)
