"""Planning follow-ups: every one has a reason and obeys the rules of permission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.clock_format import both_clocks_text
from deckfollow.core.consent_ledger import append_event, grant_consent
from deckfollow.core.contact_hours import local_to_utc, zone
from deckfollow.core.contact_snapshot import (
    get_customer,
    load_snapshot,
    load_snapshots,
    snapshots_of,
)
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentEventKind,
    ConsentState,
    FollowUpStatus,
)
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.models import ConsentEvent, FollowUp, Quote
from deckfollow.core.permission import (
    AGREED_CLEARANCE,
    ContactSnapshot,
    cap_decision,
    channel_decision,
    decide,
    find_slot,
    planned_slot_ok,
)
from deckfollow.core.settings import load_settings


@dataclass(frozen=True)
class FollowUpPlan:
    """The next step to plan: when, how, why, and whether the customer agreed."""

    due_at: datetime
    channel: Channel
    reason: str
    basis: Basis = Basis.PLANNED
    agreed_words: str | None = None
    window_end: datetime | None = None


def planned_times(
    session: Session, customer_id: int, exclude_id: int | None = None
) -> list[datetime]:
    """Due times of the customer's pending and done *planned* follow-ups (for the cap, rule 5)."""
    stmt = select(FollowUp.due_at).where(
        FollowUp.customer_id == customer_id,
        FollowUp.basis == Basis.PLANNED,
        FollowUp.status.in_([FollowUpStatus.PENDING, FollowUpStatus.DONE]),
    )
    if exclude_id is not None:
        stmt = stmt.where(FollowUp.id != exclude_id)
    return list(session.execute(stmt).scalars())


def check_plan(session: Session, snap: ContactSnapshot, plan: FollowUpPlan) -> None:
    """Raise PermissionRefused (with the reason and the nearest allowed slot) if not allowed."""
    if not plan.reason or not plan.reason.strip():
        raise ValidationError("reason", 'every follow-up needs a reason ("The reason I\'m …")')
    limits.check_length("reason", plan.reason.strip(), limits.REASON)
    if plan.basis is Basis.AGREED and not (plan.agreed_words and plan.agreed_words.strip()):
        raise ValidationError("agreed words", "an agreed follow-up keeps the customer's words")
    limits.check_length("agreed words", plan.agreed_words, limits.WORDS)
    if plan.window_end is not None and plan.window_end <= plan.due_at:
        raise ValidationError("window", "the window must end after it starts")
    settings = load_settings(session)
    cap, owner_tz = settings.weekly_cap, settings.owner_timezone
    times = planned_times(session, snap.customer_id)
    decision = decide(snap, plan.channel, plan.due_at, plan.basis, times, cap, owner_tz=owner_tz)
    if not decision.allowed:
        hint = ""
        slot = None
        if decision.suggestion is not None:
            # The nearest time that keeps *every* rule (hours and the cap together),
            # not just the one that refused: the cap may free a slot at night.
            slot = find_slot(snap, plan.channel, plan.due_at, times, cap)
        if slot is not None:
            when = both_clocks_text(slot, owner_tz, snap.hours.tz, year=True)
            hint = f" Nearest allowed time: {when}."
        raise PermissionRefused(decision.reason + hint, slot)


def schedule_follow_up(
    session: Session,
    customer_id: int,
    quote_id: int | None,
    plan: FollowUpPlan,
    *,
    now: datetime,
    source: str = "in person",
) -> FollowUp:
    """Add a follow-up after checking every rule; an agreed one is also a ledger entry.

    `source` is how the customer said yes to an agreed one (the ledger's evidence): the
    app's own paths always say (a touch's channel, the user's choice).
    """
    customer = get_customer(session, customer_id)
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.customer_id != customer_id or quote.deleted_at is not None:
            raise NotFoundError(f"no quote {quote_id} for {customer.display_name}")
    snap = load_snapshot(session, customer_id)
    check_plan(session, snap, plan)
    fu = FollowUp(
        customer_id=customer_id,
        quote_id=quote_id,
        due_at=plan.due_at,
        window_end=plan.window_end,
        timezone=customer.timezone,
        channel=plan.channel,
        reason=plan.reason.strip(),
        basis=plan.basis,
        agreed_words=plan.agreed_words,
        status=FollowUpStatus.PENDING,
        created_at=now,
    )
    session.add(fu)
    session.flush()
    if plan.basis is Basis.AGREED:
        cc = plan.channel.consent_channel
        if snap.consent(cc).state is not ConsentState.GRANTED:
            grant_consent(session, customer_id, cc, source=source, words=plan.agreed_words, now=now)
        local = plan.due_at.astimezone(snap.hours.tz)
        append_event(
            session,
            ConsentEvent(
                customer_id=customer_id,
                kind=ConsentEventKind.AGREED_FOLLOW_UP,
                channel=cc,
                at=now,
                source=source,
                words=plan.agreed_words,
                detail=f"{plan.channel.value} on {local:%a %d %b %Y %H:%M} ({customer.timezone}):"
                f" {plan.reason.strip()}",
                follow_up_id=fu.id,
            ),
        )
        # Cadence steps fit around what the customer agreed to, never the other way.
        refit_planned(session, customer_id, now=now)
    return fu


