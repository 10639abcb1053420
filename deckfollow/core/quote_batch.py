"""Many quotes entered in one unit of work, each as the quote services enter one.

Entering a business's past at once (the sample business, a move from another system)
goes through the same steps as an owner entering each quote by hand, given in the order
they happened: the enquiry with its first reply (`leads.add_lead`, for a customer already
in the book), the first reply given (what `touches.log_touch` does to the quote: the
speed-to-lead clock stops, the first reply waiting on Today is done), the quote's figures
(`quotes.edit_quote`), a move between open stages (`quotes.change_stage`) and the close
(`pipeline.close_quote`: the quote's planned follow-ups cancelled, a parked quote's revisit
planned). One by one these read the settings, the customer, their rules and their other
follow-ups again at every step; a `QuoteBatch` reads each once, keeps the quotes and the
follow-ups it plans in memory, decides every field by the services' own functions, and
writes each table with one insert (`write`), so what it stores is what the services store
called in the same order (`tests/core/test_quote_batch`).

The batch's quotes are new, so no plan runs for them until it is written; what else
happens to the customers meanwhile is not seen by it (enter that before or after), and a
reply it records answers the customer's enquiries in the batch, not ones stored before.
`move_quotes` is the batch form of a later open move (`change_stage`) of stored quotes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.contact_hours import local_to_utc, zone
from deckfollow.core.contact_snapshot import load_snapshots, snapshots_of
from deckfollow.core.due import first_reply_given_at, planned_first_reply
from deckfollow.core.due_list import FIRST_REPLY
from deckfollow.core.enums import Basis, Channel, FollowUpStatus, Stage
from deckfollow.core.errors import NotFoundError, PermissionRefused, ValidationError
from deckfollow.core.leads import first_reply_plan
from deckfollow.core.limits import REASON
from deckfollow.core.members import current_member
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.permission import ContactSnapshot, decide, find_slot
from deckfollow.core.pipeline import Close
from deckfollow.core.quotes import Keep, QuoteEdit, check_currency, check_fields, sent_moment
from deckfollow.core.settings import load_settings
from deckfollow.core.timezones import lead_zone
from deckfollow.storage.sequences import advance_sequences

_QUOTES = cast(Table, Quote.__table__)
_FOLLOW_UPS = cast(Table, FollowUp.__table__)
_CHUNK = 5000  # ids per query (SQLite takes at most 32,766 parameters)


@dataclass
class _Customer:
    row: Customer
    snap: ContactSnapshot
    planned_before: list[datetime]  # planned follow-ups stored before the batch (the cap)
    follow_ups: list[dict[str, Any]]  # the batch's own, in the order planned
    reply_waiting_before: bool  # a first reply stored before the batch waits for them
    leads: list[dict[str, Any]]  # the batch's quotes of theirs, in the order entered

    def reply_waiting(self) -> bool:
        """Does a first reply wait for them (`leads.waiting_first_reply`)?"""
        unanswered = {q["id"] for q in self.leads if q["first_response_at"] is None}
        return self.reply_waiting_before or any(
            f["status"] is FollowUpStatus.PENDING
            and _is_first_reply(f)
            and f["quote_id"] in unanswered
            for f in self.follow_ups
        )

    def planned(self) -> list[datetime]:
        """Pending and done planned follow-ups, as `followups.planned_times` reads them."""
        mine = [
            f["due_at"]
            for f in self.follow_ups
            if f["basis"] is Basis.PLANNED
            and f["status"] in (FollowUpStatus.PENDING, FollowUpStatus.DONE)
        ]
        return self.planned_before + mine


def _is_first_reply(f: dict[str, Any]) -> bool:
    """`due.lead_first_reply`: the follow-up a lead's plan made, its first reply."""
    return (
        f["basis"] is Basis.PLANNED
        and f["cadence_run_id"] is None
        and bool(f["reason"].startswith(FIRST_REPLY))
    )


def _max_id(session: Session, model: type[Any]) -> int:
    return int(session.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())


