"""`deckfollow ics`: a calendar file an independent parser reads back event by event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.follow_up_closing import close_follow_up
from deckfollow.reminders.snooze import snooze
from deckfollow.storage.database import Database
from tests.reminders.helpers import add_follow_up

from .helpers import run_cli

SYD = ZoneInfo("Australia/Sydney")
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def _events(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    data = path.read_bytes()
    # RFC 5545: every line ends CRLF and no line is longer than 75 octets.
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    assert "deckfollow" in str(cal["PRODID"])
    zones: dict[str, Any] = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
    events: dict[str, Any] = {}
    for ev in cal.walk("VEVENT"):
        tzid = ev["DTSTART"].params.get("TZID")
        assert tzid in zones, f"no VTIMEZONE for {tzid}"
        events[str(ev["UID"])] = ev
    return events, zones


def _by_summary(events: dict[str, Any]) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in events.values()}


def _start_via_vtimezone(ev: Any, zones: dict[str, Any]) -> datetime:
    """DTSTART read with the file's own VTIMEZONE (not the parser's tz database)."""
    prop = ev["DTSTART"]
    tz = zones[prop.params["TZID"]].to_tz(lookup_tzid=False)
    wall = prop.dt.replace(tzinfo=None)
    instant: datetime = wall.replace(tzinfo=tz).astimezone(UTC)
    return instant


@pytest.fixture
def people(db: Database, now: datetime) -> dict[str, int]:
    ids = {
        "jane": add_follow_up(
            db,
            now,
            datetime(2026, 11, 23, 10, tzinfo=SYD),
            name="Jane Smith",
            reason="Check the deck stain, colour; and the step height",
        ),
        "bob": add_follow_up(
            db,
            now,
            datetime(2026, 11, 24, 18, 30, tzinfo=NY),
            window_end=datetime(2026, 11, 24, 19, 30, tzinfo=NY),
            name="Bob Ortiz",
            basis=Basis.AGREED,
            tz="America/New_York",
            country="US",
            reason="He wants to hear back after talking to his wife",
        ),
        "kim": add_follow_up(
            db,
            now,
            datetime(2026, 11, 25, 9, tzinfo=SYD),
            name="Kim Nguyen",
            channel=Channel.EMAIL,
            reason="Send the revised pergola quote",
        ),
        # Daylight saving starts in Sydney 4 Oct 2026 and ends 4 Apr 2027: after the change.
        "late": add_follow_up(
            db,
            now,
            datetime(2027, 4, 6, 9, 30, tzinfo=SYD),
            name="Lou Autumn",
            reason="Six months on: how has the deck weathered?",
        ),
    }
    return ids


def test_ics_file_is_read_back_event_by_event(
    db: Database, db_path: Path, people: dict[str, int], tmp_path: Path
):
    out = tmp_path / "followups.ics"
    res = run_cli(
        "--db",
        str(db_path),
        "--now",
        "2026-11-22T22:00Z",
        "ics",
        "--out",
        str(out),
        "--days",
        "200",
    )
    assert res.returncode == 0, res.stderr
    assert f"Wrote 4 follow-ups (next 200 days and overdue) to {out}" in res.stdout
    assert out.stat().st_mode & 0o777 == 0o600  # customers' phone numbers: owner only
    events, zones = _events(out)
    assert set(zones) == {"Australia/Sydney", "America/New_York"}
    ev = _by_summary(events)
    assert set(ev) == {
        "Call Jane Smith",
        "Call Bob Ortiz",
        "Email Kim Nguyen",
        "Call Lou Autumn",
    }

    jane = ev["Call Jane Smith"]
    assert jane["DTSTART"].params["TZID"] == "Australia/Sydney"
    assert jane.decoded("DTSTART") == datetime(2026, 11, 23, 10, tzinfo=SYD)
    assert jane.decoded("DTEND") - jane.decoded("DTSTART") == timedelta(minutes=15)
    assert _start_via_vtimezone(jane, zones) == datetime(2026, 11, 22, 23, tzinfo=UTC)
    description = str(jane["DESCRIPTION"])
    assert description.startswith("Check the deck stain, colour; and the step height\n")
    assert "Mobile: +61 412 0" in description  # written as a person writes it
    assert "Hardwood deck" in description
    assert str(jane["CONTACT"]).startswith("Jane Smith, +61 412 0")
    assert str(jane["STATUS"]) == "CONFIRMED"
    assert jane.decoded("DTSTAMP") == datetime(2026, 11, 22, 22, tzinfo=UTC)

    bob = ev["Call Bob Ortiz"]
    assert bob["DTSTART"].params["TZID"] == "America/New_York"
    assert _start_via_vtimezone(bob, zones) == datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert bob.decoded("DTEND") == datetime(2026, 11, 24, 19, 30, tzinfo=NY)
    assert 'Agreed with the customer: "Ring me then"' in str(bob["DESCRIPTION"])
    assert "Mobile: +1 212-555-" in str(bob["DESCRIPTION"])

    # After the autumn change Sydney is +10:00 again; the file's own VTIMEZONE knows it.
    lou = ev["Call Lou Autumn"]
    assert _start_via_vtimezone(lou, zones) == datetime(2027, 4, 5, 23, 30, tzinfo=UTC)
    assert "Email: c" in str(ev["Email Kim Nguyen"]["DESCRIPTION"])


def test_a_second_export_updates_the_same_events(
    db: Database, db_path: Path, people: dict[str, int], tmp_path: Path, now: datetime
):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    args = ("--db", str(db_path), "--now")
    assert run_cli(*args, "2026-11-22T22:00Z", "ics", "--out", str(first)).returncode == 0
    later = now + timedelta(hours=2)
    with db.unit_of_work() as s:
        snooze(s, people["jane"], datetime(2026, 11, 23, 14, tzinfo=SYD), now=later)
        close_follow_up(s, people["kim"], FollowUpStatus.DONE, now=later)
    res = run_cli(*args, "2026-11-23T00:00Z", "ics", "--out", str(second))
    assert res.returncode == 0, res.stderr
    a, b = _by_summary(_events(first)[0]), _by_summary(_events(second)[0])
    # Same UIDs for the same follow-ups: a calendar re-import replaces instead of duplicating.
    assert {k: str(v["UID"]) for k, v in a.items()} == {k: str(v["UID"]) for k, v in b.items()}
    # The default is 60 days ahead: the April follow-up is not in either file.
    assert set(b) == {"Call Jane Smith", "Call Bob Ortiz", "Email Kim Nguyen"}
    assert len({str(v["UID"]) for v in b.values()}) == 3
    assert all(str(v["UID"]).endswith("@deckfollow") for v in b.values())
    jane_a, jane_b = a["Call Jane Smith"], b["Call Jane Smith"]
    assert int(jane_b["SEQUENCE"]) > int(jane_a["SEQUENCE"])
    assert jane_b.decoded("DTSTART") == datetime(2026, 11, 23, 14, tzinfo=SYD)
    kim = b["Email Kim Nguyen"]
    assert str(kim["STATUS"]) == "CANCELLED"
    assert int(kim["SEQUENCE"]) > int(a["Email Kim Nguyen"]["SEQUENCE"])
    assert "+61" not in kim.to_ical().decode()
    # Unchanged follow-ups keep their sequence.
    assert int(b["Call Bob Ortiz"]["SEQUENCE"]) == int(a["Call Bob Ortiz"]["SEQUENCE"])


def test_ics_to_stdout_and_bad_arguments(db: Database, db_path: Path, tmp_path: Path):
    res = run_cli("--db", str(db_path), "ics", "--out", "-")
    assert res.returncode == 0
    assert res.stdout.startswith("BEGIN:VCALENDAR\r\n") or res.stdout.startswith(
        "BEGIN:VCALENDAR\n"
    )
    res = run_cli("--db", str(db_path), "ics", "--out", str(tmp_path / "no" / "x.ics"))
    assert res.returncode == 2
    assert "no folder" in res.stderr
    res = run_cli("--db", str(db_path), "ics", "--out", str(tmp_path / "x.ics"), "--days", "0")
    assert res.returncode == 2
    res = run_cli("--db", str(db_path), "ics", "--out", str(tmp_path))
    assert res.returncode == 2
    assert "is a folder" in res.stderr
    # A file the system refuses to create: one line, no traceback.
    res = run_cli("--db", str(db_path), "ics", "--out", str(tmp_path / ("x" * 300 + ".ics")))
    assert res.returncode == 2
    assert res.stderr.startswith("deckfollow: error: --out: could not write")
    assert "File name too long" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_long_non_ascii_text_folds_and_reads_back_exactly(
    db: Database, db_path: Path, now: datetime, tmp_path: Path
):
    reason = (
        "Zoë wants the spotted-gum deck quote (€ not $) re-done with the 140 mm boards, "
        "stain in “Jarrah” and the step height checked; she said, “ring after 4”"
    )
    add_follow_up(
        db,
        now,
        datetime(2026, 11, 23, 10, tzinfo=SYD),
        name="Zoë Müller-Łukasiewicz",
        reason=reason,
    )
    out = tmp_path / "x.ics"
    res = run_cli("--db", str(db_path), "--now", "2026-11-22T22:00Z", "ics", "--out", str(out))
    assert res.returncode == 0, res.stderr
    events, _zones = _events(out)  # checks every line is at most 75 octets
    [event] = events.values()
    assert str(event["SUMMARY"]).startswith("Call Zoë Müller-Łukasiewicz")
    assert str(event["DESCRIPTION"]).splitlines()[0] == reason


def test_a_customer_without_a_mobile_has_the_office_and_home_numbers_in_the_event(
    db: Database, db_path: Path, now: datetime, tmp_path: Path
):
    from deckfollow.core.models import Customer, FollowUp

    fid = add_follow_up(
        db, now, datetime(2026, 11, 23, 10, tzinfo=SYD), name="Office Olive", reason="Site visit"
    )
    with db.unit_of_work() as s:
        fu = s.get(FollowUp, fid)
        assert fu is not None
        customer = s.get(Customer, fu.customer_id)
        assert customer is not None
        # As an Outlook export often has it: a business and a home number, no mobile.
        customer.phone_cell = None
        customer.phone_office = "+61298765432"
        customer.phone_home = "+61295551234"
    out = tmp_path / "f.ics"
    res = run_cli("--db", str(db_path), "--now", "2026-11-22T22:00Z", "ics", "--out", str(out))
    assert res.returncode == 0, res.stderr
    events, _zones = _events(out)
    olive = _by_summary(events)["Call Office Olive"]
    lines = str(olive["DESCRIPTION"]).splitlines()
    assert lines[:3] == ["Site visit", "Office: +61 2 9876 5432", "Home: +61 2 9555 1234"]
    assert str(olive["CONTACT"]) == "Office Olive, +61 2 9876 5432"
