"""An imported customer's zone comes from their own address first, and the preview says why.

Each row is a case that went wrong before: a state or country overridden by a guess from
the phone or the owner's zone.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from deckfollow.exchange.csv_import import RowAction, plan_import
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.storage.database import Database
from tests.exchange.import_helpers import csv_bytes, customers, import_bytes, set_owner

HEADER = ["Name", "Mobile", "Phone", "City", "State", "Country"]
ROWS = [
    # (row, expected zone, words of the reason)
    (["Ann Territory", "0412 555 019", "", "", "NT", "Australia"], "Australia/Darwin", "state"),
    (["Bob Landline", "", "08 8981 1234", "", "NT", "Australia"], "Australia/Darwin", "state"),
    (["Cat Westie", "0412 555 020", "", "", "W.A.", "Australia"], "Australia/Perth", "state"),
    (["Dev Pune", "", "", "Pune", "", "India"], "Asia/Kolkata", "country"),
    (["Eve Coast", "", "(212) 555-0134", "", "CA", "USA"], "America/Los_Angeles", "state"),
    (["Fay Bay", "", "", "San Francisco", "CA", "USA"], "America/Los_Angeles", "state"),
    (["Gus Perth", "0412 555 021", "", "Perth", "", "Australia"], "Australia/Perth", "city"),
    (["Hal Madrid", "+34 612 345 678", "", "", "", "Spain"], "Europe/Madrid", "country"),
    (["Ida Given", "0412 555 023", "", "", "NSW", "Australia"], "Australia/Sydney", "state"),
]


def test_each_row_gets_the_zone_of_its_own_address(db: Database) -> None:
    set_owner(db, "AU", "Australia/Sydney")
    table = read_csv(csv_bytes(HEADER, [r for r, _z, _w in ROWS]))
    with db.reading() as s:
        plan = plan_import(s, table)
    got = [(r.name, r.values.timezone if r.values else None) for r in plan.rows]
    assert got == [(r[0], zone) for r, zone, _w in ROWS]
    for row, (_r, _zone, word) in zip(plan.rows, ROWS, strict=True):
        assert row.values is not None and word in row.values.zone_reason, row.values


def test_a_us_row_with_no_phone_is_not_given_the_owners_zone(db: Database, now: datetime) -> None:
    set_owner(db, "US", "America/New_York")
    data = csv_bytes(HEADER, [["Fay Bay", "", "", "San Francisco", "Calif.", ""]])
    plan = import_bytes(db, data, now)
    assert plan.imported == 1
    saved = customers(db)["Fay Bay"]
    # Stored as adding her by hand stores it: the state's code, so envelopes and holidays agree.
    assert (saved.country, saved.region, saved.timezone) == ("US", "CA", "America/Los_Angeles")


def test_a_state_spanning_two_zones_asks_the_user_to_check(db: Database) -> None:
    set_owner(db, "US", "America/New_York")
    table = read_csv(
        csv_bytes(
            HEADER,
            [
                ["Tex Dallas", "", "", "Dallas", "TX", "USA"],
                ["Tex El Paso", "", "(915) 555-0123", "", "TX", "USA"],
            ],
        )
    )
    with db.reading() as s:
        plan = plan_import(s, table)
    dallas, el_paso = plan.rows
    assert dallas.values is not None and dallas.values.timezone == "America/Chicago"
    assert any("TX spans 2 time zones" in p for p in dallas.problems)
    # The phone settles it: no question.
    assert el_paso.values is not None and el_paso.values.timezone == "America/Denver"
    assert el_paso.problems == ()


OUTLOOK = [
    "First Name",
    "Last Name",
    "E-mail Address",
    "Mobile Phone",
    "Business Phone",
    "Home Phone",
    "Home Street",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
]


@pytest.mark.parametrize(("state", "zone"), [("", "Australia/Sydney"), ("W.A.", "Australia/Perth")])
def test_an_outlook_address_with_only_a_country_keeps_it_and_its_mobile(
    db: Database, now: datetime, state: str, zone: str
) -> None:
    set_owner(db, "US", "America/New_York")
    row = ["Ivy", "Holdout", "", "0412 555 022", "", "", "", "", state, "", "Australia"]
    plan = import_bytes(db, csv_bytes(OUTLOOK, [row]), now)
    assert [r.action for r in plan.rows] == [RowAction.IMPORT]
    saved = customers(db)["Ivy Holdout"]
    assert (saved.country, saved.phone_cell, saved.timezone) == ("AU", "+61412555022", zone)


def test_a_google_address_with_only_a_region_keeps_it(db: Database) -> None:
    set_owner(db, "AU", "Australia/Sydney")
    header = ["First Name", "Last Name", "Phone 1 - Label", "Phone 1 - Value"]
    header += ["Address 1 - Street", "Address 1 - City", "Address 1 - Region"]
    header += ["Address 1 - Country"]
    table = read_csv(
        csv_bytes(header, [["Kim", "West", "Mobile", "0412 555 024", "", "", "WA", ""]])
    )
    with db.reading() as s:
        plan = plan_import(s, table)
    values = plan.rows[0].values
    assert values is not None and (values.region, values.timezone) == ("WA", "Australia/Perth")
