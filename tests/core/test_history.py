"""One timeline per customer: touches, follow-ups and consent events, newest first."""

from __future__ import annotations

from datetime import datetime, timedelta

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    Direction,
    Outcome,
)
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.history import customer_history, lead_age_text, response_time_text
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database


def test_history_merges_touches_follow_ups_and_consent_newest_first(
    db: Database, now: datetime
) -> None:
    earlier = now - timedelta(days=3)
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                "Grace Hopper",
                phone="0412 345 678",
                country="AU",
                timezone="Australia/Sydney",
                answered=True,
            ),
            now=earlier,
        )
        log_touch(
            s,
            TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                earlier + timedelta(minutes=9),
                quote_id=lead.quote_id,
                summary="Wants merbau",
            ),
            FollowUpPlan(
                now + timedelta(days=1),
                Channel.CALL,
                "Go over the timber choice",
                Basis.AGREED,
                "Ring me Tuesday",
            ),
            now=earlier + timedelta(minutes=10),
        )
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="No texts please",
            now=now - timedelta(hours=1),
        )
        other = add_lead(s, NewLead("Someone Else", answered=True), now=now)
        log_touch(
            s,
            TouchRecord(other.customer_id, Channel.EMAIL, Direction.OUTBOUND, Outcome.SENT, now),
            FollowUpPlan(now + timedelta(days=2), Channel.EMAIL, "Check it arrived"),
            now=now,
        )
    with db.reading() as s:
        history = customer_history(s, lead.customer_id)
    assert [h.at for h in history] == sorted((h.at for h in history), reverse=True)
    kinds = [(h.kind, h.title) for h in history]
    assert kinds[0] == ("follow_up", "Agreed call (to do)")
    assert ("consent", "Said no to text") in kinds
    assert ("consent", "Agreed to a follow-up by call") in kinds
    assert ("touch", "Call to them: reached them") in kinds
    assert all("Check it arrived" not in h.detail for h in history), "another customer's"
    touch = next(h for h in history if h.kind == "touch")
    assert (touch.detail, touch.channel, touch.at) == (
        "Wants merbau",
        "call",
        earlier + timedelta(minutes=9),
    )
    revoked = next(h for h in history if h.title == "Said no to text")
    assert revoked.detail == '"No texts please" (phone call)'
    assert history[0].detail == 'Go over the timber choice — they said "Ring me Tuesday"'
    with db.reading() as s:
        assert len(customer_history(s, lead.customer_id, limit=2)) == 2


def test_lead_age_reads_in_hours_and_minutes_until_answered(now: datetime) -> None:
    assert lead_age_text(now - timedelta(hours=2, minutes=14), now) == (
        "received 2 h 14 min ago — no reply yet"
    )
    assert lead_age_text(now - timedelta(minutes=7, seconds=30), now) == (
        "received 7 min ago — no reply yet"
    )
    assert lead_age_text(now - timedelta(seconds=20), now) == "received just now — no reply yet"
    assert lead_age_text(now - timedelta(days=3, hours=5), now) == (
        "received 3 days 5 h ago — no reply yet"
    )
    assert response_time_text(now - timedelta(minutes=14), now) == (
        "answered 14 min after it came in"
    )
