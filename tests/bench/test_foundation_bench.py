"""Foundation speed: demo generation against bare inserts.

The due list and a command's start are measured on the real command against a bare script
running the identical SQL in `test_commands_bench.py` (the figures here once compared a
simpler query with other rows, and timed `--version`, which never opens the database).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from deckfollow.demo.generator import DemoSummary, generate_demo
from deckfollow.storage.database import open_database
from tests.bench.report import record

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
