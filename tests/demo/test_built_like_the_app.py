"""The demo shows what the app itself would have made: customers stored as the
new-customer service stores them, every touch logged as `log_touch` logs it, a waiting
lead's first reply is the one the core plans for a typed-in lead (and is settled the same
way), every agreed follow-up has its ledger entry, made by the core, every quote is entered as
the quote services enter one, and the demo writes no row itself."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import deckfollow.demo
from deckfollow.core.contact_snapshot import load_snapshot
from deckfollow.core.customers import NewCustomer, checked_customer
from deckfollow.core.due_list import FIRST_REPLY
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    Direction,
    FollowUpStatus,
    LedgerSource,
    Outcome,
    Stage,
)
from deckfollow.core.followups import FollowUpPlan, audit_rules, planned_times
from deckfollow.core.leads import (
    NewLead,
    add_lead,
    first_reply_channel,
    first_reply_reason,
    unanswered_leads,
    waiting_first_reply,
)
from deckfollow.core.models import ChannelConsent, ConsentEvent, Customer, FollowUp, Quote, Touch
from deckfollow.core.permission import find_slot
from deckfollow.core.quotes import sent_moment
from deckfollow.core.settings import load_settings
from deckfollow.core.touch_rows import TouchRows
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database, open_database

DEMO = Path(deckfollow.demo.__file__).parent
# Calls that put rows into the database: on a session (the ORM), or an insert (Core).
_SESSION_WRITES = {"add", "add_all", "merge", "bulk_save_objects", "bulk_insert_mappings"}
# What the demo still inserts itself, and why each kind is not yet made through the core:
# nothing. Quotes were the last (`quotes_entered`, through `core.quote_batch`).
_STILL_WRITTEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def business(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from tests.conftest import FROZEN_NOW

    db = open_database(str(tmp_path_factory.mktemp("like-app") / "demo.db"))
    with db.unit_of_work() as session:
        generate_demo(session, customers=250, quotes=600, seed=11, now=FROZEN_NOW, country="AU")
    return db


def _writes_in(path: Path) -> list[str]:
    """`function: call` for every row-writing call in a module, by the function it is in."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            if isinstance(called, ast.Name) and called.id == "insert":
                found.append(f"{fn.name}: insert")
            elif isinstance(called, ast.Attribute) and (
                called.attr == "insert"
                or (
                    called.attr in _SESSION_WRITES
                    and ast.unparse(called.value).split(".")[-1] in ("session", "s")
                )
            ):
                found.append(f"{fn.name}: {ast.unparse(called)}")
    return found


def test_no_demo_module_writes_rows() -> None:
    # Every row is made by a core service (or its batch form): the demo only decides what
    # happened and when.
    offenders = {path.name: w for path in sorted(DEMO.glob("*.py")) if (w := _writes_in(path))}
    assert offenders == {}


