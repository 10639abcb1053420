"""Cadences, consent and the rules audit on a real PostgreSQL server (team mode)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger_entries
from deckfollow.core.do_not_contact import merge_consent
from deckfollow.core.enums import Channel, ConsentChannel, ConsentEventKind, FollowUpStatus
from deckfollow.core.follow_up_closing import complete_step
from deckfollow.core.followups import agree_follow_up, agreed_plan, audit_rules
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, FollowUp
from deckfollow.storage.database import Database


def test_cadences_and_stop_on_postgresql(pg: Database, now: datetime):
    with pg.unit_of_work() as s:
        seed_builtin_cadences(s)
        assert seed_builtin_cadences(s) == 0
        a = add_lead(
            s,
            NewLead("Pia Team", country="AU", timezone="Australia/Sydney", answered=True),
            now=now,
        )
        b = add_lead(
            s, NewLead("Pia T.", country="AU", timezone="Australia/Sydney", answered=True), now=now
        )
        plan = agreed_plan(
            date(2026, 11, 24),
            time(11),
            None,
            "Australia/Sydney",
            Channel.CALL,
            "Confirm the measure-up",
            "Call me Tuesday at 11",
        )
        agree_follow_up(s, a.customer_id, a.quote_id, plan, now=now, source="phone call")
        start_cadence(s, a.customer_id, "after_quote", quote_id=a.quote_id, now=now)
        revoke_consent(
            s, a.customer_id, ConsentChannel.TEXT, source="text reply", words="STOP", now=now
        )
        assert audit_rules(s) == []
    with pg.unit_of_work() as s:
        step = s.execute(
            select(FollowUp).where(
                FollowUp.cadence_run_id.is_not(None), FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalar_one()
        assert step.channel is Channel.CALL
        complete_step(s, step.id, now=step.due_at)
        nxt = s.execute(
            select(FollowUp).where(
                FollowUp.cadence_run_id.is_not(None), FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalar_one()
        assert nxt.channel is Channel.EMAIL
        revoke_consent(s, b.customer_id, None, source="email", words="stop", now=now)
        merge_consent(s, a.customer_id, b.customer_id, source="merged duplicates", now=now)
    with pg.reading() as s:
        kept = s.get(Customer, a.customer_id)
        assert kept is not None and kept.do_not_contact
        pending = s.execute(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)
        ).first()
        assert pending is None
        assert ledger_entries(s, a.customer_id)[-1].kind is ConsentEventKind.DO_NOT_CONTACT
