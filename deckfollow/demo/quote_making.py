"""Each customer's quotes: when they were asked for, answered, measured, sent and closed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from deckfollow.core.enums import (
    Stage,
)
from deckfollow.core.models import (
    Quote,
)
from deckfollow.core.quotes import sent_moment
from deckfollow.demo.jobs import (
    JOBS,
    LOST_AFTER_PLAN,
    LOST_REASONS,
    NO_REPLY,
    NO_REPLY_TO_PLAN,
    REPEAT_SOURCE,
    SOURCES,
)
from deckfollow.demo.people import Person, StoryQuote
from deckfollow.demo.times import daytime, local_day, money, reachable, weighted
from deckfollow.demo.workbench import Workbench

# Where the latest quote of a customer stands (weights); older quotes are all closed.
_LATEST_STAGE_WEIGHTS = {
    Stage.LEAD: 6,
    Stage.QUOTED: 18,
    Stage.FOLLOWING_UP: 30,
    Stage.WON: 22,
    Stage.LOST: 12,
    Stage.PARKED: 8,
}


# How often a quote's follow-up runs a built-in plan rather than being followed up by hand.
_PLAN_FOLLOWING_UP = 0.6  # an open quote being followed up


_PLAN_QUOTED = 0.7  # a quote that went out since yesterday evening


_PLAN_BEFORE_CLOSE = 0.35  # a won, lost or parked quote whose plan the close stopped


_PLAN_FULL_LENGTH = 0.12  # a lost quote whose six-month plan ran to its end unanswered


class QuoteMaker:
    """Makes a customer's quotes, oldest first; the last one is still in play."""

    def __init__(self, wb: Workbench) -> None:
        self.wb = wb

    def quotes_for(self, person: Person, count: int) -> None:
        """Make the customer's quotes (oldest first); the last is the one still in play."""
        rng, now = self.wb.rng, self.wb.now
        if count == 0:
            created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1439))
            person.row["created_at"] = person.row["updated_at"] = created
            return
        stage = weighted(rng, _LATEST_STAGE_WEIGHTS)
        if person.dnc and stage is not Stage.WON:
            stage = Stage.LOST  # they asked not to be contacted: the quote was closed then
        age = {
            Stage.LEAD: (1, 12),
            Stage.QUOTED: (2, 30),
            Stage.FOLLOWING_UP: (6, 75),
            Stage.WON: (4, 420),
            Stage.LOST: (10, 500),
            Stage.PARKED: (30, 220),
        }[stage]
        full_plan = stage is Stage.LOST and not person.dnc and self.wb.plan(_PLAN_FULL_LENGTH)
        if full_plan:
            age = (200, 480)
        received = self.wb.received(person, rng.randint(*age))
        if stage is Stage.LEAD and rng.random() < 0.1:
            received = now - timedelta(minutes=rng.randint(12, 600))  # speed-to-lead: still fresh
        older = sorted(
            self.wb.received(person, (now - received).days + rng.randint(60, 700))
            for _ in range(count - 1)
        )
        for when in older:
            stage_then = Stage.WON if rng.random() < 0.6 else Stage.LOST
            self.quote(person, stage_then, when, self.wb.bought_before(person))
        repeat = self.wb.bought_before(person)
        self.quote(person, stage, received, repeat, latest=True, full_plan=full_plan)
        first = person.quotes[0].row["received_at"]
        person.row["created_at"] = person.row["updated_at"] = first

    def quote(
        self,
        person: Person,
        stage: Stage,
        received: datetime,
        repeat: bool,
        *,
        latest: bool = False,
        full_plan: bool = False,
    ) -> StoryQuote:
        rng, now, tz = self.wb.rng, self.wb.now, person.tz
        job = rng.choice(JOBS)
        title, details = job.wording(self.wb.home.wording)
        # "repeat customer" is someone who bought before and came back.
        source = REPEAT_SOURCE if repeat and rng.random() < 0.6 else rng.choice(SOURCES)
        amount = None if stage is Stage.LEAD else money(rng, job, self.wb.home)
        sent_at = visit_at = first_response = None
        if stage is Stage.LEAD:
            # Most enquiries get an answer within a day; the ones still waiting are recent.
            waiting = now - received < timedelta(days=1) and rng.random() < 0.5
            if not waiting:
                answer = received + timedelta(minutes=rng.randint(4, 60 * 26))
                answer = reachable(rng, person, answer)
                # An answer that would lie in the future has not happened: still waiting.
                first_response = answer if answer <= now - timedelta(minutes=5) else None
            if first_response is not None:
                # The site visit was booked for a day or so later; it may not have happened yet.
                visit_day = local_day(first_response, tz) + timedelta(days=rng.randint(1, 5))
                visit_at = reachable(rng, person, daytime(rng, visit_day, tz, 8, 16))
        else:
            # Small jobs are often quoted from the customer's photos, without a visit.
            photos = job.high <= 8_000 and rng.random() < 0.7
            first_response, visit_at, sent_at = self.measure_and_quote(person, received, photos)
        lost_reason = None
        if stage is Stage.LOST:
            lost_reason = (
                "asked not to be contacted"
                if person.dnc and latest
                else LOST_AFTER_PLAN
                if full_plan
                else rng.choice(list(LOST_REASONS))
            )
        closed_at = None
        stage_changed = sent_at or received
        if stage in (Stage.WON, Stage.LOST):
            assert sent_at is not None
            # Three tries without a reply take a couple of weeks; a yes or a no can come sooner.
            days = (12, 40) if lost_reason == NO_REPLY else (3, 40)
            if full_plan:
                days = (186, 200)
            # A young quote closed in the days it has had (not all on the same afternoon).
            room = (local_day(now, tz) - local_day(sent_at, tz)).days
            low = min(days[0], room)
            close_day = local_day(sent_at, tz) + timedelta(
                days=rng.randint(low, max(low, min(days[1], room)))
            )
            closed_at = reachable(rng, person, daytime(rng, close_day, tz, 8, 20))
            closed_at = self.wb.before_now(person, closed_at, 2)
            closed_at = max(closed_at, sent_at + timedelta(hours=1))
            stage_changed = closed_at
        parked_until = None
        if stage is Stage.PARKED:
            today = local_day(now, tz)
            if rng.random() < 0.06:
                parked_until = today - timedelta(days=rng.randint(0, 2))  # the date has come
            else:
                parked_until = today + timedelta(days=rng.randint(3, 120))
            stage_changed = min((sent_at or received) + timedelta(days=rng.randint(5, 25)), now)
            # The core parks a quote only until a day after the one it is parked on.
            parked_until = max(parked_until, stage_changed.date() + timedelta(days=1))
        if stage is Stage.FOLLOWING_UP:
            stage_changed = min((sent_at or received) + timedelta(days=rng.randint(2, 6)), now)
        competing = rng.choice((None, 1, 2, 3)) if stage is not Stage.LEAD else None
        qid = self.wb.ids.take(Quote)
        row: dict[str, Any] = {
            "id": qid,
            "customer_id": person.id,
            "number": None,  # numbered in the order the enquiries came in, once all are made
            "job": f"{title} — {rng.choice(details)}",
            "amount": amount,
            "currency": self.wb.home.currency,
            "stage": stage,
            "source": source,
            "received_at": received,
            "first_response_at": first_response,
            "sent_at": sent_at,
            "valid_until": (sent_at + timedelta(days=30)).date() if sent_at else None,
            "competing_quotes": competing,
            "stage_changed_at": stage_changed,
            "last_touch_at": None,
            "closed_at": closed_at,
            "lost_reason": lost_reason,
            "parked_until": parked_until,
            "notes": None,
            "created_at": received,
            "updated_at": stage_changed,
            "deleted_at": None,
            "version": 1,
        }
        q = StoryQuote(row, title.lower(), latest, visit_at)
        if latest:
            q.after_quote = self.plan_choice(stage, sent_at, full_plan)
            if q.after_quote == "stopped" and lost_reason == NO_REPLY:
                row["lost_reason"] = NO_REPLY_TO_PLAN  # it was more than three tries
        self.wb.quotes.append(row)
        self.wb.by_id[qid] = q
        person.quotes.append(q)
        return q

    def measure_and_quote(
        self, person: Person, received: datetime, photos: bool
    ) -> tuple[datetime, datetime | None, datetime]:
        """Call back, measure up on site in working hours, write the quote (often at night).

        A job quoted from the customer's `photos` has no site visit; an enquiry that came in
        recently was answered, measured and quoted quickly to have gone out by now."""
        rng, now, tz = self.wb.rng, self.wb.now, person.tz
        latest = now - timedelta(hours=1)
        for quick in (False, True):
            wait = rng.randint(4, 90) if quick else rng.randint(4, 60 * 26)
            answered = reachable(rng, person, received + timedelta(minutes=wait))
            if photos:
                later = 0 if quick else rng.randint(0, 2)
                sent = daytime(rng, local_day(answered, tz) + timedelta(days=later), tz)
                sent = self.sent(sent, answered + timedelta(hours=rng.randint(2, 5)))
                if sent <= latest:
                    return answered, None, sent
                continue
            day = local_day(answered, tz) + timedelta(days=0 if quick else rng.randint(0, 3))
            if not quick and day == local_day(answered, tz) and answered.astimezone(tz).hour >= 13:
                day += timedelta(days=1)
            visit = reachable(rng, person, daytime(rng, day, tz, 8, 16))
            if visit <= answered:
                visit = reachable(rng, person, answered + timedelta(hours=rng.randint(1, 3)))
            later = 0 if quick else rng.randint(0, 2)
            sent = daytime(rng, local_day(visit, tz) + timedelta(days=later), tz, 8, 22)
            sent = self.sent(sent, visit + timedelta(hours=rng.randint(2, 6)))
            if sent <= latest:
                return answered, visit, sent
        # Answered as it came in (it was a call), quoted from what they described.
        answered = received + timedelta(minutes=rng.randint(1, 10))
        sent = self.sent(self.wb.before_now(person, now, 1), answered + timedelta(hours=1))
        if sent > latest:
            # Too late for the next midday: sent today, as the core records it.
            typed = self.wb.before_now(person, now, 1)
            sent = sent_moment(local_day(typed, self.wb.owner_tz), self.wb.owner_tz, typed)
        return min(answered, sent), None, sent

    def sent(self, typed: datetime, after: datetime) -> datetime:
        """When the core records a quote typed in at `typed` as sent (`sent_moment`: midday
        of that day in the owner's clock, or the moment itself that morning); if that is
        not after `after`, typed in the next midday after it."""
        tz = self.wb.owner_tz
        moment = sent_moment(local_day(typed, tz), tz, typed)
        if moment >= after:
            return moment
        day, later = local_day(after, tz), after + timedelta(days=2)
        noon = sent_moment(day, tz, later)
        return noon if noon >= after else sent_moment(day + timedelta(days=1), tz, later)

    def plan_choice(self, stage: Stage, sent_at: datetime | None, full_plan: bool) -> str | None:
        """Does the quote's follow-up run the after-quote plan, and how did it end?"""
        roll = self.wb.rng.random() / self.wb.plan_scale
        if full_plan:
            return "full"
        if stage is Stage.FOLLOWING_UP:
            return "running" if roll < _PLAN_FOLLOWING_UP else None
        if stage is Stage.QUOTED:
            # Its first step (a text the next morning) is still to come: not yet followed up.
            fresh = sent_at is not None and self.wb.now - sent_at < timedelta(hours=20)
            return "running" if fresh and roll < _PLAN_QUOTED else None
        if stage in (Stage.WON, Stage.LOST, Stage.PARKED) and sent_at is not None:
            recent = self.wb.now - sent_at < timedelta(days=250)
            return "stopped" if recent and roll < _PLAN_BEFORE_CLOSE else None
        return None
