"""Rule 3: calls and texts only inside the customer's allowed hours, in their own zone.

Country defaults (US 08-21 any day; Australia 09-20 weekdays, 09-17 Saturday, never on
Sundays or public holidays; elsewhere 08-21), stricter wishes ("evenings only", "not
Mondays"), an agreed time standing, and the nearest allowed slot offered on a refusal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from deckfollow.core.contact_hours import allowed_hours_for, holiday_region, parse_rule
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.errors import PermissionRefused, ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated, NewLead, add_lead
from deckfollow.core.permission import decide, find_slot
from deckfollow.storage.database import Database


def _at(zone: str, day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(zone)).astimezone(UTC)


# Mon 23 Nov 2026 … Sun 29 Nov 2026
MON, SAT, SUN = date(2026, 11, 23), date(2026, 11, 28), date(2026, 11, 29)


@pytest.mark.parametrize(
    ("country", "region", "zone", "day", "hh", "mm", "allowed"),
    [
        # United States: 08:00-21:00 every day, Sunday included.
        ("US", "NY", "America/New_York", SUN, 8, 0, True),
        ("US", "NY", "America/New_York", MON, 7, 59, False),
        ("US", "NY", "America/New_York", MON, 20, 59, True),
        ("US", "NY", "America/New_York", MON, 21, 0, False),
        # Australia: weekdays 09-20, Saturday 09-17, never Sunday.
        ("AU", "NSW", "Australia/Sydney", MON, 8, 59, False),
        ("AU", "NSW", "Australia/Sydney", MON, 9, 0, True),
        ("AU", "NSW", "Australia/Sydney", MON, 19, 59, True),
        ("AU", "NSW", "Australia/Sydney", MON, 20, 0, False),
        ("AU", "NSW", "Australia/Sydney", SAT, 16, 59, True),
        ("AU", "NSW", "Australia/Sydney", SAT, 17, 0, False),
        ("AU", "NSW", "Australia/Sydney", SUN, 12, 0, False),
        # … nor on a public holiday: Australia Day (a Tuesday in 2027), Christmas (a Friday).
        ("AU", "NSW", "Australia/Sydney", date(2027, 1, 26), 12, 0, False),
        ("AU", "WA", "Australia/Perth", date(2026, 12, 25), 12, 0, False),
        # A state's own holiday, the state found from the zone when none was given:
        # Labour Day is 5 Oct 2026 in NSW and 9 Mar 2026 in Victoria.
        ("AU", None, "Australia/Sydney", date(2026, 10, 5), 12, 0, False),
        ("AU", None, "Australia/Melbourne", date(2026, 10, 5), 12, 0, True),
        ("AU", "Victoria", "Australia/Melbourne", date(2026, 3, 9), 12, 0, False),
        # Elsewhere: 08:00-21:00 any day.
        ("GB", "Bristol", "Europe/London", SUN, 8, 0, True),
        ("NZ", None, "Pacific/Auckland", MON, 21, 0, False),
    ],
)
def test_country_defaults(
    country: str,
    region: str | None,
    zone: str,
    day: date,
    hh: int,
    mm: int,
    allowed: bool,
) -> None:
    hours = allowed_hours_for(country, region, zone, None)
    assert hours.allows(_at(zone, day, hh, mm)) is allowed


def test_state_names_and_zones_pick_the_states_holidays() -> None:
    assert holiday_region("AU", "New South Wales") == "NSW"
    assert holiday_region("AU", "vic") == "VIC"
    assert holiday_region("AU", None, "Australia/Brisbane") == "QLD"
    assert holiday_region("US", "ny") == "NY"
    assert holiday_region("GB", None, "Europe/London") is None


def test_a_customers_wish_only_makes_hours_stricter() -> None:
    zone = "America/New_York"
    evenings = allowed_hours_for("US", None, zone, "evenings only")
    assert not evenings.allows(_at(zone, MON, 12))
    assert evenings.allows(_at(zone, MON, 17))
    assert not evenings.allows(_at(zone, MON, 21))  # the country's 21:00 still holds
    not_mondays = allowed_hours_for("US", None, zone, "not mon")
    assert not not_mondays.allows(_at(zone, MON, 12))
    assert not_mondays.allows(_at(zone, MON + timedelta(days=1), 12))
    # A wider wish cannot widen the country's default.
    wide = allowed_hours_for("AU", "NSW", "Australia/Sydney", "any 06:00-23:00")
    assert not wide.allows(_at("Australia/Sydney", MON, 7))
    assert not wide.allows(_at("Australia/Sydney", SUN, 12))
    # "Evenings only" in Australia leaves weekdays 17-20 and no Saturday at all.
    au = allowed_hours_for("AU", "NSW", "Australia/Sydney", "evenings only")
    assert au.allows(_at("Australia/Sydney", MON, 19, 30))
    assert not au.allows(_at("Australia/Sydney", SAT, 16))
    with pytest.raises(ValidationError, match="cannot read 'funday 9-5'"):
        parse_rule("evenings only; funday 9-5")


def _customer(
    db: Database, now: datetime, zone: str, country: str, hours: str | None = None
) -> LeadCreated:
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                "Ada Lovelace", country=country, timezone=zone, phone="+61412000111", answered=True
            ),
            now=now,
        )
        if hours:
            from deckfollow.core.models import Customer

            c = s.get(Customer, lead.customer_id)
            assert c is not None
            c.contact_hours = hours
        return lead


def test_the_nearest_allowed_slot_keeps_every_rule(db: Database, now: datetime) -> None:
    zone = "Australia/Sydney"
    lead = _customer(db, now, zone, "AU")
    saturday_evening = _at(zone, SAT, 18)
    with pytest.raises(PermissionRefused) as refused, db.unit_of_work() as s:
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(saturday_evening, Channel.CALL, "Confirm the colours"),
            now=now,
        )
    # No calls on Sunday: Monday at nine is the nearest, and the message says so.
    assert refused.value.suggestion == _at(zone, SAT + timedelta(days=2), 9)
    assert "Nearest allowed time: Mon 30 Nov 2026 09:00." in str(refused.value)
    assert "outside the hours Ada Lovelace may be contacted" in str(refused.value)

    # Two planned touches fill seven days (an email on Sunday, a call on Tuesday); a call on
    # Wednesday is refused. The Sunday email leaves the seven days on the next Sunday at
    # 10:00, when calls are closed, so the offer is the first allowed hour after it.
    with db.unit_of_work() as s:
        for channel, day in ((Channel.EMAIL, SUN), (Channel.CALL, SUN + timedelta(days=2))):
            schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(_at(zone, day, 10), channel, "Walk through the quote"),
                now=now,
            )
    third = FollowUpPlan(_at(zone, SUN + timedelta(days=3), 10), Channel.TEXT, "Photos")
    with (
        pytest.raises(PermissionRefused, match="the limit is 2 in any seven days") as capped,
        db.unit_of_work() as s,
    ):
        schedule_follow_up(s, lead.customer_id, lead.quote_id, third, now=now)
    assert capped.value.suggestion == _at(zone, SUN + timedelta(days=8), 9)
    # Whatever the refusal, the suggestion itself is accepted.
    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(capped.value.suggestion, Channel.TEXT, "Photos"),
            now=now,
        )
        assert fu.due_at == _at(zone, SUN + timedelta(days=8), 9)


def test_hours_are_the_customers_own_wherever_the_owner_is(db: Database, now: datetime) -> None:
    zone = "America/New_York"
    lead = _customer(db, now, zone, "US", "not mon")
    with db.reading() as s:
        snap = load_snapshot(s, lead.customer_id)
    # 23:00 on a Sunday in Sydney is 07:00 Sunday in New York: too early there.
    early = datetime(2026, 11, 29, 23, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    d = decide(snap, Channel.CALL, early, Basis.PLANNED)
    assert not d.allowed and "Sun 29 Nov 07:00 (America/New_York)" in d.reason
    assert d.suggestion == _at(zone, date(2026, 11, 29), 8)
    # Sunday evening there is fine; Monday (their "not mon") is skipped to Tuesday 08:00.
    assert find_slot(snap, Channel.CALL, _at(zone, date(2026, 11, 29), 21)) == _at(
        zone, date(2026, 12, 1), 8
    )
    # Email and cards are not calls: no hours apply to planning them.
    assert decide(snap, Channel.EMAIL, early, Basis.PLANNED).allowed
    # A time the customer agreed to stands, even on their "not Monday" at 06:00.
    monday_dawn = _at(zone, date(2026, 11, 30), 6)
    assert decide(snap, Channel.CALL, monday_dawn, Basis.AGREED).allowed