class QuoteBatch:
    """Quotes and the follow-ups their services plan, decided in memory; `write` stores them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        settings = load_settings(session)
        self._settings = settings
        self.owner_zone = ZoneInfo(settings.owner_timezone)  # sent dates are read in it
        self._who = current_member(session)
        self._next_quote = _max_id(session, Quote) + 1
        self._next_follow_up = _max_id(session, FollowUp) + 1
        self._numbers = set(
            session.execute(select(Quote.number).where(Quote.number.is_not(None))).scalars()
        )
        self._customers: dict[int, _Customer] = {}
        self.quotes: dict[int, dict[str, Any]] = {}  # by id, in the order entered
        self.follow_ups: list[dict[str, Any]] = []

    # -- reading each customer once ---------------------------------------------------------

    def read(self, customer_ids: Iterable[int]) -> None:
        """Read these customers' rules and planned follow-ups in a few queries for them all
        (else each is read the first time the batch names them)."""
        s = self._session
        wanted = sorted({i for i in customer_ids if i not in self._customers})
        found = load_snapshots(s, wanted)
        snaps = snapshots_of(s, list(found.values()))
        planned: dict[int, list[datetime]] = {i: [] for i in found}
        waiting: set[int] = set()
        ids = list(found)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for cid, due in s.execute(
                select(FollowUp.customer_id, FollowUp.due_at).where(
                    FollowUp.customer_id.in_(chunk),
                    FollowUp.basis == Basis.PLANNED,
                    FollowUp.status.in_([FollowUpStatus.PENDING, FollowUpStatus.DONE]),
                )
            ):
                planned[cid].append(due)
            waiting.update(
                s.execute(
                    select(FollowUp.customer_id)
                    .join(Quote, Quote.id == FollowUp.quote_id)
                    .where(
                        FollowUp.customer_id.in_(chunk),
                        FollowUp.status == FollowUpStatus.PENDING,
                        planned_first_reply(),
                    )
                ).scalars()
            )
        for cid, customer in found.items():
            self._customers[cid] = _Customer(
                customer, snaps[cid], planned[cid], [], cid in waiting, []
            )

    def _customer(self, customer_id: int) -> _Customer:
        if customer_id not in self._customers:
            self.read([customer_id])
        known = self._customers.get(customer_id)
        if known is None:
            raise NotFoundError(f"no customer with id {customer_id}")
        return known

    def _quote(self, quote_id: int) -> dict[str, Any]:
        quote = self.quotes.get(quote_id)
        if quote is None:
            raise NotFoundError(f"no quote {quote_id} in this batch")
        return quote

    # -- the services' steps ----------------------------------------------------------------

    def add_lead(
        self,
        customer_id: int,
        *,
        job: str | None,
        source: str | None,
        now: datetime,
        note: str | None = None,
        answered: bool = False,
    ) -> int:
        """`add_lead` of an enquiry from someone already a customer (no new phone or email):
        the lead, and its first reply planned at once (none when `answered`: they rang and
        the owner answered there and then); the new quote's id. Refused as `add_lead` is
        refused (PermissionRefused), nothing is kept of it."""
        who = self._customer(customer_id)
        limits.check_length("name", who.row.display_name, limits.NAME)
        limits.check_length("job", job and job.strip(), limits.JOB)
        limits.check_length("source", source, limits.SOURCE)
        limits.check_length("note", note, limits.NOTE)
        country = self._settings.default_country.strip().upper()
        zone(lead_zone(country, None, self._settings.owner_timezone))
        text = (job or note or "New enquiry").strip()[:300]
        plan = None
        if not answered:
            plan = first_reply_plan(who.row, who.snap, text, who.planned(), self._cap, now=now)
        if plan is not None and who.reply_waiting():
            # One reply answers the person, and with it every enquiry of theirs.
            plan = None
        if plan is not None:
            # `schedule_follow_up`'s checks, on the same inputs.
            decision = decide(
                who.snap,
                plan.channel,
                plan.due_at,
                plan.basis,
                who.planned(),
                self._cap,
                owner_tz=self._settings.owner_timezone,
            )
            if not decision.allowed:
                raise PermissionRefused(decision.reason, None)
        quote_id = self._next_quote
        self._next_quote += 1
        quote: dict[str, Any] = {
            "id": quote_id,
            "customer_id": customer_id,
            "number": None,
            "job": text,
            "amount": None,
            "currency": self._settings.business_currency,
            "stage": Stage.LEAD,
            "source": source,
            "received_at": now,
            "first_response_at": now if answered else None,
            "sent_at": None,
            "valid_until": None,
            "competing_quotes": None,
            "stage_changed_at": now,
            "last_touch_at": None,
            "closed_at": None,
            "lost_reason": None,
            "parked_until": None,
            "notes": note,
            "file_path": None,
            "created_at": now,
            "updated_at": now,
            "deleted_at": None,
            "version": 1,
            "owner": self._who,
            "updated_by": self._who,
            "stage_changed_by": self._who,
        }
        self.quotes[quote_id] = quote
        who.leads.append(quote)
        if plan is not None:
            self._follow_up(who, quote, plan.due_at, plan.channel, plan.reason.strip(), now)
        return quote_id

    @property
    def _cap(self) -> int:
        return self._settings.weekly_cap

    def answered(self, quote_id: int, *, at: datetime) -> None:
        """The first reply was given at `at` (what logging it does to the quote): the
        speed-to-lead clock stops, and the first reply waiting for it is done; and so for
        every enquiry of theirs in the batch still waiting (one reply answers the person)."""
        quote = self._quote(quote_id)
        if quote["first_response_at"] is not None:
            return
        unanswered = [
            q
            for q in self._customer(quote["customer_id"]).leads
            if q["stage"] is Stage.LEAD and q["first_response_at"] is None
        ]
        for lead in {id(q): q for q in (quote, *unanswered)}.values():
            lead["first_response_at"] = at
            self._settle_first_reply(lead, answered_at=at, now=at)

    def edit(self, quote_id: int, edit: QuoteEdit, *, now: datetime) -> None:
        """`edit_quote` without a version check: the fields `edit` names."""
        quote = self._quote(quote_id)
        tz = self.owner_zone
        number: str | None = None
        if not isinstance(edit.number, Keep):
            number = " ".join((edit.number or "").split()) or None
            if number is not None:
                if len(number) > 40:
                    raise ValidationError("number", "keep the quote number under 40 characters")
                if number in self._numbers and number != quote["number"]:
                    raise ValidationError("number", f"{number} is already another quote's number")
        sent_at: datetime | None = quote["sent_at"]
        sent = sent_at.astimezone(tz).date() if sent_at is not None else None
        if not isinstance(edit.sent_on, Keep):
            sent = edit.sent_on
        until = quote["valid_until"] if isinstance(edit.valid_until, Keep) else edit.valid_until
        check_fields(edit, sent=sent, until=until, tz=tz, now=now)
        if not isinstance(edit.number, Keep):
            if quote["number"] is not None:
                self._numbers.discard(quote["number"])
            quote["number"] = number
            if number is not None:
                self._numbers.add(number)
        if isinstance(edit.job, str):
            quote["job"] = " ".join(edit.job.split())
        if not isinstance(edit.amount, Keep):
            quote["amount"] = edit.amount
        if isinstance(edit.currency, str):
            quote["currency"] = check_currency(edit.currency)
        if not isinstance(edit.sent_on, Keep):
            was = sent_at.astimezone(tz).date() if sent_at is not None else None
            if edit.sent_on is None:
                quote["sent_at"] = None
            elif was != edit.sent_on:
                quote["sent_at"] = sent_moment(edit.sent_on, tz, now)
        if not isinstance(edit.valid_until, Keep):
            quote["valid_until"] = edit.valid_until
        if not isinstance(edit.competing_quotes, Keep):
            quote["competing_quotes"] = edit.competing_quotes
        quote["updated_at"] = now
        if not isinstance(edit.file, Keep):
            quote["file_path"] = (edit.file or "").strip() or None

    def move(self, quote_id: int, stage: Stage, *, now: datetime) -> None:
        """`change_stage` to an open stage (no fill, no version check)."""
        if not stage.is_open:
            raise ValidationError("stage", f"closing as {stage.label} needs close_quote")
        quote = self._quote(quote_id)
        if quote["stage"] is not stage:
            quote.update(stage=stage, stage_changed_at=now, closed_at=None, updated_at=now)
        self._answered_by_quote(quote, now)

    def close(self, quote_id: int, close: Close, *, now: datetime) -> None:
        """`close_quote` (through `change_stage`): planned follow-ups of the quote stop,
        a parked quote's revisit is planned."""
        if close.stage.is_open:
            raise ValidationError("stage", f"{close.stage.label} is not a way to close a quote")
        if close.stage is Stage.LOST and not (close.lost_reason and close.lost_reason.strip()):
            raise ValidationError("lost reason", "say why the job was lost")
        if close.lost_reason is not None and len(close.lost_reason) > REASON:
            raise ValidationError("lost reason", f"keep it under {REASON} characters")
        if close.stage is Stage.PARKED:
            if close.parked_until is None:
                raise ValidationError("parked until", "say when to try again")
            if close.parked_until <= now.date():
                raise ValidationError("parked until", "must be a date in the future")
        quote = self._quote(quote_id)
        quote.update(
            stage=close.stage,
            stage_changed_at=now,
            closed_at=now,
            updated_at=now,
            lost_reason=close.lost_reason if close.stage is Stage.LOST else None,
            parked_until=close.parked_until if close.stage is Stage.PARKED else None,
        )
        reason = f"quote closed as {close.stage.label.lower()}"
        who = self._customer(quote["customer_id"])
        for f in who.follow_ups:
            if (
                f["quote_id"] == quote_id
                and f["status"] is FollowUpStatus.PENDING
                and f["basis"] is Basis.PLANNED
            ):
                f.update(status=FollowUpStatus.CANCELLED, cancel_reason=reason, completed_at=now)
        if close.stage is Stage.PARKED and close.parked_until is not None:
            self._plan_revisit(who, quote, close.parked_until, now, close.parked_reason)

    # -- what the services do beside the quote ----------------------------------------------

    def _follow_up(
        self,
        who: _Customer,
        quote: dict[str, Any],
        due: datetime,
        channel: Channel,
        reason: str,
        now: datetime,
    ) -> None:
        row = {
            "id": self._next_follow_up,
            "customer_id": who.row.id,
            "quote_id": quote["id"],
            "due_at": due,
            "window_end": None,
            "timezone": who.row.timezone,
            "channel": channel,
            "reason": reason,
            "basis": Basis.PLANNED,
            "agreed_words": None,
            "status": FollowUpStatus.PENDING,
            "cadence_run_id": None,
            "cadence_step": None,
            "template_id": None,
            "snoozed_until": None,
            "notified_at": None,
            "completed_at": None,
            "cancel_reason": None,
            "created_at": now,
            "version": 1,
            # A follow-up on an owned quote is its owner's (`members.stamp_members`).
            "member": quote["owner"] or self._who,
        }
        self._next_follow_up += 1
        who.follow_ups.append(row)
        self.follow_ups.append(row)

    def _settle_first_reply(
        self, quote: dict[str, Any], *, answered_at: datetime, now: datetime
    ) -> None:
        """`leads.settle_first_reply`: done, at the answer's moment if that came first."""
        for f in self._customer(quote["customer_id"]).follow_ups:
            if (
                f["quote_id"] == quote["id"]
                and f["status"] is FollowUpStatus.PENDING
                and _is_first_reply(f)
            ):
                f.update(
                    status=FollowUpStatus.DONE,
                    completed_at=now,
                    due_at=min(f["due_at"], answered_at),
                )

    def _answered_by_quote(self, quote: dict[str, Any], now: datetime) -> None:
        quoted = quote["stage"] in (Stage.QUOTED, Stage.FOLLOWING_UP)
        if not quoted or quote["first_response_at"] is not None:
            return
        sent = quote["sent_at"]
        answered: datetime = now if sent is None else min(max(sent, quote["received_at"]), now)
        quote["first_response_at"] = answered
        self._settle_first_reply(quote, answered_at=answered, now=now)

    def _plan_revisit(
        self, who: _Customer, quote: dict[str, Any], day: date, now: datetime, why: str | None
    ) -> None:
        snap = who.snap
        start = local_to_utc(day, time(10), snap.hours.tz)
        why = " ".join((why or "").split())
        reason = f"Revisit the parked quote for {quote['job']}" + (f": {why}" if why else "")
        if len(reason) > REASON:
            reason = reason[: REASON - 1] + "…"
        for channel in (Channel.CALL, Channel.EMAIL, Channel.CARD):
            slot = find_slot(snap, channel, start, who.planned(), self._cap)
            if slot is not None:
                self._follow_up(who, quote, slot, channel, reason, now)
                return

    # -- storing ----------------------------------------------------------------------------

    def write(self) -> tuple[int, int]:
        """Insert every quote and follow-up; (quotes, follow-ups) written."""
        s = self._session
        if _max_id(s, Quote) >= min(self.quotes, default=2**62):
            raise ValidationError("quote", "quotes were added beside the batch; start it again")
        if _max_id(s, FollowUp) >= min((f["id"] for f in self.follow_ups), default=2**62):
            raise ValidationError("follow-up", "follow-ups were added beside the batch")
        if self.quotes:
            s.execute(insert(_QUOTES), list(self.quotes.values()))
        if self.follow_ups:
            s.execute(insert(_FOLLOW_UPS), self.follow_ups)
        advance_sequences(s, [Quote.__tablename__, FollowUp.__tablename__])
        s.flush()
        return len(self.quotes), len(self.follow_ups)


