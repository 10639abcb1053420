"""Reminder state on a real PostgreSQL server (team mode): two app instances, one reminder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deckfollow.reminders.check import run_check
from deckfollow.reminders.ics import export_calendar
from deckfollow.reminders.scheduler import claim_due, next_due_at
from deckfollow.reminders.snooze import snooze
from deckfollow.storage.database import Database, open_database
from tests.storage.pg_server import postgres_server

from .helpers import add_follow_up

SYD = ZoneInfo("Australia/Sydney")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    db = open_database(pg_url)
    yield db
    db.close()


def test_reminders_once_across_two_instances_on_postgresql(pg: Database, pg_url: str):
    start = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
    due = datetime(2026, 11, 23, 10, tzinfo=SYD).astimezone(UTC)
    fid = add_follow_up(pg, start, due, name="Team Member Test")
    other = open_database(pg_url)
    try:
        with pg.reading() as s:
            assert next_due_at(s, start) == due
        with pg.unit_of_work() as s1:
            first = claim_due(s1, due)
        with other.unit_of_work() as s2:
            second = claim_due(s2, due + timedelta(seconds=5))
        assert [r.follow_up_id for r in first.all] == [fid]
        assert second.all == []
        with other.unit_of_work() as s:
            snooze(s, fid, due + timedelta(hours=1), now=due)
        with pg.unit_of_work() as s:
            result = run_check(s, due + timedelta(hours=1))
        assert [r.follow_up_id for r in result.batch.all] == [fid]
        with pg.unit_of_work() as s:
            text, count = export_calendar(s, now=due, days=30)
        assert count == 1
        assert "SUMMARY:Call Team Member Test" in text
    finally:
        other.close()
