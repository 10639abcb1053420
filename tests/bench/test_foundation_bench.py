"""Foundation speed: demo generation, the due query and command start, against bare baselines."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deckfollow.core.due import day_bounds, due_items
from deckfollow.demo.generator import DemoSummary, generate_demo
from deckfollow.storage.database import open_database
from tests.bench.report import median_seconds, record

pytestmark = pytest.mark.bench

OWNER_TZ = "Australia/Sydney"


def _bare_inserts(path: Path, summary: DemoSummary) -> float:
    """The same number of rows, as plain tuples through sqlite3.executemany: the floor."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    tables = {
        "customer": summary.customers,
        "quote": summary.quotes,
        "touch": summary.touches,
        "follow_up": summary.follow_ups,
        "consent_event": summary.consent_events,
    }
    started = time.perf_counter()
    for table, count in tables.items():
        con.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")
        con.executemany(
            f"INSERT INTO {table} (a, b, c) VALUES (?, ?, ?)",
            ((f"name {i}", "2026-11-22 22:00:00.000000", i) for i in range(count)),
        )
    con.commit()
    took = time.perf_counter() - started
    con.close()
    return took


@pytest.mark.parametrize("quotes", [1_000, 20_000, 100_000])
def test_demo_generation_rate(tmp_path: Path, quotes: int, now: datetime) -> None:
    db = open_database(str(tmp_path / "demo.db"))
    started = time.perf_counter()
    with db.unit_of_work() as session:
        summary = generate_demo(
            session, customers=max(quotes * 2 // 5, 1), quotes=quotes, seed=7, now=now, country="AU"
        )
    took = time.perf_counter() - started
    db.close()
    bare = _bare_inserts(tmp_path / "bare.db", summary)
    rows = summary.customers + summary.quotes + summary.touches + summary.follow_ups
    rows += summary.consent_events
    record(
        "foundation",
        f"demo {quotes} quotes ({rows} rows): seconds",
        took,
        "s",
        "20k well under 60 s",
    )
    record("foundation", f"demo {quotes} quotes: quotes per second", quotes / took, "q/s")
    record("foundation", f"demo {quotes} quotes: ratio to bare sqlite3 inserts", took / bare, "x")
    if quotes == 20_000:
        assert took < 60, "20,000 quotes must generate in well under a minute"


def test_due_query_against_raw_sqlite(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "due.db"
    db = open_database(str(path))
    with db.unit_of_work() as session:
        generate_demo(session, customers=8_000, quotes=20_000, seed=7, now=now, country="AU")
    day = now.astimezone(ZoneInfo(OWNER_TZ)).date()

    def ours() -> int:
        with db.reading() as session:
            return len(due_items(session, day=day, now=now, owner_tz=OWNER_TZ))

    _, end = day_bounds(day, OWNER_TZ)
    end_text = end.strftime("%Y-%m-%d %H:%M:%S.%f")
    con = sqlite3.connect(path)

    def bare() -> int:
        rows = con.execute(
            "SELECT f.id, c.display_name, q.number, q.job,"
            " coalesce(f.snoozed_until, f.due_at) AS d, f.channel, f.reason, f.basis,"
            " c.phone_cell, c.email, c.timezone"
            " FROM follow_up f JOIN customer c ON c.id = f.customer_id"
            " LEFT JOIN quote q ON q.id = f.quote_id"
            " WHERE f.status = 'pending' AND d < ? AND c.do_not_contact = 0"
            " ORDER BY d, f.id",
            (end_text,),
        ).fetchall()
        return len(rows)

    n_ours, n_bare = ours(), bare()
    t_ours = median_seconds(ours)
    t_bare = median_seconds(bare)
    con.close()
    db.close()
    record("foundation", f"due today on 20k quotes ({n_ours} items): median", t_ours * 1000, "ms")
    record("foundation", f"due today, bare sqlite3 ({n_bare} rows): median", t_bare * 1000, "ms")
    record("foundation", "due today: ratio to bare sqlite3", t_ours / t_bare, "x")
    assert n_ours <= n_bare  # ours also leaves out revoked channels and paused cadences


def test_command_start_against_bare_python() -> None:
    def run(*args: str) -> None:
        subprocess.run([sys.executable, *args], check=True, capture_output=True)

    ours = median_seconds(lambda: run("-m", "deckfollow", "--version"), repeat=5)
    bare = median_seconds(lambda: run("-c", "pass"), repeat=5)
    record("foundation", "deckfollow --version: median start", ours * 1000, "ms")
    record("foundation", "bare python -c pass: median start", bare * 1000, "ms")
    record("foundation", "command start: ratio to bare python", ours / bare, "x")
