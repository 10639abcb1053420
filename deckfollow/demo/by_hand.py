"""Follow-ups the owner planned by hand for an open quote: planned, or agreed with the customer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from deckfollow.core.enums import (
    Channel,
    Direction,
    Outcome,
    Stage,
)
from deckfollow.core.errors import PermissionRefused
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.models import FollowUp
from deckfollow.core.permission import find_slot
from deckfollow.demo.consent_history import ConsentHistory
from deckfollow.demo.people import HandPlan, Person, StoryQuote
from deckfollow.demo.rows import touch_row
from deckfollow.demo.times import clock, local_day, reachable, weighted, working_day
from deckfollow.demo.wording import OPEN_REASONS, WORD_NUMBERS
from deckfollow.demo.workbench import Workbench

_FOLLOW_UP_CHANNELS = {Channel.CALL: 45, Channel.TEXT: 20, Channel.EMAIL: 25, Channel.CARD: 10}


_AGREED = 0.35  # of follow-ups planned by hand for an open quote


class HandFollowUps:
    """The next step of an open quote nobody runs a plan for."""

    def __init__(self, wb: Workbench, consent: ConsentHistory) -> None:
        self.wb = wb
        self.consent = consent

    def open_follow_up(self, person: Person, q: StoryQuote) -> None:
        """The next step for an open quote nobody runs a plan for: planned, or agreed."""
        rng, now, row = self.wb.rng, self.wb.now, q.row
        stage: Stage = row["stage"]
        tz = person.tz
        today = local_day(now, tz)
        if stage is Stage.LEAD:
            if q.visit_at is not None and q.visit_at > now:
                day = local_day(q.visit_at, tz) - timedelta(days=1)
                reason = f"Remind them of the site visit for the {q.title} tomorrow"
                self.by_hand(person, q, Channel.TEXT, reason, max(day, today))
                return
            reason = f"Send the {q.title} quote after measuring up"
            day = today + timedelta(days=rng.randint(0, 5))
            self.by_hand(person, q, Channel.EMAIL, reason, day)
            return
        channel = weighted(rng, _FOLLOW_UP_CHANNELS)
        roll = rng.random()
        # However small the demo, Today shows something overdue and something due today.
        if self.wb.made_overdue < 2:
            roll = 0.0
        elif self.wb.made_today < 2:
            roll = 0.1
        self.wb.made_overdue += roll < 0.03
        self.wb.made_today += 0.03 <= roll < 0.15
        if roll < 0.03:
            day = today - timedelta(days=rng.randint(1, 5))
        elif roll < 0.15:
            day = today
        else:
            # A quote just sent is checked on within a fortnight; one being worked, within a month.
            day = today + timedelta(days=rng.randint(1, 14 if stage is Stage.QUOTED else 30))
        competing = row["competing_quotes"]
        options = list(OPEN_REASONS[stage])
        if stage is Stage.FOLLOWING_UP and competing in WORD_NUMBERS:
            options.append(
                f"Follow up the {{job}} quote: they're comparing {WORD_NUMBERS[competing]} quotes"
            )
        reason = rng.choice(options).format(job=q.title)
        if channel is Channel.CARD and not person.open_at(Channel.CARD, now):
            channel = Channel.CALL  # no address, or they refused post
        if channel is Channel.CARD:
            reason = f"Handwritten note: thanks for having us quote the {q.title}"
        if channel is not Channel.CARD and rng.random() < _AGREED:
            self.agreed_by_hand(person, q, channel, reason, day)
            return
        self.by_hand(person, q, channel, reason, day)

    def usable(self, person: Person, channel: Channel) -> Channel | None:
        if person.open_at(channel, self.wb.now):
            return channel
        for other in (Channel.CALL, Channel.TEXT, Channel.EMAIL):
            if person.open_at(other, self.wb.now):
                return other
        return None

    def by_hand(
        self,
        person: Person,
        q: StoryQuote,
        channel: Channel,
        reason: str,
        day: date,
    ) -> None:
        """A planned follow-up the owner set by hand, placed where the core allows it."""
        rng, now, tz = self.wb.rng, self.wb.now, person.tz
        usable = self.usable(person, channel)
        if usable is None or (channel is Channel.CARD and usable is not channel):
            return
        if usable is not channel:
            channel = usable
            reason = rng.choice(OPEN_REASONS.get(q.row["stage"], (reason,))).format(job=q.title)
        day = working_day(day)
        at = clock(
            day, rng.choice((9, 10, 11, 13, 14, 15, 16)) * 60 + rng.choice((0, 15, 30, 45)), tz
        )
        if day == local_day(now, tz) and at < now and rng.random() < 0.7:
            # Most of today's work is still ahead when the owner opens the app (while it
            # is still daytime where the customer is).
            ahead = now + timedelta(minutes=15 * rng.randint(2, 28))
            ahead = ahead.replace(minute=ahead.minute - ahead.minute % 15, second=0)
            ahead = ahead.replace(microsecond=0)
            if 8 <= ahead.astimezone(tz).hour < 19 and local_day(ahead, tz) == day:
                at = ahead
        planned = self.wb.book.planned_times(person.id)
        slot = find_slot(person.snapshot(now), channel, at, planned, self.wb.cap)
        if slot is None:
            return
        if slot != at:
            # Land on a tidy quarter hour the customer would recognise, still inside their hours.
            tidy = slot.replace(second=0, microsecond=0)
            tidy += timedelta(minutes=-tidy.minute % 15)
            if find_slot(person.snapshot(now), channel, tidy, planned, self.wb.cap) == tidy:
                slot = tidy
        created = min(q.last_touch or q.row["received_at"], slot, now)
        self.wb.hand_plans.append(HandPlan(created, person, q.row["id"], slot, channel, reason))
        self.wb.book.planned_elsewhere(person.id, slot)

    def agreed_by_hand(
        self, person: Person, q: StoryQuote, channel: Channel, reason: str, day: date
    ) -> None:
        """A follow-up the customer agreed to on the phone after the last touch."""
        rng, now, tz = self.wb.rng, self.wb.now, person.tz
        usable = self.usable(person, channel)
        if usable is None or (
            person.revoked is not None and usable.consent_channel is person.revoked[0]
        ):
            self.by_hand(person, q, channel, reason, day)
            return
        if q.row["stage"] is Stage.QUOTED:
            # Nobody has followed it up since it went out: the next contact was agreed on
            # site ("OK to check in Thursday?"), as the field notes advise.
            visit = q.visit_touch
            agreed = visit is not None and self.consent.agree(
                person, q, visit["at"], "in person", visit, channel=usable, day=day, reason=reason
            )
            if not agreed:
                self.by_hand(person, q, channel, reason, day)
            return
        # They agreed on the phone some time after the last touch, a day to a fortnight ahead.
        lo = max(
            (q.last_touch or q.row["received_at"]) + timedelta(hours=2),
            clock(day - timedelta(days=13), 9 * 60, tz),
        )
        hi = min(now - timedelta(minutes=20), clock(day - timedelta(days=1), 19 * 60, tz))
        if lo >= hi:
            self.by_hand(person, q, channel, reason, day)
            return
        said = lo + (hi - lo) * rng.uniform(0.4, 1.0)
        moved = reachable(rng, person, said)
        if moved >= hi:  # no waking hour left before then: a call back then the same day
            moved = reachable(rng, person, lo)
            if moved >= hi:
                self.by_hand(person, q, channel, reason, day)
                return
        said = moved
        touch = touch_row(
            person, q.row["id"], said, Channel.CALL, Direction.OUTBOUND, Outcome.REACHED, ""
        )
        agreed = self.consent.agree(
            person, q, said, "call", touch, channel=usable, day=day, reason=reason
        )
        if agreed is None:
            self.by_hand(person, q, channel, reason, day)
        else:
            self.wb.touch(touch)


def enter_hand_plan(session: Session, h: HandPlan) -> FollowUp | None:
    """Plan one follow-up through the core at the moment the owner planned it, as the
    log-outcome dialog and `followup add` plan one: every rule checked against the business
    as it then stood. Refused, the owner takes the nearest allowed time the core offers
    (as the dialog suggests it); None when there is none."""
    plan = FollowUpPlan(h.due, h.channel, h.reason)
    try:
        return schedule_follow_up(session, h.customer.id, h.quote_id, plan, now=h.planned)
    except PermissionRefused as refused:
        if refused.suggestion is None:
            return None
        moved = replace(plan, due_at=refused.suggestion)
        return schedule_follow_up(session, h.customer.id, h.quote_id, moved, now=h.planned)