@dataclass(frozen=True)
class Move:
    """A stored open quote moved to another open stage at `at`."""

    quote_id: int
    stage: Stage
    at: datetime


_MOVE = (
    update(_QUOTES)
    .where(_QUOTES.c.id == bindparam("quote_id"))
    .values(
        stage=bindparam("to_stage"),
        stage_changed_at=bindparam("changed_at"),
        closed_at=bindparam("closed"),
        updated_at=bindparam("updated"),
        first_response_at=bindparam("answered_at"),
        version=_QUOTES.c.version + 1,
    )
)
_SETTLE = (
    update(_FOLLOW_UPS)
    .where(
        _FOLLOW_UPS.c.quote_id == bindparam("answered_quote"),
        _FOLLOW_UPS.c.status == FollowUpStatus.PENDING,
        _FOLLOW_UPS.c.basis == Basis.PLANNED,
        _FOLLOW_UPS.c.cadence_run_id.is_(None),
        _FOLLOW_UPS.c.reason.startswith(FIRST_REPLY),
    )
    .values(
        status=FollowUpStatus.DONE,
        completed_at=bindparam("at"),
        due_at=first_reply_given_at(_FOLLOW_UPS.c.due_at, bindparam("given_at")),
    )
)


def move_quotes(session: Session, moves: Sequence[Move]) -> int:
    """Many `change_stage` moves between open stages (no fill, no version check) of stored
    quotes, given in the order they happened: one statement for the quotes and one for
    their first replies; how many quotes changed.

    The same steps as one move: the stage and its moment (a move to the stage a quote is
    already in leaves them), and a quote now quoted or followed up has been answered (its
    waiting first reply done, its clock stopped when it went out)."""
    if not moves:
        return 0
    for m in moves:
        if not m.stage.is_open:
            raise ValidationError("stage", f"closing as {m.stage.label} needs close_quote")
    stored: dict[int, dict[str, Any]] = {}
    ids = sorted({m.quote_id for m in moves})
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(
            select(
                Quote.id.label("quote_id"),
                Quote.stage.label("to_stage"),
                Quote.stage_changed_at.label("changed_at"),
                Quote.closed_at.label("closed"),
                Quote.updated_at.label("updated"),
                Quote.first_response_at.label("answered_at"),
                Quote.sent_at,
                Quote.received_at,
            ).where(Quote.id.in_(chunk), Quote.deleted_at.is_(None))
        ).mappings():
            stored[row["quote_id"]] = {**row, "changed": False}
    settled: list[dict[str, Any]] = []
    for m in moves:
        quote = stored.get(m.quote_id)
        if quote is None:
            raise NotFoundError(f"no quote with id {m.quote_id}")
        if quote["to_stage"] is not m.stage:
            quote.update(to_stage=m.stage, changed_at=m.at, closed=None, updated=m.at, changed=True)
        if m.stage in (Stage.QUOTED, Stage.FOLLOWING_UP) and quote["answered_at"] is None:
            # Answered before, what is pending is a later step, not the first reply.
            sent = quote["sent_at"]
            quote["answered_at"] = (
                m.at if sent is None else min(max(sent, quote["received_at"]), m.at)
            )
            settled.append(
                {"answered_quote": m.quote_id, "at": m.at, "given_at": quote["answered_at"]}
            )
            quote["changed"] = True
    changed = [q for q in stored.values() if q["changed"]]
    if changed:
        session.execute(_MOVE.execution_options(synchronize_session=False), changed)
    if settled:
        session.execute(_SETTLE.execution_options(synchronize_session=False), settled)
    session.flush()
    return len(changed)
