"""Rule 3: a customer's own state (however written) and zone decide their hours and holidays.

The dates are the ones calls were placed on before: Boxing Day observed, NSW Labour Day,
Melbourne Cup Day; and states written the way address books write them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core.contact_hours import allowed_hours_for, holiday_region
from deckfollow.core.regions import region_code, states_of_zone
from deckfollow.core.timezones import customer_zone, lead_zone
from tests.examples import examples

STATES = {
    "NSW": ("New South Wales", "Australia/Sydney"),
    "VIC": ("Victoria", "Australia/Melbourne"),
    "QLD": ("Queensland", "Australia/Brisbane"),
    "SA": ("South Australia", "Australia/Adelaide"),
    "WA": ("Western Australia", "Australia/Perth"),
    "TAS": ("Tasmania", "Australia/Hobart"),
    "NT": ("Northern Territory", "Australia/Darwin"),
    "ACT": ("Australian Capital Territory", "Australia/Sydney"),
}


def _ten_am(zone: str, day: date) -> datetime:
    return datetime.combine(day, time(10), ZoneInfo(zone))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("N.S.W.", "NSW"),
        ("NSW", "NSW"),
        ("new south wales", "NSW"),
        ("New  South Wales ", "NSW"),
        ("Qld.", "QLD"),
        ("Vic.", "VIC"),
        ("A.C.T.", "ACT"),
        ("W.A.", "WA"),
        ("w. a.", "WA"),
        ("N.T.", "NT"),
        ("S.A.", "SA"),
        ("Tas.", "TAS"),
    ],
)
def test_australian_states_as_address_books_write_them(written: str, code: str) -> None:
    assert region_code("AU", written) == code
    assert holiday_region("AU", written) == code


def test_us_states_canadian_provinces_and_nz_regions_by_name_and_code() -> None:
    assert [region_code("US", s) for s in ("CA", "Calif.", "california", "N.Y.", "Tex.")] == [
        "CA",
        "CA",
        "CA",
        "NY",
        "TX",
    ]
    assert [region_code("CA", s) for s in ("Québec", "Que.", "B.C.", "Ontario")] == [
        "QC",
        "QC",
        "BC",
        "ON",
    ]
    assert region_code("NZ", "Chatham Islands") == "CIT"
    # A state is read within its own country: "WA" is Washington in the US.
    assert region_code("AU", "Calif.") is None


@pytest.mark.parametrize(
    ("written", "zone", "day", "what"),
    [
        ("N.S.W.", "Australia/Sydney", date(2026, 12, 28), "Boxing Day observed"),
        ("N.S.W.", "Australia/Sydney", date(2026, 10, 5), "NSW Labour Day"),
        ("Vic.", "Australia/Melbourne", date(2026, 11, 3), "Melbourne Cup Day"),
        ("Qld.", "Australia/Brisbane", date(2027, 3, 27), "Easter Saturday"),
        ("A.C.T.", "Australia/Sydney", date(2027, 6, 14), "King's Birthday"),
        ("W.A.", "Australia/Perth", date(2027, 3, 1), "WA Labour Day"),
        ("S.A.", "Australia/Adelaide", date(2026, 12, 28), "Proclamation Day observed"),
        ("N.T.", "Australia/Darwin", date(2027, 6, 14), "King's Birthday"),
        ("Tas.", "Australia/Hobart", date(2026, 12, 28), "Boxing Day"),
    ],
)
def test_no_call_on_the_customers_own_state_holidays(
    written: str, zone: str, day: date, what: str
) -> None:
    hours = allowed_hours_for("AU", written, zone, None)
    assert not hours.allows(_ten_am(zone, day)), what
    # The next weekday that is no holiday there is open at ten.
    nxt = hours.next_allowed(_ten_am(zone, day))
    assert nxt is not None and nxt.astimezone(ZoneInfo(zone)).date() > day


@pytest.mark.parametrize(
    ("zone", "day", "what"),
    [
        # Lord Howe Island is in NSW, Eucla in WA: each keeps its state's holidays.
        ("Australia/Lord_Howe", date(2026, 10, 5), "NSW Labour Day"),
        ("Australia/Eucla", date(2027, 3, 1), "WA Labour Day"),
        ("Australia/Broken_Hill", date(2026, 10, 5), "NSW Labour Day"),
        # Sydney's zone is kept by NSW and the ACT: Canberra Day (8 Mar 2027) closes it too.
        ("Australia/Sydney", date(2027, 3, 8), "Canberra Day"),
        ("Australia/Sydney", date(2026, 12, 28), "Boxing Day observed"),
    ],
)
def test_with_no_state_every_state_of_the_zone_closes_it(zone: str, day: date, what: str) -> None:
    assert not allowed_hours_for("AU", None, zone, None).allows(_ten_am(zone, day)), what


def test_with_no_state_and_a_foreign_zone_every_australian_state_counts() -> None:
    # An Australian customer kept in the owner's London zone: Melbourne Cup still closes.
    hours = allowed_hours_for("AU", "", "Europe/London", None)
    assert not hours.allows(_ten_am("Europe/London", date(2026, 11, 3)))


def test_lord_howe_and_eucla_belong_to_their_states() -> None:
    assert states_of_zone("AU", "Australia/Lord_Howe") == ("NSW",)
    assert states_of_zone("AU", "Australia/Eucla") == ("WA",)


@pytest.mark.parametrize(
    ("country", "region", "city", "phones", "owner", "zone"),
    [
        # Issue cases: the address wins over the phone and over the owner's zone.
        ("AU", "NT", "", ["+61412555019"], "Australia/Sydney", "Australia/Darwin"),
        ("AU", "NT", "", ["+61889811234"], "Australia/Sydney", "Australia/Darwin"),
        ("AU", "W.A.", "", ["+61412555019"], "Australia/Sydney", "Australia/Perth"),
        ("IN", "", "Pune", [], "Australia/Sydney", "Asia/Kolkata"),
        ("US", "CA", "", ["+12125550134"], "America/New_York", "America/Los_Angeles"),
        ("US", "CA", "", [], "Australia/Sydney", "America/Los_Angeles"),
        ("AU", "", "Perth", ["+61412555019"], "Australia/Sydney", "Australia/Perth"),
        ("ES", "", "", ["+34612345678"], "Australia/Sydney", "Europe/Madrid"),
        # Canada by province; a state's second zone when the phone points to it.
        ("CA", "B.C.", "", [], "America/Toronto", "America/Vancouver"),
        ("NZ", "Chatham Islands", "", ["+64211234567"], "Pacific/Auckland", "Pacific/Chatham"),
        ("NZ", "Canterbury", "", [], "Australia/Sydney", "Pacific/Auckland"),
        ("US", "TX", "", ["+19155550123"], "America/New_York", "America/Denver"),
        # No state: the phone, then the owner's own zone when it is in that country.
        ("US", "", "", ["+12125550134"], "America/Los_Angeles", "America/New_York"),
        ("AU", "", "", ["+61412555019"], "Australia/Perth", "Australia/Perth"),
        ("AU", "", "", [], "Australia/Brisbane", "Australia/Brisbane"),
    ],
)
def test_the_address_first_then_the_phone_then_the_owner(
    country: str, region: str, city: str, phones: list[str], owner: str, zone: str
) -> None:
    assert (
        customer_zone(country=country, region=region, city=city, phones=phones, owner_tz=owner).zone
        == zone
    )


def test_a_state_spanning_zones_asks_when_nothing_tells() -> None:
    texas = customer_zone(country="US", region="Texas", city="", phones=[], owner_tz="UTC")
    assert texas.zone == "America/Chicago"
    assert texas.check is not None and "America/Denver" in texas.check
    # Until told, calls keep to the hours allowed in both zones: 08:00 in Dallas is 07:00
    # in El Paso, 20:30 in El Paso is 21:30 in Dallas.
    hours = allowed_hours_for("US", "Texas", "America/Chicago", None)
    chicago, denver = ZoneInfo("America/Chicago"), ZoneInfo("America/Denver")
    day = date(2026, 11, 24)
    assert not hours.allows(datetime.combine(day, time(8), chicago))
    assert hours.allows(datetime.combine(day, time(9), chicago))
    assert not hours.allows(datetime.combine(day, time(20, 30), denver))
    nxt = hours.next_allowed(datetime.combine(day, time(7), denver))
    assert nxt == datetime.combine(day, time(8), denver)
    # Once their zone is known to be El Paso's, its own hours apply.
    el_paso = allowed_hours_for("US", "TX", "America/Denver", None)
    assert el_paso.allows(datetime.combine(day, time(8), denver))
    assert el_paso.allows(datetime.combine(day, time(20, 30), denver))
    us = customer_zone(country="US", region="", city="", phones=[], owner_tz="Australia/Sydney")
    assert us.zone == "America/New_York" and us.check is not None
    assert customer_zone(country="NZ", region="", city="", phones=[], owner_tz="UTC").check is None


def test_a_new_lead_in_another_country_gets_that_countrys_zone() -> None:
    assert lead_zone("IN", None, "Australia/Sydney") == "Asia/Kolkata"
    assert lead_zone("AU", "+61412555019", "Australia/Perth") == "Australia/Perth"
    assert lead_zone("US", "+12125550134", "Australia/Sydney") == "America/New_York"


# --- against the holidays package ---------------------------------------------------------


@st.composite
def _spelling(draw: st.DrawFn, code: str) -> str:
    """The state as a person might type it: code or name, any case, dots, stray spaces."""
    name = STATES[code][0]
    base = draw(st.sampled_from([code, name]))
    if base == code and draw(st.booleans()):
        base = "".join(f"{ch}." for ch in base)
    base = draw(st.sampled_from([base, base.lower(), base.upper(), base.title()]))
    if draw(st.booleans()):
        base = base.replace(" ", "  ")
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + base + draw(st.sampled_from(["", " ", "."]))


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, str, str, date]:
    code = draw(st.sampled_from(sorted(STATES)))
    spelling = draw(_spelling(code))
    day = draw(st.dates(date(2025, 1, 1), date(2028, 12, 31)))
    return code, spelling, STATES[code][1], day


@settings(max_examples=examples(150), deadline=None)
@given(case=_case(), known=st.booleans())
def test_open_at_ten_exactly_when_no_holiday_of_the_customers_states(
    case: tuple[str, str, str, date], known: bool
) -> None:
    code, spelling, zone, day = case
    states = (code,) if known else states_of_zone("AU", zone)
    holiday = any(day in holidays.country_holidays("AU", subdiv=s) for s in states)
    expected = day.weekday() != 6 and not holiday
    hours = allowed_hours_for("AU", spelling if known else None, zone, None)
    assert hours.allows(_ten_am(zone, day)) is expected, (spelling, zone, day, states)
    if expected:
        # The same hours an hour before opening are closed: the zone is the customer's own.
        assert not hours.allows(_ten_am(zone, day) - timedelta(hours=2))
