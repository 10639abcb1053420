"""The hot queries use the index they should, with and without SQLite's statistics.

A card, Today's script and an email's fill-in each look up the customer's next agreed
follow-up; planned on the business-wide `ix_follow_up_status_due` index, that lookup walked
every pending follow-up for every card, so printing cards grew with the square of the
business.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select
from sqlalchemy.dialects import sqlite

from deckfollow.core.followups import pending_of_customer_query
from deckfollow.core.merge_fields import next_agreed_query
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import open_database
from tests.conftest import Prebuilt


def _plan(path: Path, stmt: Select[Any]) -> str:
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    finally:
        conn.close()
    return "\n".join(str(r[3]) for r in rows)


def _business(path: Path, now: datetime) -> None:
    db = open_database(str(path))
    with db.unit_of_work() as session:
        generate_demo(session, customers=60, quotes=120, seed=3, now=now)
    db.close()


@pytest.fixture
def business(db_path: Path, now: datetime, prebuilt: Prebuilt) -> Path:
    """The demo business, built once and copied: each test may change its own copy."""
    return prebuilt.file(("query plans demo", now), lambda path: _business(path, now), db_path)


def _drop_statistics(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("statistics", [True, False])
def test_next_agreed_follow_up_is_looked_up_through_the_customer(business: Path, statistics: bool):
    if not statistics:
        _drop_statistics(business)
    assert "USING INDEX ix_follow_up_customer_status (customer_id=? AND status=?)" in _plan(
        business, next_agreed_query(7, None)
    )
    for_quote = _plan(business, next_agreed_query(7, 12))
    assert "ix_follow_up_status_due" not in for_quote
    assert "USING INDEX" in for_quote and "SCAN" not in for_quote


@pytest.mark.parametrize("statistics", [True, False])
def test_refitting_a_customers_follow_ups_reads_only_theirs(business: Path, statistics: bool):
    # Run after every agreement and change of hours: walking the business's pending
    # follow-ups each time made entering a large business grow with its square.
    if not statistics:
        _drop_statistics(business)
    plan = _plan(business, pending_of_customer_query(7))
    assert "USING INDEX ix_follow_up_customer_status (customer_id=? AND status=?)" in plan
    assert "ix_follow_up_status_due" not in plan


def test_a_writing_command_leaves_statistics_for_the_planner(business: Path):
    conn = sqlite3.connect(business)
    tables = {r[0] for r in conn.execute("SELECT tbl FROM sqlite_stat1")}
    conn.close()
    assert {"follow_up", "quote", "customer"} <= tables


# -- the reports (migration 0005's indexes) ---------------------------------------------------


def _month_scope(now: datetime, member: str | None = None) -> Any:
    from deckfollow.core.report_periods import PeriodKind, period_of
    from deckfollow.core.reports import ReportOptions, scope_of

    period = period_of(PeriodKind.THIS_MONTH, timezone="Australia/Sydney", country="AU", now=now)
    return scope_of(period, now=now, options=ReportOptions(), member=member)


@pytest.mark.parametrize("statistics", [True, False])
def test_each_report_filter_reads_its_period_through_the_date_index(
    business: Path, now: datetime, statistics: bool
):
    from sqlalchemy import select

    from deckfollow.core.enums import Stage
    from deckfollow.core.models import Quote
    from deckfollow.core.reports_sql import closed_in_period, cohort, leads

    if not statistics:
        _drop_statistics(business)
    scope = _month_scope(now)
    for where, index in (
        (cohort(scope), "ix_quote_sent_at (sent_at>? AND sent_at<?)"),
        (closed_in_period(scope, Stage.WON, Stage.LOST), "ix_quote_closed_at (closed_at>?"),
        (leads(scope), "ix_quote_received_at (received_at>? AND received_at<?)"),
    ):
        plan = _plan(business, select(Quote.id).where(where))
        assert f"USING INDEX {index}" in plan, plan
        assert "SCAN quote" not in plan


@pytest.mark.parametrize("statistics", [True, False])
def test_follow_up_discipline_reads_the_period_s_follow_ups_and_their_touches_by_index(
    business: Path, now: datetime, statistics: bool
):
    from sqlalchemy import select

    from deckfollow.core.reports import follow_ups_due

    if not statistics:
        _drop_statistics(business)
    due = follow_ups_due(_month_scope(now, member="dana"))
    plan = _plan(business, select(due.c.cat))
    assert "SEARCH follow_up USING INDEX ix_follow_up_due_at (due_at>? AND due_at<?)" in plan
    # The touch that kept each follow-up: found by its own index, once a follow-up.
    assert plan.count("USING INDEX ix_touch_follow_up_id (follow_up_id=?)") == 1, plan
    assert "SCAN touch" not in plan and "SCAN follow_up" not in plan
