"""Reminder checks and the calendar export on a 20k-quote database, against bare sqlite3."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from deckfollow.demo.generator import generate_demo
from deckfollow.reminders.check import run_check
from deckfollow.reminders.ics import export_calendar
from deckfollow.reminders.scheduler import claim_due, next_due_at
from deckfollow.storage.database import open_database

from .report import median_seconds, record

pytestmark = pytest.mark.bench


def test_reminder_check_on_20k_quotes(tmp_path: Path, now: datetime) -> None:
    template = tmp_path / "template.db"
    db = open_database(str(template))
    with db.unit_of_work() as session:
        generate_demo(session, customers=8_000, quotes=20_000, seed=7, now=now, country="AU")
    db.close()
    con = sqlite3.connect(template)
    pending = con.execute("SELECT count(*) FROM follow_up WHERE status = 'pending'").fetchone()[0]
    now_text = now.strftime("%Y-%m-%d %H:%M:%S.%f")

    def bare() -> int:
        rows = con.execute(
            "SELECT f.id, c.display_name, coalesce(f.snoozed_until, f.due_at) AS d,"
            " f.channel, f.reason, c.phone_cell, c.timezone"
            " FROM follow_up f JOIN customer c ON c.id = f.customer_id"
            " WHERE f.status = 'pending' AND d <= ? AND c.do_not_contact = 0"
            " AND (f.notified_at IS NULL OR f.notified_at < d) ORDER BY d, f.id",
            (now_text,),
        ).fetchall()
        return len(rows)

    # The first check after a long absence claims everything overdue (a fresh copy each run).
    claims: list[float] = []
    claimed = 0
    for i in range(3):
        path = tmp_path / f"run{i}.db"
        shutil.copyfile(template, path)
        run_db = open_database(str(path), create=False)
        started = time.perf_counter()
        with run_db.unit_of_work() as session:
            claimed = len(claim_due(session, now).all)
        claims.append(time.perf_counter() - started)
        run_db.close()
    claims.sort()

    # The steady state: the check every timer wake pays when nothing new is due.
    db = open_database(str(tmp_path / "run0.db"), create=False)

    def steady() -> int:
        with db.unit_of_work() as session:
            return len(run_check(session, now).notices)

    def wake() -> datetime | None:
        with db.reading() as session:
            return next_due_at(session, now + timedelta(minutes=1))

    def ics() -> int:
        with db.unit_of_work() as session:
            text, _n = export_calendar(session, now=now, days=60)
        return len(text)

    n_bare = bare()
    t_bare = median_seconds(bare)
    t_steady = median_seconds(steady)
    t_wake = median_seconds(wake)
    t_ics = median_seconds(ics, repeat=3)
    with db.unit_of_work() as session:
        _text, events = export_calendar(session, now=now, days=60)
    db.close()
    con.close()
    section = "reminders"
    record(section, "20k quotes: pending follow-ups", pending, "rows")
    record(section, f"first check claims all overdue ({claimed}): median", claims[1] * 1000, "ms")
    record(section, f"bare sqlite3 select of the same ({n_bare} rows): median", t_bare * 1000, "ms")
    record(section, "first check: ratio to bare select", claims[1] / t_bare, "x")
    record(section, "steady check (nothing new) incl. digest: median", t_steady * 1000, "ms", "<50")
    record(section, "steady check: ratio to bare select", t_steady / t_bare, "x")
    record(section, "next wake time query: median", t_wake * 1000, "ms")
    record(section, f"ics export, 60 days ({events} events): median", t_ics * 1000, "ms")
    assert claimed == n_bare or claimed <= n_bare
    assert t_steady < 1.0, "a timer wake must stay cheap"
