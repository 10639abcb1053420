"""Texts through Twilio and ClickSend (their APIs stood in on loopback), with the rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import Channel, ConsentChannel, ConsentState, Direction, Outcome
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import Touch
from deckfollow.messaging.inbound import REPLIED_REASON, Kind
from deckfollow.messaging.outbox import Draft, send_text_and_log
from deckfollow.messaging.sms_providers import (
    Provider,
    SmsError,
    SmsFailure,
    SmsSettings,
    save_sms_settings,
)
from deckfollow.messaging.text_inbox import check_texts
from deckfollow.messaging.text_rules import compliant_text
from deckfollow.storage.database import Database
from tests.messaging.sms_standin import (
    CLICKSEND_KEY,
    CLICKSEND_USER,
    INVALID,
    TWILIO_SID,
    TWILIO_TOKEN,
    Inbound,
    Standin,
)

SENDER = "+61412555019"


def _settings(standin: Standin, provider: Provider) -> tuple[SmsSettings, str]:
    account, secret = (
        (TWILIO_SID, TWILIO_TOKEN)
        if provider is Provider.TWILIO
        else (CLICKSEND_USER, CLICKSEND_KEY)
    )
    return SmsSettings(provider, account, SENDER, standin.base, timeout=10), secret


def _draft(db: Database, customer: LeadCreated, now: datetime) -> Draft:
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            customer.customer_id,
            customer.quote_id,
            FollowUpPlan(now, Channel.TEXT, "Check the quote arrived"),
            now=now - timedelta(hours=1),
        )
        fu_id = fu.id
    return Draft(
        customer.customer_id,
        Channel.TEXT,
        "Hi Zoë, it's Sam. Did the deck quote arrive OK?",
        quote_id=customer.quote_id,
        follow_up_id=fu_id,
    )


def _next(now: datetime) -> FollowUpPlan:
    return FollowUpPlan(now + timedelta(days=4), Channel.CALL, "Talk through the timber choice")


def _texts(db: Database) -> list[Touch]:
    with db.reading() as s:
        return list(s.execute(select(Touch).where(Touch.channel == Channel.TEXT)).scalars())


@pytest.mark.parametrize(
    ("provider", "cost"), [(Provider.TWILIO, "0.0790 USD"), (Provider.CLICKSEND, "0.0771 AUD")]
)
def test_a_text_goes_out_names_the_business_says_how_to_stop_and_is_logged_with_its_cost(
    db: Database,
    now: datetime,
    customer: LeadCreated,
    sms_standin: Standin,
    provider: Provider,
    cost: str,
) -> None:
    sms, secret = _settings(sms_standin, provider)
    with db.unit_of_work() as s:
        save_sms_settings(s, sms)
    result = send_text_and_log(
        db, _draft(db, customer, now), _next(now), sms=sms, secret=secret, clock=lambda: now
    )
    assert result.logged and cost in result.message
    [sent] = sms_standin.sent
    body = sent["Body"] if provider is Provider.TWILIO else sent["body"]
    to = sent["To"] if provider is Provider.TWILIO else sent["to"]
    assert to == "+61412000111"
    assert body.startswith("Carpenter Decks: Hi Zoë")
    assert body.endswith("Reply STOP to opt out.")
    [touch] = _texts(db)
    assert (touch.direction, touch.outcome) == (Direction.OUTBOUND, Outcome.SENT)


def test_the_rules_hold_as_for_calls_revoked_and_outside_hours_send_nothing(
    db: Database, now: datetime, customer: LeadCreated, sms_standin: Standin
) -> None:
    sms, secret = _settings(sms_standin, Provider.TWILIO)
    draft = _draft(db, customer, now)
    late = now + timedelta(hours=12)  # 21:00 in Sydney: outside Australian hours
    with pytest.raises(PermissionRefused) as err:
        send_text_and_log(db, draft, _next(late), sms=sms, secret=secret, clock=lambda: late)
    assert "next allowed time" in str(err.value).lower()
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            customer.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="no texts",
            now=now,
        )
    with pytest.raises(PermissionRefused):
        send_text_and_log(db, draft, _next(now), sms=sms, secret=secret, clock=lambda: now)
    assert sms_standin.sent == [] and _texts(db) == []


@pytest.mark.parametrize("provider", [Provider.TWILIO, Provider.CLICKSEND])
def test_provider_errors_are_explained_and_nothing_is_logged(
    db: Database, now: datetime, customer: LeadCreated, sms_standin: Standin, provider: Provider
) -> None:
    sms, secret = _settings(sms_standin, provider)
    draft = _draft(db, customer, now)
    with pytest.raises(SmsError) as err:
        send_text_and_log(db, draft, _next(now), sms=sms, secret="wrong-secret", clock=lambda: now)
    assert err.value.failure is SmsFailure.AUTH and "wrong-secret" not in str(err.value)
    sms_standin.busy = True
    with pytest.raises(SmsError) as err:
        send_text_and_log(db, draft, _next(now), sms=sms, secret=secret, clock=lambda: now)
    assert err.value.failure is SmsFailure.RATE and "try again" in str(err.value)
    sms_standin.busy = False
    from deckfollow.core.models import Customer

    with db.unit_of_work() as s:
        c = s.get(Customer, customer.customer_id)
        assert c is not None
        c.phone_cell = INVALID
        c.country = "US"
        c.timezone = "America/New_York"
    with pytest.raises(SmsError) as err:  # 17:00 in New York
        send_text_and_log(db, draft, _next(now), sms=sms, secret=secret, clock=lambda: now)
    assert err.value.failure is SmsFailure.NUMBER
    assert sms_standin.sent == [] and _texts(db) == []


@pytest.mark.parametrize("provider", [Provider.TWILIO, Provider.CLICKSEND])
def test_replies_and_stop_by_text_are_read_from_the_provider_once(
    db: Database, now: datetime, customer: LeadCreated, sms_standin: Standin, provider: Provider
) -> None:
    sms, secret = _settings(sms_standin, provider)
    sms_standin.inbound += [
        Inbound(
            "SMa1", "+61412000111", SENDER, "Sounds good, Thursday?", now - timedelta(minutes=9)
        ),
        Inbound("SMa2", "+61499999999", SENDER, "Wrong number", now - timedelta(minutes=8)),
        Inbound("SMa3", "+61412000111", SENDER, "STOP", now - timedelta(minutes=2)),
    ]
    report = check_texts(db, sms, secret, clock=lambda: now)
    assert [h.kind for h in report.handled] == [Kind.REPLY, Kind.UNKNOWN, Kind.STOP]
    with db.reading() as s:
        snap = load_snapshot(s, customer.customer_id)
    assert snap.consent(ConsentChannel.TEXT).state is ConsentState.REVOKED
    assert snap.consent(ConsentChannel.EMAIL).state is not ConsentState.REVOKED
    inbound = [t for t in _texts(db) if t.direction is Direction.INBOUND]
    assert [t.summary for t in inbound] == ["Sounds good, Thursday?", "STOP"]
    again = check_texts(db, sms, secret, clock=lambda: now + timedelta(minutes=5))
    assert again.read == 0 and again.already == 3
    assert REPLIED_REASON  # the reply's prompt is covered in the inbox tests


def test_opt_out_wording_by_country() -> None:
    assert compliant_text("Hi", business="Carpenter Decks", country="US").endswith(
        "Reply STOP to opt out."
    )
    assert compliant_text("Hi", business="Carpenter Decks", country="DE") == "Carpenter Decks: Hi"
    said = compliant_text(
        "Carpenter Decks here. Reply STOP to opt out.", business="Carpenter Decks", country="AU"
    )
    assert said == "Carpenter Decks here. Reply STOP to opt out."


def test_settings_refuse_a_bad_sid_sender_or_plain_remote_address() -> None:
    from deckfollow.core.errors import ValidationError
    from deckfollow.messaging.sms_providers import validate_sms_settings

    with pytest.raises(ValidationError, match="Account SID"):
        validate_sms_settings(SmsSettings(Provider.TWILIO, "12345", SENDER))
    with pytest.raises(ValidationError, match="sender"):
        validate_sms_settings(SmsSettings(Provider.CLICKSEND, "sam", "my business name!"))
    with pytest.raises(ValidationError, match="https"):
        validate_sms_settings(
            SmsSettings(Provider.CLICKSEND, "sam", SENDER, "http://sms.example.com")
        )
    assert Decimal("0.0771")