def agreed_plan(
    day: date,
    start: time,
    end: time | None,
    timezone: str,
    channel: Channel,
    reason: str,
    words: str,
) -> FollowUpPlan:
    """An agreed follow-up for a day and local window in the customer's own zone.

    "09:00 on the day daylight saving ends" stays 09:00 there: the wall-clock time is
    converted with the zone's rules for that very day.
    """
    tz = zone(timezone)
    due = local_to_utc(day, start, tz)
    window_end = local_to_utc(day, end, tz) if end is not None else None
    return FollowUpPlan(due, channel, reason, Basis.AGREED, words, window_end)


def agree_follow_up(
    session: Session,
    customer_id: int,
    quote_id: int | None,
    plan: FollowUpPlan,
    *,
    now: datetime,
    source: str,
    reopen: bool = False,
) -> FollowUp:
    """Record a follow-up the customer agreed to (the "Ask permission" flow).

    On a revoked channel this is refused unless `reopen` says the customer's words given
    with the plan re-open it: then a new consent with those words is recorded first.
    """
    if plan.basis is not Basis.AGREED:
        raise ValidationError("basis", "only an agreed follow-up is recorded this way")
    limits.check_ahead("when", plan.due_at, now, "an agreed follow-up")
    if reopen:
        snap = load_snapshot(session, customer_id)
        cc = plan.channel.consent_channel
        if snap.do_not_contact or snap.consent(cc).state is ConsentState.REVOKED:
            grant_consent(session, customer_id, cc, source=source, words=plan.agreed_words, now=now)
    return schedule_follow_up(session, customer_id, quote_id, plan, now=now, source=source)


def _effective(fu: FollowUp) -> datetime:
    return fu.snoozed_until or fu.due_at


def pending_of_customer_query(customer_id: int) -> Select[FollowUp]:
    """A customer's pending follow-ups, in no order: sorted in SQL by due time, SQLite
    (without statistics, as in a fresh database) walks every pending follow-up of the
    business by the (status, due) index instead of this customer's few."""
    return select(FollowUp).where(
        FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.PENDING
    )


def refit_planned(session: Session, customer_id: int, *, now: datetime) -> int:
    """Move pending *planned* follow-ups that no longer keep the rules; returns how many changed.

    After a change of time zone or hours, a new agreed follow-up, or a re-opened plan, each
    planned follow-up must still sit inside allowed hours, under the cap and (for
    cadence steps) clear of agreed follow-ups. One that cannot be placed is cancelled with
    the reason. Agreed follow-ups are never touched.
    """
    get_customer(session, customer_id)  # a customer who is gone is refused, as ever
    rows = sorted(
        session.execute(pending_of_customer_query(customer_id)).scalars(),
        key=lambda fu: (fu.due_at, fu.id),
    )
    if not any(fu.basis is Basis.PLANNED for fu in rows):
        # Nothing that could move (a new customer, or only agreed follow-ups): the rules
        # need not be read at all.
        session.flush()
        return 0
    snap = load_snapshot(session, customer_id)
    cap = load_settings(session).weekly_cap
    agreed = [f.due_at for f in rows if f.basis is Basis.AGREED]
    done = list(
        session.execute(
            select(FollowUp.due_at).where(
                FollowUp.customer_id == customer_id,
                FollowUp.basis == Basis.PLANNED,
                FollowUp.status == FollowUpStatus.DONE,
            )
        ).scalars()
    )
    placed: list[datetime] = []
    changed = 0
    for fu in rows:
        if fu.basis is not Basis.PLANNED:
            continue
        clear = agreed if fu.cadence_run_id is not None else []
        times = done + placed
        if fu.timezone != snap.timezone:
            fu.timezone = snap.timezone
        ok = planned_slot_ok(snap, fu.channel, fu.due_at, times, cap, clear)
        if ok and fu.snoozed_until is not None:
            ok = not fu.channel.is_timed or snap.hours.allows(fu.snoozed_until)
        if ok:
            placed.append(fu.due_at)
            continue
        changed += 1
        slot = find_slot(
            snap, fu.channel, max(_effective(fu), now), times, cap, keep_clear_of=clear
        )
        if slot is None:
            fu.status = FollowUpStatus.CANCELLED
            fu.completed_at = now
            fu.cancel_reason = (
                "no allowed time for it any more: " + channel_decision(snap, fu.channel).reason
                if not channel_decision(snap, fu.channel).allowed
                else "no allowed time for it within four months"
            )
            continue
        fu.due_at = slot
        fu.window_end = None
        fu.snoozed_until = None
        placed.append(slot)
    session.flush()
    return changed


