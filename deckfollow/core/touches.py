"""Logging a touch; every completed touch answers "what's next?" (spec rules 6 and 8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.changes import Changes
from deckfollow.core.contact_snapshot import get_customer
from deckfollow.core.enums import (
    CadenceRunStatus,
    Channel,
    Direction,
    FollowUpStatus,
    LedgerSource,
    Outcome,
    Stage,
)
from deckfollow.core.errors import ValidationError
from deckfollow.core.followups import FollowUpPlan, get_follow_up, schedule_follow_up
from deckfollow.core.leads import answer_person
from deckfollow.core.models import Cadence, CadenceRun, FollowUp, Quote, Touch
from deckfollow.core.pipeline import Close, close_quote, get_quote
from deckfollow.core.touch_rows import TouchRows


@dataclass(frozen=True)
class PlanContinues:
    """The answer to "what's next?" for a step of an active follow-up plan: the plan places
    its own next step (the user plans nothing over it)."""


@dataclass(frozen=True)
class AlreadyPlanned:
    """The answer to "what's next?" is already in place: a follow-up is pending for the
    customer, or the quote the touch was about is closed."""


@dataclass(frozen=True)
class CourtesyCard:
    """The answer to "what's next?" for a mailed birthday, holiday or "saw this" card: a
    gift that asks nothing of the customer, so nothing is planned over it."""


NextStep = FollowUpPlan | Close | PlanContinues | AlreadyPlanned | CourtesyCard


@dataclass(frozen=True)
class TouchRecord:
    customer_id: int
    channel: Channel
    direction: Direction
    outcome: Outcome
    at: datetime
    quote_id: int | None = None
    follow_up_id: int | None = None
    subject: str | None = None
    summary: str | None = None


def check_next_step(plan: FollowUpPlan, *, now: datetime) -> None:
    """A next step needs a reason and a time ahead of now, within the planning horizon."""
    if not plan.reason.strip():
        raise ValidationError("reason", 'every follow-up needs a reason ("The reason I\'m …")')
    limits.check_length("reason", plan.reason.strip(), limits.REASON)
    limits.check_ahead("next step", plan.due_at, now, "the next follow-up")


def log_touch(
    session: Session,
    record: TouchRecord,
    next_step: NextStep | None,
    *,
    now: datetime,
    await_decision: bool = False,
    flush: bool = True,
    into: TouchRows | None = None,
) -> Changes:
    """Record a touch and its next step in one transaction.

    `next_step` is required: a follow-up to plan or an explicit close. The one exception is
    an inbound reply logged with `await_decision=True`: the cadence pauses until the user
    decides (rule 8), and nothing is planned over the conversation.

    `flush=False` (for a caller logging many touches in one session, who flushes once)
    leaves the new touch to the session's next flush; `into` keeps it with the batch's
    other touches, written together by the caller (`TouchRows.write`). The rules applied
    are the same.
    """
    if next_step is None and not (record.direction is Direction.INBOUND and await_decision):
        raise ValidationError("what's next", "plan the next follow-up or close the quote")
    if isinstance(next_step, FollowUpPlan):
        check_next_step(next_step, now=now)
    if isinstance(next_step, CourtesyCard) and not (
        record.channel is Channel.CARD and record.direction is Direction.OUTBOUND
    ):
        raise ValidationError("what's next", "only a mailed card can end without a next step")
    get_customer(session, record.customer_id)
    if record.at > now:
        raise ValidationError("when", "a touch cannot be logged in the future")
    quote = get_quote(session, record.quote_id) if record.quote_id is not None else None
    if quote is not None and quote.customer_id != record.customer_id:
        raise ValidationError("quote", "belongs to another customer")
    done = None if record.follow_up_id is None else get_follow_up(session, record.follow_up_id)
    if done is not None and done.customer_id != record.customer_id:
        # Else a mistyped id would mark someone else's follow-up done.
        raise ValidationError("follow-up", "belongs to another customer")
    values = {
        "customer_id": record.customer_id,
        "quote_id": record.quote_id,
        "follow_up_id": record.follow_up_id,
        "at": record.at,
        "channel": record.channel,
        "direction": record.direction,
        "outcome": record.outcome,
        "subject": record.subject,
        "summary": record.summary,
        "created_at": now,
    }
    if into is not None:
        into.rows.append(values)
    else:
        session.add(Touch(**values))
    if quote is not None:
        if quote.last_touch_at is None or record.at > quote.last_touch_at:
            quote.last_touch_at = record.at
        if record.direction is Direction.OUTBOUND and quote.first_response_at is None:
            # Answering one of their enquiries answers the person: any other enquiry of
            # theirs still waiting is answered too, and its clock stops.
            answer_person(session, record.customer_id, record.at, now=now, also=quote)
        if quote.stage is Stage.QUOTED and record.direction is Direction.OUTBOUND:
            quote.stage = Stage.FOLLOWING_UP
            quote.stage_changed_at = now
        quote.updated_at = now
    elif record.direction is Direction.OUTBOUND:
        # A reply to the person answers their waiting enquiries too: the clock stops.
        answer_person(session, record.customer_id, record.at, now=now)
    # After the answer: a first reply this touch gave is settled at the touch's moment.
    if done is not None and done.status is FollowUpStatus.PENDING:
        done.status = FollowUpStatus.DONE
        done.completed_at = now
    changes = Changes(touches=True, quotes=True, follow_ups=True)
    if record.direction is Direction.INBOUND:
        # A reply pauses planned cadence steps: a cadence never talks over a conversation.
        changes = changes | _pause_for_reply(session, record.customer_id)
    if flush:
        session.flush()
    if record.follow_up_id is not None:
        done = get_follow_up(session, record.follow_up_id)
        if done.cadence_run_id is not None and done.status is FollowUpStatus.DONE:
            from deckfollow.core.cadence_runs import move_on

            # A completed cadence step moves the plan on (paused runs wait for the user).
            move_on(session, done.cadence_run_id, now=now)
    if isinstance(next_step, PlanContinues):
        _require_plan_step(session, record)
    elif isinstance(next_step, AlreadyPlanned):
        _require_next_in_place(session, record, quote)
    elif isinstance(next_step, FollowUpPlan):
        # An agreement made during this touch is recorded as made on its channel: a yes
        # said on the phone is a call in the ledger, not "in person".
        schedule_follow_up(
            session,
            record.customer_id,
            record.quote_id,
            next_step,
            now=now,
            source=LedgerSource.of_channel(record.channel).value,
        )
    elif isinstance(next_step, Close):
        if record.quote_id is None:
            raise ValidationError("what's next", "closing needs the quote the touch was about")
        changes = changes | close_quote(session, record.quote_id, next_step, now=now)
    # Everything written here is the customer's: their touch, follow-ups, plans and quote.
    quotes = () if record.quote_id is None else (record.quote_id,)
    return changes.about(quotes=quotes, customers=(record.customer_id,))


# The checks below run for every touch logged; built once, as building a statement costs
# more than running it.
_RUNNING_PLANS = (
    select(CadenceRun.id, Cadence.name)
    .join(Cadence, Cadence.id == CadenceRun.cadence_id)
    .where(
        CadenceRun.customer_id == bindparam("customer_id"),
        CadenceRun.status == CadenceRunStatus.ACTIVE,
    )
    .order_by(CadenceRun.id)
)
_ANY_PENDING = (
    select(FollowUp.id)
    .where(
        FollowUp.customer_id == bindparam("customer_id"),
        FollowUp.status == FollowUpStatus.PENDING,
    )
    .limit(1)
)
_PENDING_IN_RUN = (
    select(FollowUp.id)
    .where(
        FollowUp.cadence_run_id == bindparam("run_id"),
        FollowUp.status == FollowUpStatus.PENDING,
    )
    .limit(1)
)


def _pause_for_reply(session: Session, customer_id: int) -> Changes:
    """Pause the customer's running plans, saying which (nothing said when none ran: a
    follow-up outside a plan, such as the first reply to their enquiry, stays due)."""
    running = session.execute(_RUNNING_PLANS, {"customer_id": customer_id}).all()
    if not running:
        return Changes()
    session.execute(
        update(CadenceRun)
        .where(CadenceRun.id.in_([run_id for run_id, _ in running]))
        .values(status=CadenceRunStatus.PAUSED, paused_reason="the customer replied")
        .execution_options(synchronize_session=False)
    )
    return Changes(
        notices=tuple(
            f"Paused the follow-up plan “{name}” until you decide what's next"
            for _run_id, name in running
        )
    )


def continuing_plan(session: Session, follow_up_id: int) -> str | None:
    """The name of the active plan this follow-up is a step of (None: not a plan step)."""
    from deckfollow.core.models import Cadence

    fu = get_follow_up(session, follow_up_id)
    if fu.cadence_run_id is None:
        return None
    run = session.get(CadenceRun, fu.cadence_run_id)
    if run is None or run.status is not CadenceRunStatus.ACTIVE:
        return None
    cadence = session.get(Cadence, run.cadence_id)
    return cadence.name if cadence is not None else None


def _require_next_in_place(session: Session, record: TouchRecord, quote: Quote | None) -> None:
    """ "Already planned" holds only if something is pending or the quote is closed."""
    if quote is not None and not quote.stage.is_open:
        return
    pending = session.execute(_ANY_PENDING, {"customer_id": record.customer_id}).first()
    if pending is None:
        raise ValidationError(
            "what's next", "nothing is planned for this customer; plan the next follow-up"
        )


def _require_plan_step(session: Session, record: TouchRecord) -> None:
    """ "The plan continues" holds only if the plan really placed a next step."""
    refuse = ValidationError(
        "what's next",
        "this touch was not a step of an active follow-up plan with a step after it; "
        "plan the next follow-up or close the quote",
    )
    if record.follow_up_id is None:
        raise refuse
    done = get_follow_up(session, record.follow_up_id)
    if done.cadence_run_id is None:
        raise refuse
    pending = session.execute(_PENDING_IN_RUN, {"run_id": done.cadence_run_id}).first()
    if pending is None:
        raise refuse
