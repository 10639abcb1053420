"""The demo on a team's PostgreSQL database: everything added after it gets a fresh id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.enums import ConsentChannel
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import ConsentEvent, Customer, Quote
from deckfollow.storage.database import open_database
from tests.cli.helpers import run_cli
from tests.storage.pg_server import postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_after_the_demo_new_leads_and_consent_changes_save_on_postgresql(pg_url: str) -> None:
    now = "2026-11-22T22:00Z"
    demo = run_cli("--db", pg_url, "--now", now, "demo", "--customers", "30", "--quotes", "40")
    assert demo.returncode == 0, demo.stderr
    lead = run_cli(
        "--db", pg_url, "--now", now, "add-lead", "--name", "After Demo", "--country", "AU"
    )
    assert lead.returncode == 0, lead.stderr
    assert "Traceback" not in lead.stderr and "duplicate key" not in lead.stderr

    db = open_database(pg_url)
    try:
        at = datetime(2026, 11, 23, tzinfo=UTC)
        with db.unit_of_work() as s:
            created = add_lead(s, NewLead("Second After", country="AU"), now=at)
            revoke_consent(
                s, created.customer_id, ConsentChannel.CALL, source="phone", words=None, now=at
            )
        with db.reading() as s:
            assert s.execute(select(func.count(Customer.id))).scalar_one() == 32
            assert s.execute(select(func.max(Quote.id))).scalar_one() == created.quote_id
            newest = s.execute(select(func.max(ConsentEvent.id))).scalar_one()
            assert s.get(ConsentEvent, newest).customer_id == created.customer_id  # type: ignore[union-attr]
    finally:
        db.close()
