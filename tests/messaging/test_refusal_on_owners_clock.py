"""A refusal reads on the owner's clock: Today says "Mon 7 Dec 12:00 pm" for Ken in
Fremantle, and "Not now" beside it names the same time, with his own beside it, not
"9:00 am (Australia/Perth)"."""

from __future__ import annotations

from datetime import UTC, datetime

from deckfollow.core.clock_format import set_clock_style, style_for_country
from deckfollow.core.consent import revoke_consent
from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.enums import Channel, ConsentChannel
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.messaging.guard import check_send
from deckfollow.storage.database import Database

# Saturday 5 December 2026, 8:30 pm in Sydney, 5:30 pm in Fremantle: Ken's Saturday hours
# (9:00 am to 5:00 pm, his time) are over and Sunday is closed.
NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


def _ken_in_fremantle(db: Database) -> int:
    """From an empty database: a Sydney business and Ken in Fremantle WA with a quote."""
    set_clock_style(style_for_country("AU"))
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        ken = add_customer(
            s,
            NewCustomer("Ken Perth", phone="0412 345 679", suburb="Fremantle", region="WA"),
            now=NOW,
        )
        add_lead(
            s,
            NewLead("Ken Perth", job="Jarrah deck", customer_id=ken.customer_id, answered=True),
            now=NOW,
        )
        return ken.customer_id


def test_the_next_allowed_time_is_on_the_owners_clock_with_theirs_beside_it(
    db: Database,
) -> None:
    ken = _ken_in_fremantle(db)
    with db.reading() as s:
        check = check_send(s, customer_id=ken, channel=Channel.CALL, now=NOW)
    assert not check.allowed
    assert check.reason == (
        "Sat 5 Dec 8:30 pm · 5:30 pm their time is outside the hours Ken Perth may be "
        "contacted (weekdays 9:00 am–8:00 pm, Saturday 9:00 am–5:00 pm, not Sundays or "
        "public holidays, their time). "
        "The next allowed time is Mon 7 Dec 12:00 pm · 9:00 am their time."
    )
    assert check.suggestion == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def test_when_they_said_stop_reads_on_the_owners_clock(db: Database) -> None:
    ken = _ken_in_fremantle(db)
    with db.unit_of_work() as s:
        # 8:30 pm in Sydney, 5:30 pm in Fremantle.
        revoke_consent(s, ken, ConsentChannel.CALL, source="call", words="No calls", now=NOW)
    with db.reading() as s:
        check = check_send(s, customer_id=ken, channel=Channel.CALL, now=NOW)
    assert not check.allowed
    assert "on 5 Dec 2026 at 8:30 pm" in check.reason, check.reason
