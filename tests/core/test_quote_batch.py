"""A batch of quotes stores what the quote services store, called one by one in the same
order: the lead and its first reply (moved on by the cap and the customer's hours, on the
channel they left open), the first reply given, the figures and the sent moment, the moves,
the close (a parked quote's revisit, an unanswered lead's first reply cancelled), and the
same refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deckfollow.core.consent import ContactPreferences, revoke_consent, set_contact_preferences
from deckfollow.core.enums import Basis, Channel, ConsentChannel, Direction, Outcome, Stage
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.pipeline import Close
from deckfollow.core.quote_batch import Move, QuoteBatch, move_quotes
from deckfollow.core.quotes import QuoteEdit, change_stage, edit_quote
from deckfollow.core.settings import save_owner_settings
from deckfollow.core.touches import AlreadyPlanned, TouchRecord, log_touch
from deckfollow.storage.database import Database, open_database


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str  # lead, answered, edit, move, close
    quote: int  # the quote's place in the order its lead came (0, 1, …)
    customer: str = ""
    job: str | None = None
    edit: QuoteEdit | None = None
    stage: Stage | None = None
    close: Close | None = None


def _customers(db: Database, now: datetime) -> dict[str, int]:
    """A cell, a landline only, an email only who takes no evening calls, and a customer
    who closed texts; each with a card planned far ahead (so a call logged can say the
    next step is in place)."""
    start = now - timedelta(days=200)
    ids: dict[str, int] = {}
    with db.unit_of_work() as s:
        save_owner_settings(s, {"default_country": "AU", "owner_timezone": "Australia/Sydney"})
        for key, lead in (
            ("cell", NewLead("Grace Hopper", phone="+61412000111", country="AU", answered=True)),
            ("landline", NewLead("Ben Ortiz", phone="+61298765432", country="AU", answered=True)),
            ("email", NewLead("Cleo Park", email="cleo@example.com", country="AU", answered=True)),
            (
                "no-texts",
                NewLead(
                    "Dan Wu", phone="+61412000222", email="d@x.com", country="AU", answered=True
                ),
            ),
        ):
            created = add_lead(s, lead, now=start)
            ids[key] = created.customer_id
            card = FollowUpPlan(now + timedelta(days=300), Channel.CARD, "Season's greetings")
            schedule_follow_up(s, created.customer_id, None, card, now=start)
        set_contact_preferences(
            s,
            ids["email"],
            ContactPreferences(contact_hours="mornings only"),
            source="call",
            now=start,
        )
        revoke_consent(
            s, ids["no-texts"], ConsentChannel.TEXT, source="text", words="no texts", now=start
        )
    return ids


def _story(now: datetime) -> list[Step]:
    t0 = now - timedelta(days=60)
    h = timedelta(hours=1)
    d = timedelta(days=1)
    sent = QuoteEdit(
        number="Q-0100",
        amount=Decimal("4850.00"),
        sent_on=(t0 + 2 * d).date(),
        valid_until=(t0 + 32 * d).date(),
        competing_quotes=2,
    )
    return [
        Step(t0, "lead", 0, "cell", "Hardwood deck — 6 x 4 m"),
        # A second enquiry before the first is answered: no first reply of its own, and
        # the reply to the first answers it too.
        Step(t0 + h, "lead", 1, "cell", "Pergola"),
        Step(t0 + 2 * h, "lead", 2, "landline", "Decking oil"),
        Step(t0 + 3 * h, "lead", 3, "email", "Screening"),
        Step(t0 + 4 * h, "lead", 4, "no-texts", "Steps"),
        Step(t0 + 5 * h, "answered", 0),
        Step(t0 + 6 * h, "answered", 2),
        Step(t0 + 2 * d, "edit", 0, edit=sent),
        Step(t0 + 2 * d, "move", 0, stage=Stage.QUOTED),
        Step(t0 + 2 * d + h, "edit", 2, edit=QuoteEdit(number="Q-0101", amount=Decimal("900"))),
        Step(t0 + 3 * d, "move", 2, stage=Stage.FOLLOWING_UP),
        Step(t0 + 9 * d, "close", 0, close=Close(Stage.WON)),
        # Parked before anyone answered: its first reply stops, the revisit is planned.
        Step(t0 + 10 * d, "close", 3, close=Close(Stage.PARKED, parked_until=date(2027, 2, 1))),
        Step(t0 + 11 * d, "close", 1, close=Close(Stage.LOST, lost_reason="went with another")),
        Step(t0 + 12 * d, "lead", 5, "cell", "Deck stain"),
        Step(t0 + 13 * d, "answered", 4),
        Step(t0 + 14 * d, "close", 4, close=Close(Stage.PARKED, parked_until=date(2027, 1, 5))),
    ]


def _one_by_one(db: Database, ids: dict[str, int], steps: list[Step]) -> None:
    quotes: list[int] = []
    with db.unit_of_work() as s:
        for st in steps:
            if st.kind == "lead":
                name = {"cell": "Grace Hopper", "landline": "Ben Ortiz", "email": "Cleo Park"}
                lead = NewLead(
                    name.get(st.customer, "Dan Wu"), job=st.job, customer_id=ids[st.customer]
                )
                quotes.append(add_lead(s, lead, now=st.at).quote_id)
                continue
            qid = quotes[st.quote]
            if st.kind == "answered":
                cid = s.get(Quote, qid).customer_id  # type: ignore[union-attr]
                call = TouchRecord(
                    cid, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, st.at, qid
                )
                log_touch(s, call, AlreadyPlanned(), now=st.at)
            elif st.kind == "edit":
                assert st.edit is not None
                edit_quote(s, qid, st.edit, version=None, now=st.at)
            elif st.kind == "move":
                assert st.stage is not None
                change_stage(s, qid, st.stage, now=st.at)
            else:
                assert st.close is not None
                c = st.close
                change_stage(
                    s,
                    qid,
                    c.stage,
                    now=st.at,
                    lost_reason=c.lost_reason,
                    parked_until=c.parked_until,
                )


def _batched(db: Database, ids: dict[str, int], steps: list[Step]) -> None:
    quotes: list[int] = []
    with db.unit_of_work() as s:
        batch = QuoteBatch(s)
        batch.read(ids.values())
        for st in steps:
            if st.kind == "lead":
                quotes.append(batch.add_lead(ids[st.customer], job=st.job, source=None, now=st.at))
                continue
            qid = quotes[st.quote]
            if st.kind == "answered":
                batch.answered(qid, at=st.at)
            elif st.kind == "edit":
                assert st.edit is not None
                batch.edit(qid, st.edit, now=st.at)
            elif st.kind == "move":
                assert st.stage is not None
                batch.move(qid, st.stage, now=st.at)
            else:
                assert st.close is not None
                batch.close(qid, st.close, now=st.at)
        assert batch.write() == (6, 7)  # five first replies, two revisits


def _stored(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def rows(model: type[Any]) -> list[dict[str, Any]]:
        table = model.__table__
        # The version counts the flushes that wrote the row, not anything a user sees.
        cols = [c for c in table.c if c.name != "version"]
        return [dict(r) for r in s.execute(select(*cols).order_by(table.c.id)).mappings()]

    with db.reading() as s:
        return rows(Quote), rows(FollowUp)


@pytest.fixture
def two(tmp_path: Path, now: datetime) -> tuple[Database, Database, dict[str, int]]:
    one, other = (open_database(str(tmp_path / f"{n}.db")) for n in ("one", "batch"))
    ids = _customers(one, now)
    assert _customers(other, now) == ids
    return one, other, ids


def test_a_batch_stores_what_the_services_store_one_by_one(
    two: tuple[Database, Database, dict[str, int]], now: datetime
) -> None:
    one, batch, ids = two
    steps = _story(now)
    _one_by_one(one, ids, steps)
    _batched(batch, ids, steps)
    quotes, follow_ups = _stored(one)
    # The call that gave a first reply is a touch, which its caller logs (with its mark on
    # the quote's last touch); the batch gives the rest of what logging it does.
    touched = {q["id"] for q in quotes if q.pop("last_touch_at") is not None}
    assert len(touched) == 3
    stored = _stored(batch)
    assert all(q.pop("last_touch_at") is None for q in stored[0])
    assert stored == (quotes, follow_ups)
    # What the story exercised: a first reply for each enquiry but the one made while
    # another waited, on the channel each customer can be reached on; given (for both
    # enquiries), cancelled by a close and still waiting; revisits.
    first = [f for f in follow_ups if f["reason"].startswith("First reply") and f["quote_id"] > 4]
    assert [(f["quote_id"], f["channel"]) for f in first] == [
        (5, Channel.TEXT),
        (7, Channel.CALL),
        (8, Channel.EMAIL),
        (9, Channel.CALL),
        (10, Channel.TEXT),
    ]
    assert [f["status"].value for f in first] == ["done", "done", "cancelled", "done", "pending"]
    answered = {q["id"]: q["first_response_at"] for q in quotes}
    assert answered[6] == answered[5] is not None
    revisits = [f for f in follow_ups if f["reason"].startswith("Revisit")]
    assert len(revisits) == 2 and all(f["basis"] is Basis.PLANNED for f in revisits)
    by_number = {q["number"]: q for q in quotes}
    sent = by_number["Q-0100"]["sent_at"]
    assert sent.hour in {1, 2}  # midday in Sydney, in UTC
    assert by_number["Q-0100"]["stage"] is Stage.WON


def test_moves_of_stored_quotes_are_the_moves_one_by_one(
    two: tuple[Database, Database, dict[str, int]], now: datetime
) -> None:
    one, other, ids = two
    steps = [st for st in _story(now) if st.kind in ("lead", "answered")]
    _one_by_one(one, ids, steps)
    _one_by_one(other, ids, steps)
    with one.reading() as s:
        qids = list(s.execute(select(Quote.id).order_by(Quote.id)).scalars())
    later = now - timedelta(days=20)
    moves = [
        Move(qids[0], Stage.QUOTED, later),
        Move(qids[0], Stage.FOLLOWING_UP, later + timedelta(days=2)),
        Move(qids[3], Stage.FOLLOWING_UP, later + timedelta(days=3)),  # never answered
        Move(qids[2], Stage.LEAD, later + timedelta(days=4)),  # already there
    ]
    with one.unit_of_work() as s:
        for m in moves:
            change_stage(s, m.quote_id, m.stage, now=m.at)
    with other.unit_of_work() as s:
        assert move_quotes(s, moves) == 2
    assert _stored(other) == _stored(one)


def test_a_batch_refuses_what_the_services_refuse(
    two: tuple[Database, Database, dict[str, int]], now: datetime
) -> None:
    _one, db, ids = two
    with db.unit_of_work() as s:
        batch = QuoteBatch(s)
        qid = batch.add_lead(ids["cell"], job="Deck", source=None, now=now)
        refusals: list[tuple[Callable[[], None], str]] = [
            (lambda: batch.close(qid, Close(Stage.LOST), now=now), "lost reason"),
            (
                lambda: batch.close(qid, Close(Stage.PARKED, parked_until=now.date()), now=now),
                "parked until",
            ),
            (lambda: batch.move(qid, Stage.WON, now=now), "stage"),
            (lambda: batch.edit(qid, QuoteEdit(amount=Decimal("1.005")), now=now), "amount"),
            (
                lambda: batch.edit(qid, QuoteEdit(sent_on=now.date() + timedelta(days=3)), now=now),
                "sent",
            ),
            (lambda: batch.edit(qid, QuoteEdit(competing_quotes=99), now=now), "competing quotes"),
        ]
        for attempt, field in refusals:
            with pytest.raises(ValidationError) as err:
                attempt()
            assert err.value.field == field
        batch.edit(qid, QuoteEdit(number="Q-0007"), now=now)
        other = batch.add_lead(ids["email"], job="Screen", source=None, now=now)
        with pytest.raises(ValidationError) as err:
            batch.edit(other, QuoteEdit(number="Q-0007"), now=now)
        assert err.value.field == "number"
        with pytest.raises(NotFoundError):
            batch.add_lead(10_000, job="Deck", source=None, now=now)
        s.rollback()
