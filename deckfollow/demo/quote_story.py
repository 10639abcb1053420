"""A quote's story: enquiry, reply, visit, the quote going out, follow-ups and the close."""

from __future__ import annotations

from datetime import date, timedelta

from deckfollow.core.enums import (
    Channel,
    Direction,
    Outcome,
    Stage,
)
from deckfollow.demo.by_hand import HandFollowUps
from deckfollow.demo.consent_history import ConsentHistory
from deckfollow.demo.jobs import (
    LOST_AFTER_PLAN,
    LOST_REASONS,
    NO_REPLY_TO_PLAN,
    REPEAT_SOURCE,
    SOURCE_CHANNELS,
    UNANSWERED,
)
from deckfollow.demo.people import Person, StoryQuote
from deckfollow.demo.plan_playback import PlanPlayback, Stop
from deckfollow.demo.rows import touch_row
from deckfollow.demo.times import daytime, local_day, reachable
from deckfollow.demo.wording import (
    CALL_NOTES,
    GENERIC_NOTES,
    MONTHS,
    REACHED_QUOTE,
    WON_NOTES,
    day_text,
)
from deckfollow.demo.workbench import Workbench

_PLAN_AFTER_SALE = 0.6


_PLAN_ANNIVERSARY = 0.2


_PLAN_BIRTHDAY = 0.45  # of past customers whose birthday is on file


_REPLY_PAUSES = 0.14  # of running after-quote plans: the customer replied, the plan waits


_AGREED_IN_CALL = 0.3  # a plan's call reached them and they agreed the next contact


