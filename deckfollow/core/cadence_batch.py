"""Many plan runs started and moved on in one unit of work (history entered at once).

`start_cadence`, `complete_step` and `move_on` read the plan, the customer, their
consent, hours and holidays, the owner's cap and the customer's other follow-ups again
at every step (about fifteen queries a step). A `PlanBatch` reads each of these once —
the settings and plans when it is made, a customer's snapshot, planned and agreed times
the first time the customer is named — keeps the steps it places in memory, and writes
every run and step with one insert each (`write`). Each step is placed by the same
`plan_next_step`, from the same inputs the single services read, into the same fields
(`cadence_runs.step_fields`), so a batch of steps lands where the steps placed one by
one land (`tests/core/test_cadence_batch`).

What the batch is told happens to the customer meanwhile is applied from its moment on,
as the single services would find it in the database: a channel closed or a "stop"
(`closed`, what `revoke_consent` does to plans), a follow-up they agreed to (`agreed`,
which steps keep clear of, as `agree_follow_up` refits them), a follow-up planned by hand
(`planned_elsewhere`, counted against the cap).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_library import get_cadence_row, spec_of
from deckfollow.core.cadence_placement import STUCK_REASON, Placement, plan_next_step, run_anchor
from deckfollow.core.cadence_runs import DNC_STOP, step_fields
from deckfollow.core.cadence_specs import Anchor, CadenceSpec
from deckfollow.core.contact_snapshot import (
    get_customer,
    load_snapshot,
    load_snapshots,
    snapshots_of,
)
from deckfollow.core.enums import (
    Basis,
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentState,
    FollowUpStatus,
)
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.followups import planned_times
from deckfollow.core.models import CadenceRun, FollowUp, Quote
from deckfollow.core.permission import (
    ConsentInfo,
    ContactSnapshot,
    channel_decision,
    find_slot,
    planned_slot_ok,
)
from deckfollow.core.settings import load_settings
from deckfollow.storage.sequences import advance_sequences

_RUNS = cast(Table, CadenceRun.__table__)
_FOLLOW_UPS = cast(Table, FollowUp.__table__)
_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)


@dataclass(frozen=True)
class _Closing:
    at: datetime
    channel: ConsentChannel | None  # None: do not contact at all
    source: str | None
    words: str | None


@dataclass
class _Customer:
    """What the single services read about one customer, read once."""

    base: ContactSnapshot
    birthday: date | None
    planned: list[datetime]  # pending and done planned follow-ups (the cap, rule 5)
    agreed: list[datetime]  # pending agreed ones (kept clear of, rule 4)
    running: set[tuple[int, int | None]]  # (plan, quote) of runs active or paused
    closings: list[_Closing] = field(default_factory=list)
    _snaps: dict[int, ContactSnapshot] = field(default_factory=dict)

    def snapshot(self, at: datetime) -> ContactSnapshot:
        """The customer as permission knew them at `at` (the closings up to then applied)."""
        upto = [c for c in self.closings if c.at <= at]
        snap = self._snaps.get(len(upto))
        if snap is None:
            snap = self.base
            for c in upto:
                states = ConsentInfo(ConsentState.REVOKED, c.at, c.source, c.words)
                channels = [c.channel] if c.channel is not None else list(ConsentChannel)
                consents = dict(snap.consents) | dict.fromkeys(channels, states)
                snap = replace(snap, consents=consents)
                if c.channel is None:
                    snap = replace(snap, do_not_contact=True, dnc_since=c.at, dnc_source=c.source)
            self._snaps[len(upto)] = snap
        return snap


@dataclass
class BatchRun:
    """A run of the batch: its row, and the step waiting (if any)."""

    row: dict[str, Any]
    spec: CadenceSpec
    anchor: date
    parked_until: date | None = None
    last: int | None = None
    pending: dict[str, Any] | None = None

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def status(self) -> CadenceRunStatus:
        return cast(CadenceRunStatus, self.row["status"])


class PlanBatch:
    """Runs and steps placed in memory by the core's rules; `write` stores them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.cap = load_settings(session).weekly_cap
        self._plans: dict[str, tuple[int, str, CadenceSpec]] = {}
        self._customers: dict[int, _Customer] = {}
        self._next_run = self._max_id(CadenceRun) + 1
        self._next_step = self._max_id(FollowUp) + 1
        self.runs: list[BatchRun] = []
        self._runs_of: dict[int, list[BatchRun]] = {}  # by customer
        self.steps: list[dict[str, Any]] = []  # every follow-up row, in the order made

    def _max_id(self, model: type[Any]) -> int:
        return int(self._session.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())

    def _plan(self, key: str) -> tuple[int, str, CadenceSpec]:
        plan = self._plans.get(key)
        if plan is None:
            cad = get_cadence_row(self._session, key)
            plan = self._plans[key] = (cad.id, cad.name, spec_of(self._session, cad))
        return plan

    def _customer(self, customer_id: int) -> _Customer:
        known = self._customers.get(customer_id)
        if known is None:
            s = self._session
            customer = get_customer(s, customer_id)
            agreed = s.execute(
                select(FollowUp.due_at).where(
                    FollowUp.customer_id == customer_id,
                    FollowUp.basis == Basis.AGREED,
                    FollowUp.status == FollowUpStatus.PENDING,
                )
            ).scalars()
            running = s.execute(
                select(CadenceRun.cadence_id, CadenceRun.quote_id).where(
                    CadenceRun.customer_id == customer_id,
                    CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
                )
            ).all()
            known = self._customers[customer_id] = _Customer(
                load_snapshot(s, customer_id),
                customer.birthday,
                planned_times(s, customer_id),
                list(agreed),
                {(cid, qid) for cid, qid in running},
            )
        return known

    def read(self, customer_ids: Iterable[int]) -> None:
        """Read these customers' rules and follow-ups in a few queries for them all (else
        each is read the first time the batch names them); the missing are left out."""
        s = self._session
        wanted = sorted({i for i in customer_ids if i not in self._customers})
        found = load_snapshots(s, wanted)
        snaps = snapshots_of(s, list(found.values()))
        planned: dict[int, list[datetime]] = {i: [] for i in found}
        agreed: dict[int, list[datetime]] = {i: [] for i in found}
        running: dict[int, set[tuple[int, int | None]]] = {i: set() for i in found}
        ids = list(found)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for cid, due, basis, status in s.execute(
                select(FollowUp.customer_id, FollowUp.due_at, FollowUp.basis, FollowUp.status)
                .where(FollowUp.customer_id.in_(chunk))
                .where(FollowUp.status.in_([FollowUpStatus.PENDING, FollowUpStatus.DONE]))
            ):
                if basis is Basis.PLANNED:
                    planned[cid].append(due)
                elif status is FollowUpStatus.PENDING:
                    agreed[cid].append(due)
            for cid, cadence_id, quote_id in s.execute(
                select(CadenceRun.customer_id, CadenceRun.cadence_id, CadenceRun.quote_id).where(
                    CadenceRun.customer_id.in_(chunk),
                    CadenceRun.status.in_([CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED]),
                )
            ):
                running[cid].add((cadence_id, quote_id))
        for cid, customer in found.items():
            self._customers[cid] = _Customer(
                snaps[cid], customer.birthday, planned[cid], agreed[cid], running[cid]
            )

    # -- what `start_cadence`, `move_on`, `close_follow_up`, `stop_cadence` do ----------

    def start(
        self,
        customer_id: int,
        key: str,
        *,
        quote_id: int | None = None,
        now: datetime,
        parked_until: date | None = None,
    ) -> BatchRun:
        """Start a plan for a customer (and quote) at `now`; its first step is placed.

        Refused as `start_cadence` refuses: a customer who asked not to be contacted, a
        birthday plan without a birthday, the plan already running for them. The quote
        is checked when the batch is written (it may be entered in the same unit of work),
        and so is `parked_until`, the parked quote's date a plan anchored on it starts from
        (read from the quote when not given).
        """
        who = self._customer(customer_id)
        snap = who.snapshot(now)
        if snap.do_not_contact:
            raise PermissionRefused(channel_decision(snap, Channel.EMAIL).reason)
        cadence_id, name, spec = self._plan(key)
        if spec.anchor is Anchor.BIRTHDAY and who.birthday is None:
            raise ValidationError("birthday", f"add {snap.name}'s birthday first")
        if (cadence_id, quote_id) in who.running:
            raise ValidationError("cadence", f"{name!r} is already running for this customer")
        if parked_until is None and spec.anchor is Anchor.PARKED_UNTIL and quote_id is not None:
            parked_until = self._session.execute(
                select(Quote.parked_until).where(Quote.id == quote_id)
            ).scalar_one_or_none()
        started = now.astimezone(snap.hours.tz).date()
        row = {
            "id": self._next_run,
            "cadence_id": cadence_id,
            "customer_id": customer_id,
            "quote_id": quote_id,
            "started_at": now,
            "status": CadenceRunStatus.ACTIVE,
            "paused_reason": None,
        }
        self._next_run += 1
        anchor = run_anchor(spec, started, birthday=who.birthday, parked_until=parked_until)
        run = BatchRun(row, spec, anchor, parked_until)
        self.runs.append(run)
        self._runs_of.setdefault(customer_id, []).append(run)
        who.running.add((cadence_id, quote_id))
        self._schedule_next(run, now)
        return run

    def _schedule_next(self, run: BatchRun, now: datetime) -> None:
        who = self._customer(run.row["customer_id"])
        snap = who.snapshot(now)
        nxt = plan_next_step(
            run.spec,
            run.anchor,
            snap,
            last_index=run.last,
            now=now,
            planned=who.planned,
            agreed=who.agreed,
            cap=self.cap,
        )

        def step(p: Placement) -> dict[str, Any]:
            fields = step_fields(
                run.row["customer_id"], run.row["quote_id"], run.id, snap.timezone, p, now
            )
            row = {
                "id": self._next_step,
                "window_end": None,
                "agreed_words": None,
                "template_id": None,
                "snoozed_until": None,
                "notified_at": None,
                "completed_at": None,
                "cancel_reason": None,
                "version": 1,
                **fields,
            }
            self._next_step += 1
            self.steps.append(row)
            run.last = p.occurrence.index
            return row

        for p in nxt.passed_over:
            step(p).update(
                status=FollowUpStatus.CANCELLED, completed_at=now, cancel_reason=p.passed_over
            )
        if nxt.placed is not None:
            run.pending = step(nxt.placed)
            who.planned.append(nxt.placed.due_at)
            return
        self._end(run, CadenceRunStatus.FINISHED if nxt.finished else CadenceRunStatus.PAUSED)
        run.row["paused_reason"] = None if nxt.finished else STUCK_REASON

    def _end(self, run: BatchRun, status: CadenceRunStatus) -> None:
        run.row["status"] = status
        if status in (CadenceRunStatus.FINISHED, CadenceRunStatus.STOPPED):
            self._customer(run.row["customer_id"]).running.discard(
                (run.row["cadence_id"], run.row["quote_id"])
            )

    def done(self, run: BatchRun, *, now: datetime) -> dict[str, Any]:
        """The run's waiting step was done at `now` (its touch logged); the plan moves on."""
        step = run.pending
        if step is None:
            raise ValidationError("follow-up", "the plan has no step waiting")
        step.update(status=FollowUpStatus.DONE, completed_at=now)
        run.pending = None
        self.move_on(run, now=now)
        return step

    def move_on(self, run: BatchRun, *, now: datetime) -> None:
        """Place the next step, if the run is active and has none waiting (`move_on`)."""
        if run.status is CadenceRunStatus.ACTIVE and run.pending is None:
            self._schedule_next(run, now)

    def cancel(self, run: BatchRun, *, now: datetime, reason: str) -> None:
        """Cancel the run's waiting step (the plan does not move on)."""
        step = run.pending
        if step is None:
            return
        step.update(status=FollowUpStatus.CANCELLED, completed_at=now, cancel_reason=reason)
        run.pending = None
        self._customer(run.row["customer_id"]).planned.remove(step["due_at"])

    def pause(self, run: BatchRun, *, reason: str) -> None:
        """Hold an active run; its waiting step stays (`pause_cadence`, a reply)."""
        if run.status is CadenceRunStatus.ACTIVE:
            run.row.update(status=CadenceRunStatus.PAUSED, paused_reason=reason)

    def stop(self, run: BatchRun, *, now: datetime, reason: str = "stopped") -> None:
        """Stop a run for good; its waiting step is cancelled (`stop_cadence`)."""
        if run.status in (CadenceRunStatus.STOPPED, CadenceRunStatus.FINISHED):
            return
        self._end(run, CadenceRunStatus.STOPPED)
        run.row["paused_reason"] = reason
        self.cancel(run, now=now, reason=f"cadence {reason}")

    # -- what the customer did meanwhile -------------------------------------------------

    def closed(
        self,
        customer_id: int,
        channel: ConsentChannel | None,
        *,
        now: datetime,
        source: str | None = None,
        words: str | None = None,
    ) -> None:
        """They closed a channel (None: everything) at `now`, as `revoke_consent` records:
        from then on the batch's steps on it are cancelled, and plans move past it (or
        stop, for a "stop")."""
        who = self._customer(customer_id)
        who.closings.append(_Closing(now, channel, source, words))
        who.closings.sort(key=lambda c: c.at)
        who._snaps.clear()
        why = (
            "customer asked not to be contacted" if channel is None else f"{channel.value} revoked"
        )
        mine = self._runs_of.get(customer_id, [])
        for run in mine:
            step = run.pending
            if step is not None and (channel is None or step["channel"].consent_channel is channel):
                self.cancel(run, now=now, reason=why)
        for run in mine:
            if run.status not in (CadenceRunStatus.ACTIVE, CadenceRunStatus.PAUSED):
                continue
            if channel is None:
                self.stop(run, now=now, reason=DNC_STOP)
            else:
                self.move_on(run, now=now)

    def agreed(self, customer_id: int, due: datetime, *, now: datetime) -> int:
        """They agreed to a follow-up at `due` (said at `now`): the batch's waiting steps
        that no longer keep the rules move, or are cancelled, as `refit_planned` moves
        them after `agree_follow_up`; how many changed."""
        who = self._customer(customer_id)
        who.agreed.append(due)
        snap = who.snapshot(now)
        waiting = sorted(
            (r for r in self._runs_of.get(customer_id, []) if r.pending),
            key=lambda r: (r.pending["due_at"], r.pending["id"]),  # type: ignore[index]
        )
        mine = {id(r.pending) for r in waiting}
        placed = [t for t in who.planned]
        for r in waiting:
            assert r.pending is not None
            placed.remove(r.pending["due_at"])
        changed = 0
        for run in waiting:
            step = run.pending
            assert step is not None and id(step) in mine
            if planned_slot_ok(snap, step["channel"], step["due_at"], placed, self.cap, who.agreed):
                placed.append(step["due_at"])
                continue
            changed += 1
            slot = find_slot(
                snap,
                step["channel"],
                max(step["due_at"], now),
                placed,
                self.cap,
                keep_clear_of=who.agreed,
            )
            who.planned.remove(step["due_at"])
            if slot is None:
                decision = channel_decision(snap, step["channel"])
                step.update(
                    status=FollowUpStatus.CANCELLED,
                    completed_at=now,
                    cancel_reason=(
                        "no allowed time for it any more: " + decision.reason
                        if not decision.allowed
                        else "no allowed time for it within four months"
                    ),
                )
                run.pending = None
                continue
            step["due_at"] = slot
            who.planned.append(slot)
            placed.append(slot)
        return changed

    def planned_elsewhere(self, customer_id: int, due: datetime) -> None:
        """A follow-up planned by hand for `due` counts against the cap from now on."""
        self._customer(customer_id).planned.append(due)

    def planned_times(self, customer_id: int) -> list[datetime]:
        """The due times the cap counts for the customer, as the batch stands."""
        return list(self._customer(customer_id).planned)

    # -- storing ------------------------------------------------------------------------

    def write(self) -> tuple[int, int]:
        """Insert every run and step; (runs, steps) written. Each run's quote must be its
        customer's (NotFoundError names the first that is not)."""
        s = self._session
        wanted = sorted({r.row["quote_id"] for r in self.runs if r.row["quote_id"] is not None})
        owner: dict[int, tuple[int, date | None]] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            owner.update(
                (qid, (cid, until))
                for qid, cid, until in s.execute(
                    select(Quote.id, Quote.customer_id, Quote.parked_until).where(
                        Quote.id.in_(chunk), Quote.deleted_at.is_(None)
                    )
                )
            )
        for run in self.runs:
            qid = run.row["quote_id"]
            if qid is None:
                continue
            cid, until = owner.get(qid, (None, None))
            if cid != run.row["customer_id"]:
                raise NotFoundError(f"no quote {qid} for customer {run.row['customer_id']}")
            if run.spec.anchor is Anchor.PARKED_UNTIL and run.parked_until != until:
                raise ValidationError("parked until", f"quote {qid} is parked until {until}")
        if self._max_id(CadenceRun) >= min((r.id for r in self.runs), default=2**62):
            raise ValidationError("cadence", "runs were added beside the batch; start it again")
        if self._max_id(FollowUp) >= min((f["id"] for f in self.steps), default=2**62):
            raise ValidationError("follow-up", "follow-ups were added beside the batch")
        if self.runs:
            s.execute(insert(_RUNS), [r.row for r in self.runs])
        if self.steps:
            s.execute(insert(_FOLLOW_UPS), self.steps)
        advance_sequences(s, [CadenceRun.__tablename__, FollowUp.__tablename__])
        s.flush()
        written = len(self.runs), len(self.steps)
        return written
