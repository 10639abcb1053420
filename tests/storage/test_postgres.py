"""The same storage and rules on a real PostgreSQL server (the shared team database)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from deckfollow.core.consent import revoke_consent
from deckfollow.core.due import due_items
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.errors import ConcurrentEditError, PermissionRefused
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.exchange.json_export import build_export
from deckfollow.storage import schema
from deckfollow.storage.database import Database


def test_migrations_run_on_postgresql(pg: Database):
    with pg.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD


def test_rules_hold_on_postgresql(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(
                "Pia Team",
                phone="+61412000222",
                country="AU",
                timezone="Australia/Sydney",
                answered=True,
            ),
            now=now,
        )
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                now + timedelta(hours=2),
                Channel.CALL,
                "Confirm the measure-up time",
                Basis.AGREED,
                "Call me at 11",
            ),
            now=now,
        )
    with pg.reading() as s:
        assert (
            len(
                due_items(
                    s, day=now.date() + timedelta(days=1), now=now, owner_tz="Australia/Sydney"
                )
            )
            == 1
        )
    with pg.unit_of_work() as s:
        revoke_consent(s, lead.customer_id, None, source="phone call", words="Please stop", now=now)
    with pg.reading() as s:
        assert (
            due_items(s, day=now.date() + timedelta(days=1), now=now, owner_tz="Australia/Sydney")
            == []
        )
        export = build_export(s, now=now)
    assert export["customers"][0]["do_not_contact"] is True
    with (
        pytest.raises(PermissionRefused, match="asked not to be contacted"),
        pg.unit_of_work() as s,
    ):
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(now + timedelta(days=1), Channel.EMAIL, "Send the brochure"),
            now=now,
        )


def test_the_ledger_is_append_only_on_postgresql(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        lead = add_lead(s, NewLead("Led Ger", email="ledger@example.com", answered=True), now=now)
        revoke_consent(s, lead.customer_id, None, source="email", words="no thanks", now=now)
    with pytest.raises(DBAPIError, match="append-only"), pg.engine.begin() as conn:
        conn.execute(text("UPDATE consent_event SET words = 'changed'"))


def test_two_people_editing_the_same_customer_never_overwrite_silently(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        cid = add_lead(s, NewLead("Shared Customer", answered=True), now=now).customer_id
    with pg.reading() as s:  # I open the customer
        me = s.get(Customer, cid)
        assert me is not None
    with pg.unit_of_work() as theirs:  # a colleague saves first
        them = theirs.get(Customer, cid)
        assert them is not None
        them.notes = "Prefers morning calls"
    me.notes = "Has two dogs"
    with (
        pytest.raises(ConcurrentEditError, match="someone else changed"),
        pg.unit_of_work() as mine,
    ):
        mine.merge(me)  # my save is checked against the version I started from
    with pg.reading() as s:
        assert s.get(Customer, cid).notes == "Prefers morning calls"  # type: ignore[union-attr]