def get_follow_up(session: Session, follow_up_id: int) -> FollowUp:
    fu = session.get(FollowUp, follow_up_id)
    if fu is None:
        raise NotFoundError(f"no follow-up with id {follow_up_id}")
    return fu


def next_pending_follow_up(
    session: Session,
    *,
    customer_id: int,
    quote_id: int | None,
    channels: tuple[Channel, ...],
) -> int | None:
    """The customer's (and quote's) next pending follow-up on one of `channels`, if any.

    A call, text or email started from the customer's details is about that follow-up: it
    has the reason to give, and it is marked done when the touch is logged.
    """
    from deckfollow.core.due import effective_due

    stmt = (
        select(FollowUp.id)
        .where(
            FollowUp.customer_id == customer_id,
            FollowUp.status == FollowUpStatus.PENDING,
            FollowUp.channel.in_(channels),
        )
        .order_by(effective_due(), FollowUp.id)
        .limit(1)
    )
    if quote_id is not None:
        stmt = stmt.where(FollowUp.quote_id == quote_id)
    return session.execute(stmt).scalar_one_or_none()


def audit_rules(session: Session, customer_ids: list[int] | None = None) -> list[str]:
    """Every pending follow-up that breaks a rule of permission, described; [] when all hold.

    For checks of generated or imported data (demo database, restores) and for tests:
    nothing pending on a revoked channel or for a do-not-contact customer, planned calls and
    texts inside allowed hours (snoozed ones too), cadence steps clear of agreed follow-ups,
    and each pending planned touch a day clear of the others and within the cap of any seven
    days. Read in a few queries for all customers, not several for each.
    """
    cap = load_settings(session).weekly_cap
    stmt = select(FollowUp.customer_id).where(FollowUp.status == FollowUpStatus.PENDING)
    if customer_ids is not None:
        stmt = stmt.where(FollowUp.customer_id.in_(customer_ids))
    ids = sorted(set(session.execute(stmt).scalars()))
    live = load_snapshots(session, ids)  # the deleted are left out, as they are gone
    snaps = snapshots_of(session, [live[cid] for cid in ids if cid in live])
    rows = _audited_follow_ups(session, list(snaps))
    problems: list[str] = []
    for cid, snap in snaps.items():
        mine = rows.get(cid, [])
        pending = [f for f in mine if f.status is FollowUpStatus.PENDING]
        agreed = [f.due_at for f in pending if f.basis is Basis.AGREED]
        planned = [f for f in mine if f.basis is Basis.PLANNED]
        for f in pending:
            tag = f"follow-up {f.id} ({snap.name}, {f.channel.value})"
            gate = channel_decision(snap, f.channel)
            if not gate.allowed:
                problems.append(f"{tag}: {gate.reason}")
            if f.basis is Basis.PLANNED:
                if f.channel.is_timed:
                    for label, at in (("due", f.due_at), ("snoozed", f.snoozed_until)):
                        if at is not None and not snap.hours.allows(at):
                            problems.append(f"{tag}: {label} outside allowed hours")
                others = [p.due_at for p in planned if p.id != f.id]
                crowded = cap_decision(snap, f.due_at, Basis.PLANNED, others, cap)
                if not crowded.allowed:
                    problems.append(f"{tag}: {crowded.reason}")
                if f.cadence_run_id is not None and any(
                    abs(f.due_at - a) < AGREED_CLEARANCE for a in agreed
                ):
                    problems.append(f"{tag}: cadence step crowds an agreed follow-up")
            elif f.cadence_run_id is not None:
                problems.append(f"{tag}: a cadence may not create agreed follow-ups")
    return problems


_AUDIT_CHUNK = 5000  # customers per query (SQLite takes at most 32,766 parameters)
# id, customer_id, status, basis, channel, due_at, snoozed_until, cadence_run_id
_Audited = Row[int, int, FollowUpStatus, Basis, Channel, datetime, datetime | None, int | None]


def _audited_follow_ups(session: Session, customer_ids: list[int]) -> dict[int, list[_Audited]]:
    """The pending and done follow-ups of each customer, in the order they were made, as
    the few columns the audit reads."""
    found: dict[int, list[_Audited]] = {}
    for start in range(0, len(customer_ids), _AUDIT_CHUNK):
        chunk = customer_ids[start : start + _AUDIT_CHUNK]
        for row in session.execute(
            select(
                FollowUp.id,
                FollowUp.customer_id,
                FollowUp.status,
                FollowUp.basis,
                FollowUp.channel,
                FollowUp.due_at,
                FollowUp.snoozed_until,
                FollowUp.cadence_run_id,
            )
            .where(
                FollowUp.customer_id.in_(chunk),
                FollowUp.status.in_([FollowUpStatus.PENDING, FollowUpStatus.DONE]),
            )
            .order_by(FollowUp.customer_id, FollowUp.id)
        ):
            found.setdefault(row.customer_id, []).append(row)
    return found
