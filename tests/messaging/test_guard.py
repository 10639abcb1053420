"""The send guard: the customer's words and hours decide, and the reason is shown."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import Channel
from deckfollow.core.followups import agree_follow_up, agreed_plan
from deckfollow.core.leads import LeadCreated
from deckfollow.messaging.guard import call_numbers, check_send, gateway_address, sms_uri
from deckfollow.storage.database import Database


def test_an_agreed_late_time_stands_but_only_around_that_time(
    db: Database, now: datetime, customer: LeadCreated
) -> None:
    # 21:30 on a weekday is outside Sydney's default hours, but the customer chose it.
    with db.unit_of_work() as s:
        plan = agreed_plan(
            date(2026, 11, 24),
            time(21, 30),
            None,
            "Australia/Sydney",
            Channel.TEXT,
            "Send the colour samples",
            "Text me after the kids are in bed, half nine",
        )
        fu_id = agree_follow_up(
            s, customer.customer_id, customer.quote_id, plan, now=now, source="phone call"
        ).id
    agreed_at = plan.due_at
    with db.reading() as s:
        ok = check_send(
            s,
            customer_id=customer.customer_id,
            channel=Channel.TEXT,
            now=agreed_at + timedelta(minutes=10),
            follow_up_id=fu_id,
        )
        assert ok.allowed and ok.reason == "the time the customer agreed to"
        late = check_send(
            s,
            customer_id=customer.customer_id,
            channel=Channel.TEXT,
            now=agreed_at + timedelta(hours=3),
            follow_up_id=fu_id,
        )
        assert not late.allowed
        assert "is outside the hours Zoë Łukasiewicz may be contacted" in late.reason
        assert "The next allowed time is Wed 25 Nov 09:00." in late.reason
        # Email is not a timed channel: it waits in the inbox.
        assert check_send(
            s, customer_id=customer.customer_id, channel=Channel.EMAIL, now=agreed_at
        ).allowed


def test_do_not_contact_closes_every_channel_with_when_and_how(
    db: Database, now: datetime, customer: LeadCreated
) -> None:
    with db.unit_of_work() as s:
        revoke_consent(
            s, customer.customer_id, None, source="email", words="Stop. All of it.", now=now
        )
    with db.reading() as s:
        for channel in (Channel.CALL, Channel.TEXT, Channel.EMAIL):
            check = check_send(s, customer_id=customer.customer_id, channel=channel, now=now)
            assert not check.allowed
            assert "asked not to be contacted at all on 23 Nov 2026 at 09:00 (email)" in (
                check.reason
            )


def test_numbers_links_and_gateway(db: Database, customer: LeadCreated) -> None:
    with db.reading() as s:
        numbers = call_numbers(s, customer.customer_id)
        assert gateway_address(s, customer.customer_id) is None
    # Shown as the owner in Australia dials them, as Today shows them; the link is E.164.
    assert [(n.label, n.display) for n in numbers] == [
        ("cell", "0412 000 111"),
        ("office", "(02) 9876 5432"),
    ]
    assert numbers[0].tel_uri == "tel:+61412000111"
    assert sms_uri("+61412000111", "Hi Zoë & co?") == (
        "sms:+61412000111?body=Hi%20Zo%C3%AB%20%26%20co%3F"
    )