def _inserted_kinds() -> set[str]:
    """The models a demo module pairs with rows of its own to insert: `(Model, wb.rows)`."""
    return {
        node.elts[0].id
        for path in sorted(DEMO.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and isinstance(node.elts[0], ast.Name)
        and ast.unparse(node.elts[1]).startswith("wb.")
    }


def test_the_demo_inserts_no_kind_of_row_itself() -> None:
    # Customers, consent, plans, touches, follow-ups and quotes all go through the core; a
    # kind coming back to the demo must be named in `_STILL_WRITTEN` with its reason.
    assert _inserted_kinds() == set(_STILL_WRITTEN) == set()


def test_every_ledger_entry_is_the_cores_own(business: Database) -> None:
    with business.reading() as session:
        kinds = dict(
            session.execute(
                select(ConsentEvent.kind, func.count()).group_by(ConsentEvent.kind)
            ).all()
        )
        by_demo = session.execute(
            select(func.count()).where(ConsentEvent.recorded_by == "demo")
        ).scalar_one()
        granted = session.execute(
            select(ConsentEvent.words).where(ConsentEvent.kind == ConsentEventKind.GRANTED)
        ).scalars()
        granted_words = list(granted)
    assert by_demo == 0
    # Agreements (`agree_follow_up`), preferences (`set_contact_preferences`), refusals.
    assert {
        ConsentEventKind.AGREED_FOLLOW_UP,
        ConsentEventKind.HOURS_CHANGED,
        ConsentEventKind.REVOKED,
        ConsentEventKind.DO_NOT_CONTACT,
    } <= set(kinds)
    # Every yes went through `grant_consent`, which keeps it in the customer's own words.
    assert len(granted_words) > 250
    assert all(w and w.strip() for w in granted_words)


def test_each_channel_state_is_the_ledger_entry_that_set_it(business: Database) -> None:
    with business.reading() as session:
        rows = session.execute(
            select(ChannelConsent, ConsentEvent).join(
                ConsentEvent, ConsentEvent.id == ChannelConsent.event_id
            )
        ).all()
        states = session.execute(select(func.count(ChannelConsent.customer_id))).scalar_one()
    assert len(rows) == states > 250
    for state, event in rows:
        assert (state.customer_id, state.since, state.words) == (
            event.customer_id,
            event.at,
            event.words,
        )
        assert (state.state is ConsentState.GRANTED) == (event.kind is ConsentEventKind.GRANTED)


def test_the_scan_finds_a_write_in_a_module(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "def f(session, rows):\n"
        "    session.add(rows[0])\n"
        "    session.execute(Touch.__table__.insert(), rows)\n"
        "    self.wb.session.add_all(rows)\n"
        "    session.execute(insert(Touch), rows)\n"
        "    seen.add(1)\n",
        encoding="utf-8",
    )
    assert sorted(_writes_in(sneaky)) == [
        "f: Touch.__table__.insert",
        "f: insert",
        "f: self.wb.session.add_all",
        "f: session.add",
    ]


def test_customers_are_stored_as_the_new_customer_service_stores_them(
    business: Database,
) -> None:
    with business.reading() as session:
        settings = load_settings(session)
        customers = list(session.execute(select(Customer).order_by(Customer.id)).scalars())
        told = set(
            session.execute(
                select(ConsentEvent.customer_id).where(
                    ConsentEvent.kind == ConsentEventKind.HOURS_CHANGED
                )
            ).scalars()
        )
    # Numbered in the order they first got in touch, as a business's customers are.
    assert [c.created_at for c in customers] == sorted(c.created_at for c in customers)
    for c in customers:
        typed = NewCustomer(
            name=c.display_name,
            phone=c.phone_cell,
            email=c.email,
            company=c.company,
            street=c.street,
            suburb=c.suburb,
            region=c.region,
            postcode=c.postcode,
            country=c.country,
            birthday=c.birthday.isoformat() if c.birthday else None,
            notes=c.notes,
            phone_office=c.phone_office,
            phone_home=c.phone_home,
        )
        again = checked_customer(typed, settings=settings, now=c.created_at).customer(
            settings=settings, now=c.created_at
        )
        for key in ("first_name", "last_name", "timezone", "phone_cell", "email", "birthday"):
            assert getattr(again, key) == getattr(c, key), (c.id, key)
        assert c.family_notes is None  # no field of the app fills it: notes hold them
        # How they like to be reached is on the ledger, as the consent editor records it.
        assert (c.id in told) == bool(c.preferred_channel or c.contact_hours or c.best_times)
    assert len(told) > 50


def test_every_waiting_lead_has_the_first_reply_the_app_plans(business: Database) -> None:
    with business.reading() as session:
        leads = session.execute(
            select(Quote).where(Quote.stage == Stage.LEAD, Quote.first_response_at.is_(None))
        ).scalars()
        seen = 0
        for quote in leads:
            seen += 1
            fid = waiting_first_reply(session, quote.customer_id, quote.id)
            assert fid is not None, f"lead {quote.id} has no first reply"
            fu = session.get(FollowUp, fid)
            customer = session.get(Customer, quote.customer_id)
            assert fu is not None and customer is not None
            assert fu.reason == first_reply_reason(quote.job)
            assert fu.basis is Basis.PLANNED and fu.cadence_run_id is None
            assert fu.channel is first_reply_channel(
                cell=customer.phone_cell, other_phone=customer.phone_home or customer.phone_office
            )
            # Planned the moment the enquiry came in, due then or at the first allowed time.
            assert fu.created_at == quote.received_at <= fu.due_at
        assert seen >= 3
        assert audit_rules(session) == []


def test_a_demo_lead_reads_like_a_typed_in_one(business: Database, now: datetime) -> None:
    with business.reading() as session:
        demo = session.execute(
            select(FollowUp.reason).where(
                FollowUp.reason.startswith(FIRST_REPLY), FollowUp.status == FollowUpStatus.PENDING
            )
        ).scalars()
        demo_reasons = list(demo)
    typed = NewLead(name="Ava Brooks", phone="0412 555 019", job="Hardwood deck — 6 x 4 m")
    with business.unit_of_work() as session:
        created = add_lead(session, typed, now=now)
        fu = session.get(FollowUp, created.follow_up_id)
        assert fu is not None
        assert fu.reason == first_reply_reason("Hardwood deck — 6 x 4 m")
        session.rollback()
    assert all(r.startswith(f"{FIRST_REPLY} about ") for r in demo_reasons)


def test_answering_a_demo_lead_settles_its_first_reply(business: Database, now: datetime) -> None:
    with business.unit_of_work() as session:
        quote = session.execute(
            select(Quote)
            .where(Quote.stage == Stage.LEAD, Quote.first_response_at.is_(None))
            .order_by(Quote.id)
            .limit(1)
        ).scalar_one()
        fid = waiting_first_reply(session, quote.customer_id, quote.id)
        assert fid is not None
        call = TouchRecord(
            quote.customer_id, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, now, quote.id
        )
        # In two days, at the first time their hours and the cap allow a call.
        snap = load_snapshot(session, quote.customer_id)
        planned = planned_times(session, quote.customer_id)
        cap = load_settings(session).weekly_cap
        due = find_slot(snap, Channel.CALL, now + timedelta(days=2), planned, cap)
        assert due is not None
        plan = FollowUpPlan(due, Channel.CALL, "Book the site visit")
        log_touch(session, call, plan, now=now)
        assert waiting_first_reply(session, quote.customer_id, quote.id) is None
        assert session.get(FollowUp, fid).status is FollowUpStatus.DONE  # type: ignore[union-attr]
        assert quote not in unanswered_leads(session, quote.customer_id)
        session.rollback()


def test_the_demo_makes_no_follow_up_itself() -> None:
    # Plan steps are placed by the core's batch of runs (`core.cadence_batch`), follow-ups
    # outside a plan through the core (`by_hand.enter_hand_plan`): no demo module builds
    # a follow-up row.
    makers = {
        path.name
        for path in sorted(DEMO.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) in ("row_follow_up", "FollowUp", "CadenceRun")
    }
    assert makers == set()


def test_follow_ups_planned_by_hand_keep_the_rules_the_core_checked(
    business: Database, now: datetime
) -> None:
    with business.reading() as session:
        by_hand = session.execute(
            select(FollowUp).where(
                FollowUp.cadence_run_id.is_(None),
                FollowUp.basis == Basis.PLANNED,
                FollowUp.status == FollowUpStatus.PENDING,
                FollowUp.reason.not_like(f"{FIRST_REPLY}%"),
            )
        ).scalars()
        seen = list(by_hand)
        assert audit_rules(session) == []
    # Check-ins on open quotes, thank-you cards, revisits of parked quotes: today's and
    # overdue ones among them, each planned before it fell due, for a quote of theirs.
    assert len(seen) >= 20
    assert {Channel.CALL, Channel.EMAIL, Channel.CARD} <= {fu.channel for fu in seen}
    assert any(fu.due_at < now for fu in seen) and any(fu.due_at > now for fu in seen)
    assert all(fu.quote_id is not None and fu.created_at <= fu.due_at for fu in seen)


def test_every_agreed_follow_up_has_its_ledger_entry(business: Database) -> None:
    with business.reading() as session:
        agreed = set(
            session.execute(select(FollowUp.id).where(FollowUp.basis == Basis.AGREED)).scalars()
        )
        recorded = set(
            session.execute(
                select(ConsentEvent.follow_up_id).where(
                    ConsentEvent.kind == ConsentEventKind.AGREED_FOLLOW_UP
                )
            ).scalars()
        )
    assert len(agreed) >= 10
    assert agreed <= recorded


def test_the_ledger_says_how_each_customer_told_us_as_the_app_records_it(
    business: Database,
) -> None:
    with business.reading() as session:
        sources = set(session.execute(select(ConsentEvent.source).distinct()).scalars())
    assert sources <= {s.value for s in LedgerSource}
    assert {"call", "text", "web form"} <= sources


def test_a_customer_who_said_stop_is_closed_on_every_channel_with_nothing_pending(
    business: Database,
) -> None:
    with business.reading() as session:
        dnc = set(session.execute(select(Customer.id).where(Customer.do_not_contact)).scalars())
        said = dict(
            session.execute(
                select(ConsentEvent.customer_id, ConsentEvent.at).where(
                    ConsentEvent.kind == ConsentEventKind.DO_NOT_CONTACT
                )
            ).all()
        )
        states = session.execute(
            select(ChannelConsent.channel, ChannelConsent.state).where(
                ChannelConsent.customer_id.in_(dnc)
            )
        ).all()
        pending = session.execute(
            select(FollowUp.id).where(
                FollowUp.customer_id.in_(dnc), FollowUp.status == FollowUpStatus.PENDING
            )
        ).all()
    assert dnc and set(said) == dnc
    assert len(states) == len(dnc) * len(ConsentChannel)
    assert {state for _, state in states} == {ConsentState.REVOKED}
    assert pending == []


def test_a_channel_a_customer_closed_stays_closed_with_nothing_pending_on_it(
    business: Database,
) -> None:
    with business.reading() as session:
        closed = {
            (c, ch)
            for c, ch in session.execute(
                select(ConsentEvent.customer_id, ConsentEvent.channel).where(
                    ConsentEvent.kind == ConsentEventKind.REVOKED
                )
            ).all()
            if ch is not None
        }
        states = {
            (c, ch): st
            for c, ch, st in session.execute(
                select(ChannelConsent.customer_id, ChannelConsent.channel, ChannelConsent.state)
            ).all()
        }
        pending = set(
            session.execute(
                select(FollowUp.customer_id, FollowUp.channel).where(
                    FollowUp.status == FollowUpStatus.PENDING
                )
            ).all()
        )
    assert len(closed) >= 3
    assert {states[k] for k in closed} == {ConsentState.REVOKED}
    assert not {(c, ch.consent_channel) for c, ch in pending} & closed


def test_every_touch_did_to_its_quote_what_logging_it_does(business: Database) -> None:
    # `log_touch` keeps a quote's last touch, and its first outbound touch is the first
    # reply that stopped the speed-to-lead clock; a quote still "quoted" has no outbound
    # touch since it went out (the core would have moved it to "following up").
    with business.reading() as session:
        quotes = {q.id: q for q in session.execute(select(Quote)).scalars()}
        touches = session.execute(select(Touch)).scalars().all()
    assert touches and all(t.created_at == t.at for t in touches)
    first_out: dict[int, datetime] = {}
    last: dict[int, datetime] = {}
    for t in touches:
        if t.quote_id is None:
            continue
        last[t.quote_id] = max(last.get(t.quote_id, t.at), t.at)
        if t.direction is Direction.OUTBOUND:
            first_out[t.quote_id] = min(first_out.get(t.quote_id, t.at), t.at)
    assert len(first_out) > 300
    for qid, q in quotes.items():
        assert q.last_touch_at == last.get(qid), qid
        if qid in first_out:
            assert q.first_response_at == first_out[qid], qid
        if q.stage is Stage.QUOTED:
            assert q.sent_at is not None and first_out[qid] <= q.sent_at


def test_a_touch_logged_in_a_batch_is_the_touch_logged_alone(tmp_path: Path, now: datetime) -> None:
    # The demo logs its touches with `into=`: the row and what it does to the quote and
    # the first reply waiting on Today are those of a touch logged on its own.
    db = open_database(str(tmp_path / "batch.db"))
    seen = []
    for batch in (None, TouchRows()):
        with db.unit_of_work() as session:
            lead = add_lead(session, NewLead(name="Ava Brooks", phone="0412 555 019"), now=now)
            assert lead.follow_up_id is not None
            at = now + timedelta(minutes=20)
            call = TouchRecord(
                lead.customer_id,
                Channel.CALL,
                Direction.OUTBOUND,
                Outcome.REACHED,
                at,
                lead.quote_id,
                summary="Called back",
            )
            plan = FollowUpPlan(at + timedelta(days=2), Channel.CALL, "Book the site visit")
            log_touch(session, call, plan, now=at, flush=batch is None, into=batch)
            if batch is not None:
                assert session.execute(select(func.count(Touch.id))).scalar_one() == 0
                assert batch.write(session) == 1
            touch = session.execute(
                select(Touch).where(Touch.customer_id == lead.customer_id)
            ).scalar_one()
            quote = session.get(Quote, lead.quote_id)
            reply = session.get(FollowUp, lead.follow_up_id)
            assert quote is not None and reply is not None
            seen.append(
                (
                    touch.at,
                    touch.created_at,
                    touch.channel,
                    touch.summary,
                    touch.quote_id,
                    quote.first_response_at,
                    quote.last_touch_at,
                    reply.status,
                )
            )
            session.rollback()
    db.close()
    assert seen[0] == seen[1]
    assert seen[0][-1] is FollowUpStatus.DONE


def test_every_quote_is_stored_as_the_quote_services_store_it(business: Database) -> None:
    # Entered through `core.quote_batch`: each enquiry planned its first reply when it came
    # in (given when they were answered), a sent date is the core's moment for the day,
    # every close has its moment, and parking a quote planned its revisit.
    with business.reading() as session:
        settings = load_settings(session)
        quotes = list(session.execute(select(Quote)).scalars())
        replies = {
            f.quote_id: f
            for f in session.execute(
                select(FollowUp).where(FollowUp.reason.startswith(FIRST_REPLY))
            ).scalars()
        }
        revisits = {
            f.quote_id: f
            for f in session.execute(
                select(FollowUp).where(FollowUp.reason.startswith("Revisit the parked quote"))
            ).scalars()
        }
    tz = ZoneInfo(settings.owner_timezone)
    sent = [q for q in quotes if q.sent_at is not None]
    assert len(sent) > 400
    for q in sent:
        assert q.sent_at is not None
        assert q.sent_at == sent_moment(q.sent_at.astimezone(tz).date(), tz, q.sent_at), q.id
        assert q.number is not None and q.amount is not None and q.valid_until is not None
    for q in quotes:
        reply = replies.get(q.id)
        if reply is not None:
            assert reply.created_at == q.received_at <= reply.due_at
            if q.first_response_at is not None:
                assert reply.status is FollowUpStatus.DONE
                assert reply.completed_at == q.first_response_at
        if not q.stage.is_open:
            assert q.closed_at == q.stage_changed_at
    assert sum(q.id in replies for q in quotes) > 0.9 * len(quotes)
    parked = [q for q in quotes if q.stage is Stage.PARKED]
    assert parked and all(
        q.id in revisits and revisits[q.id].created_at == q.closed_at for q in parked
    )
