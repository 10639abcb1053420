"""The template library: built-in words per channel, editable, restorable, never blank."""

from __future__ import annotations

from datetime import datetime

import pytest

from deckfollow.core.enums import TemplateKind
from deckfollow.core.errors import ValidationError
from deckfollow.core.merge_fields import render_template, sample_context
from deckfollow.messaging.templates import (
    BUILTIN_TEMPLATES,
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
    from deckfollow.messaging.templates import suggest_template_key

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