class QuoteStory:
    """Tells one quote's story in touches and follow-ups."""

    def __init__(
        self, wb: Workbench, consent: ConsentHistory, hand: HandFollowUps, playback: PlanPlayback
    ) -> None:
        self.wb = wb
        self.consent = consent
        self.hand = hand
        self.playback = playback

    def story(self, person: Person, q: StoryQuote) -> None:
        """Enquiry, reply, site visit, the quote going out, the follow-ups since and the close."""
        rng, now, row = self.wb.rng, self.wb.now, q.row
        qid = row["id"]
        way = Channel(rng.choice(SOURCE_CHANNELS[row["source"]]))
        if not 7 <= row["received_at"].astimezone(person.tz).hour < 21:
            way = Channel.EMAIL  # at night people write, they don't ring
        asked = (
            f"Asked for a quote again: {row['job']}"
            if row["source"] == REPEAT_SOURCE
            else f"Asked for a quote: {row['job']}"
        )
        out = [
            touch_row(
                person,
                qid,
                row["received_at"],
                way,
                Direction.INBOUND,
                Outcome.REPLIED,
                asked,
                subject="Quote request" if way is Channel.EMAIL else None,
            )
        ]
        if row["first_response_at"] is not None:
            booked = "Called back; they're sending photos and measurements to quote from"
            if q.visit_at is not None:
                visit_day = day_text(local_day(q.visit_at, person.tz))
                booked = f"Called back; booked a site visit for {visit_day}"
            out.append(
                touch_row(
                    person,
                    qid,
                    row["first_response_at"],
                    Channel.CALL,
                    Direction.OUTBOUND,
                    Outcome.REACHED,
                    booked,
                )
            )
        if q.visit_at is not None and q.visit_at <= now:
            q.visit_touch = touch_row(
                person,
                qid,
                q.visit_at,
                Channel.VISIT,
                Direction.OUTBOUND,
                Outcome.REACHED,
                "Measured up on site and took photos",
            )
            out.append(q.visit_touch)
        for t in out:
            self.wb.touch(t)
        sent = row["sent_at"]
        if sent is not None:
            valid = row["valid_until"]
            self.wb.touch(
                touch_row(
                    person,
                    qid,
                    sent,
                    Channel.EMAIL,
                    Direction.OUTBOUND,
                    Outcome.SENT,
                    f"Sent the quote: {row['currency']} {row['amount']:,.2f}, valid until "
                    f"{valid.day} {MONTHS[valid.month - 1]} {valid.year}",
                    subject=f"Your {q.title} quote {row['number']}",
                )
            )
            if q.after_quote is not None:
                self.after_quote_plan(person, q)
            else:
                self.follow_ups_by_hand(person, q)
        self.close(person, q)
        if q.latest:
            self.next_steps(person, q)

    def follow_ups_by_hand(self, person: Person, q: StoryQuote) -> None:
        """Calls, texts and emails between the quote going out and now (or the close)."""
        rng, row = self.wb.rng, q.row
        end = row["closed_at"] or self.wb.now
        if row["stage"] is Stage.PARKED:
            end = row["stage_changed_at"]
        if person.dnc_at is not None:
            end = min(end, person.dnc_at)
        at = row["sent_at"] + timedelta(days=rng.randint(2, 5))
        gap = (4, 12)
        open_quote = row["stage"].is_open
        tries = rng.randint(2, 9) if open_quote and rng.random() < 0.85 else rng.randint(0, 3)
        if row["stage"] is Stage.QUOTED:
            tries = 0  # nobody has followed it up yet: that is what the stage says
        unanswered = row["lost_reason"] in UNANSWERED
        if unanswered:
            # Two tries nobody answered, then the third that closes it: spread to fit.
            tries, step = 2, max(1, (end - row["sent_at"]).days // 3)
            at, gap = row["sent_at"] + timedelta(days=step), (step, step)
        for _ in range(tries):
            at = reachable(rng, person, daytime(rng, local_day(at, person.tz), person.tz, 9, 19))
            if at >= end:
                break
            usable = [
                c for c in (Channel.CALL, Channel.TEXT, Channel.EMAIL) if person.open_at(c, at)
            ]
            if not usable:
                break
            ch = rng.choice(usable)
            if ch is Channel.CALL:
                answers = (Outcome.REACHED,) if not unanswered else ()
                outcome = rng.choice((*answers, Outcome.VOICEMAIL, Outcome.NO_ANSWER))
                note = rng.choice(
                    REACHED_QUOTE if outcome is Outcome.REACHED else CALL_NOTES[outcome]
                )
                subject = None
            else:
                outcome, note = Outcome.SENT, rng.choice(GENERIC_NOTES[ch])
                subject = f"Your {q.title} quote" if ch is Channel.EMAIL else None
            self.wb.touch(
                touch_row(person, row["id"], at, ch, Direction.OUTBOUND, outcome, note, subject)
            )
            at += timedelta(days=rng.randint(*gap))

    def close(self, person: Person, q: StoryQuote) -> None:
        """The touch that closed a won or lost quote."""
        rng, row = self.wb.rng, q.row
        closed = row["closed_at"]
        if row["stage"] is Stage.PARKED:
            until: date = row["parked_until"]
            at = min(reachable(rng, person, row["stage_changed_at"]), self.wb.now)
            self.wb.touch(
                touch_row(
                    person,
                    row["id"],
                    at,
                    Channel.CALL,
                    Direction.OUTBOUND,
                    Outcome.REACHED,
                    "They'd rather wait; agreed to try again after "
                    f"{until.day} {MONTHS[until.month - 1]} {until.year}",
                )
            )
            return
        if closed is None:
            return
        if row["stage"] is Stage.WON:
            ch, note = rng.choice(WON_NOTES)
            if not person.open_at(ch, closed):
                ch = Channel.CALL
            self.wb.touch(
                touch_row(person, row["id"], closed, ch, Direction.INBOUND, Outcome.REPLIED, note)
            )
            return
        reason = row["lost_reason"]
        if q.latest and person.dnc:
            return  # their "please stop" closed it; that touch comes with the ledger entry
        if reason == LOST_AFTER_PLAN:
            direction, way = "outbound", "email"
            note = "Closed the quote after six months without a reply; kept them on the card list"
        elif reason == NO_REPLY_TO_PLAN:
            direction, way = "outbound", "email"
            note = "No reply to any of our follow-ups; closed the quote, kept them on the card list"
        else:
            direction, way, note = LOST_REASONS[reason]
        ch = Channel(way)
        if not person.open_at(ch, closed):
            ch = Channel.CALL if person.open_at(Channel.CALL, closed) else Channel.EMAIL
        inbound = direction == "inbound"
        outcome = Outcome.REPLIED if inbound else Outcome.SENT
        if ch is Channel.CALL and not inbound:
            outcome = Outcome.REACHED
            if reason in UNANSWERED:
                outcome, note = Outcome.VOICEMAIL, "Left a last voicemail and closed the quote"
        at = closed  # a moment they could be reached (see _quote)
        direction_ = Direction.INBOUND if inbound else Direction.OUTBOUND
        self.wb.touch(touch_row(person, row["id"], at, ch, direction_, outcome, note))

    def after_quote_plan(self, person: Person, q: StoryQuote) -> None:
        rng, now, row = self.wb.rng, self.wb.now, q.row
        start = row["sent_at"] + timedelta(minutes=rng.randint(2, 30))
        stop = None
        if row["closed_at"] is not None or row["stage"] is Stage.PARKED:
            at = row["closed_at"] or row["stage_changed_at"]
            why = f"quote closed as {row['stage'].label.lower()}"
            stop = Stop(at, why, why)
        reply = None
        running = q.after_quote == "running" and row["stage"] is Stage.FOLLOWING_UP
        if running and rng.random() < _REPLY_PAUSES:
            day = local_day(now, person.tz) - timedelta(days=rng.randint(1, 10))
            at = self.wb.before_now(person, daytime(rng, day, person.tz, 8, 21), 1)
            if at > start + timedelta(days=1):
                reply = at
        self.playback.play_plan(
            person,
            "after_quote",
            q,
            start,
            stop=stop,
            reply=reply,
            complete=row["stage"] is not Stage.QUOTED,
            agree_in_call=q.after_quote == "running" and rng.random() < _AGREED_IN_CALL,
            unanswered=row["lost_reason"] in UNANSWERED,
        )
        if row["stage"] is Stage.FOLLOWING_UP and q.first_plan_touch is not None:
            # The first step done moved it from quoted to following up.
            row["stage_changed_at"] = row["updated_at"] = q.first_plan_touch

    def next_steps(self, person: Person, q: StoryQuote) -> None:
        """After the latest quote's story: the plans that carry on and what is due next."""
        rng, now, row = self.wb.rng, self.wb.now, q.row
        stage: Stage = row["stage"]
        if stage is Stage.WON:
            closed = row["closed_at"]
            after_sale = now - closed < timedelta(days=400) and self.wb.plan(_PLAN_AFTER_SALE)
            if after_sale:
                # Started as the job was won; a later "please stop" stops it (play_plan).
                self.playback.play_plan(
                    person, "after_sale", q, closed + timedelta(minutes=rng.randint(5, 40))
                )
            elif now - closed < timedelta(days=12) and not person.dnc:
                reason = f"Thank-you card for choosing us for the {q.title}"
                written = local_day(closed, person.tz) + timedelta(days=rng.randint(1, 3))
                today = local_day(now, person.tz)
                day = written if written >= today else today + timedelta(days=rng.randint(0, 4))
                if person.open_at(Channel.CARD, now):
                    self.hand.by_hand(person, q, Channel.CARD, reason, day)
            if self.wb.plan(_PLAN_ANNIVERSARY) and not person.dnc:
                self.playback.play_plan(
                    person, "anniversary", q, closed + timedelta(minutes=rng.randint(45, 90))
                )
            return
        if person.dnc:
            return
        if stage is Stage.PARKED:
            return  # parking it through the core planned the revisit (`quotes_entered`)
        if stage is Stage.LOST:
            return
        if q.after_quote == "running":
            return  # the plan's next step is the follow-up
        self.hand.open_follow_up(person, q)

    def birthday_plan(self, person: Person) -> None:
        """Birthday cards for a past customer whose birthday is on file."""
        if person.row["birthday"] is None or person.dnc or not person.quotes:
            return
        latest = person.quotes[-1]
        if latest.row["stage"] is not Stage.WON or not self.wb.plan(_PLAN_BIRTHDAY):
            return
        # Started once the job was won: no later message from them would have paused it.
        start = latest.row["closed_at"] + timedelta(hours=self.wb.rng.randint(2, 72))
        if start < self.wb.now:
            self.playback.play_plan(person, "birthday", None, start)
