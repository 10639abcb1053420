"""Each customer's consent ledger: what they agreed to, refused, and the follow-ups they agreed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from deckfollow.core.enums import (
    Channel,
    ConsentChannel,
    Direction,
    Outcome,
    Stage,
)
from deckfollow.demo.customer_words import (
    AGREEMENTS,
    DNC_WORDS,
    FAR_AGREEMENTS,
    GRANT_WORDS,
    PARTNERS,
    POST_GRANT_WORDS,
    REVOKE_WORDS,
)
from deckfollow.demo.people import Agreement, Grant, Person, StoryQuote, first_contact_source
from deckfollow.demo.rows import touch_row
from deckfollow.demo.times import clock, local_day, reachable, working_day
from deckfollow.demo.wording import DAYS, OPEN_REASONS, hour_said, ordinal, sentences, when_said
from deckfollow.demo.workbench import Workbench


class ConsentHistory:
    """Each customer's yeses (entered through the core), their agreed follow-ups and the
    ledger entries that record them."""

    def __init__(self, wb: Workbench) -> None:
        self.wb = wb

    def grant(
        self, person: Person, channel: ConsentChannel, at: datetime, source: str, words: str
    ) -> None:
        """A yes for one channel: entered through the core once the customer exists
        (`grants.enter_grants`), as the owner records it."""
        person.grants.append(Grant(at, channel, source, words))

    def history(self, person: Person) -> None:
        """Grants at the first enquiry; a few later refusals of one channel or of everything."""
        rng, now = self.wb.rng, self.wb.now
        created: datetime = person.row["created_at"]
        if person.on_record:
            source = first_contact_source(person)
            pref = person.row["preferred_channel"]
            key = pref.value if pref is not None else "any" if person.has_email else "no email"
            words = rng.choice(GRANT_WORDS[key])
            granted = [ConsentChannel.CALL, ConsentChannel.TEXT]
            if person.has_email:
                granted.append(ConsentChannel.EMAIL)
            for ch in granted:
                self.grant(person, ch, created, source, words)
            if person.has_post:
                # The ledger keeps a yes in the customer's own words, post included.
                post = POST_GRANT_WORDS[person.id % len(POST_GRANT_WORDS)]
                self.grant(person, ConsentChannel.POST, created, source, post)
        if person.dnc:
            latest = person.quotes[-1] if person.quotes else None
            lost = latest is not None and latest.row["stage"] is Stage.LOST
            person.dnc_words = rng.choice(
                [
                    w
                    for w in DNC_WORDS["lost" if lost else "customer"]
                    if w[1] != "email" or person.has_email
                ]
            )
            if latest is not None and latest.row["stage"] is Stage.LOST:
                # The call, text or email that said "stop" is what closed their quote.
                at = latest.row["closed_at"] - timedelta(minutes=rng.randint(5, 40))
            else:
                start = latest.row["closed_at"] if latest is not None else created
                span = max(1, (now - start).days - 1)
                at = start + timedelta(days=rng.randint(1, span) if span > 1 else 0, hours=2)
                at = self.wb.before_now(person, at, 1)
            person.dnc_at = max(at, created + timedelta(hours=1))
        elif person.consent_roll < 0.08:
            ch = rng.choice((ConsentChannel.TEXT, ConsentChannel.EMAIL, ConsentChannel.CALL))
            if ch is ConsentChannel.EMAIL and not person.has_email:
                ch = ConsentChannel.TEXT
            at = now - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 24 * 60 - 1))
            # Said in a call or message in waking hours, and before now.
            at = self.wb.before_now(person, reachable(rng, person, at), 1)
            words, source = rng.choice(REVOKE_WORDS[ch.value])
            # Entered through the core once the rows are in (`refusals.enter_refusals`).
            person.revoked = (ch, max(at, created + timedelta(hours=1)), words, source)

    def record_dnc(self, person: Person) -> None:
        """The message in which they said it; the do-not-contact itself is entered through
        the core (`refusals.enter_refusals`)."""
        assert person.dnc_at is not None and person.dnc_words is not None
        words, way = person.dnc_words
        at = person.dnc_at
        quote_id = person.quotes[-1].row["id"] if person.quotes else None
        self.wb.touch(
            touch_row(person, quote_id, at, Channel(way), Direction.INBOUND, Outcome.REPLIED, words)
        )

    def agree(
        self,
        person: Person,
        q: StoryQuote,
        said: datetime,
        source: str,
        touch: dict[str, Any],
        *,
        channel: Channel | None = None,
        day: date | None = None,
        reason: str | None = None,
    ) -> Agreement | None:
        """The customer names the next contact in `touch`: an agreed follow-up in their words,
        on a channel and at a time those words fit (entered through the core, with its
        ledger entry, in time order: `in_time_order`); the touch's note."""
        rng, now, tz = self.wb.rng, self.wb.now, person.tz
        said_day = local_day(said, tz)
        if channel is None:
            options = [
                c
                for c in (Channel.CALL, Channel.CALL, Channel.TEXT, Channel.EMAIL)
                if person.open_at(c, now)
                and (person.revoked is None or c.consent_channel is not person.revoked[0])
            ]
            if not options:
                return None
            channel = rng.choice(options)
        if day is None:
            day = said_day + timedelta(days=rng.randint(1, 9))
        if reason is None:
            stage = q.row["stage"]
            reason = rng.choice(OPEN_REASONS.get(stage, OPEN_REASONS[Stage.FOLLOWING_UP]))
            reason = reason.format(job=q.title)
        picked = self.agreed_time(person, channel, said_day, day)
        if picked is None:
            return None
        due, words = picked
        if due <= said or due < now - timedelta(days=2):
            return None
        agreement = Agreement(said, person, q.row["id"], due, channel, reason, source, words)
        self.wb.agreements.append(agreement)
        # The plans' waiting steps move clear of it, as `agree_follow_up` moves them.
        self.wb.book.agreed(person.id, due, now=said)
        if not any(g.channel is channel.consent_channel for g in person.grants):
            # Agreeing on a channel with nothing on record grants it in the same words.
            self.grant(person, channel.consent_channel, said, source, words)
        if touch["direction"] is Direction.INBOUND:
            touch["summary"] = words
        elif touch["channel"] is Channel.VISIT:
            touch["summary"] = f'Measured up on site; agreed the next step: "{words}"'
        else:
            touch["summary"] = f'Talked it through; agreed the next step: "{words}"'
        return agreement

    def agreed_time(
        self, person: Person, channel: Channel, said_day: date, day: date
    ) -> tuple[datetime, str] | None:
        """When the customer asked to be contacted on `day` (or the next day they can be), and
        how they said it."""
        rng, tz = self.wb.rng, person.tz
        timed = channel.is_timed
        day = working_day(day)
        for _ in range(7):
            if not timed or person.hours.hours.intervals_on(day, person.hours.is_holiday):
                break
            day += timedelta(days=1)
        delta = (day - said_day).days
        partner = rng.choice(PARTNERS)
        if delta >= 14:
            when = f"on {DAYS[day.weekday()]} the {ordinal(day.day)}"
            words = rng.choice(FAR_AGREEMENTS[channel.value]).format(when=when)
            for hour in (10, 11, 14, 9, 16):
                due = clock(day, hour * 60, tz)
                if not timed or person.hours.allows(due):
                    return due, sentences(words)
            return None
        country = person.market.country
        options = [
            a
            for a in AGREEMENTS
            if a.channel == channel.value
            and (a.markets is None or country in a.markets)
            and not (a.weekdays and day.weekday() >= 5)
        ]
        rng.shuffle(options)
        for a in options:
            hour, minute = rng.choice(a.hours)
            due = clock(day, hour * 60 + minute, tz)
            if timed and not person.hours.allows(due):
                continue
            words = a.words.format(
                when=when_said(delta, day, a.part), h=hour_said(hour), partner=partner
            )
            return due, sentences(words)
        return None
