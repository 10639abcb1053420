"""One reminder check: claim what is due, the digest if its time has come, and when to wake next.

Shared by the desktop app's timer and `deckfollow remind --once`, and turned into notices
(title + body + the follow-ups they stand for) without any Qt, so every front end words a
reminder the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.clock_format import clock_text, day_time_text, weekday_text
from deckfollow.core.contact_info import phone_as_read_in
from deckfollow.core.enums import Basis, Channel
from deckfollow.core.settings import load_settings
from deckfollow.reminders.digest import Digest, claim_digest, next_digest_at
from deckfollow.reminders.scheduler import Reminder, ReminderBatch, claim_due, next_due_at

# More on-time reminders than this at the same moment are shown as one notice, not a flood.
MAX_SINGLE_NOTICES = 3
# A catch-up notice names this many follow-ups, then says how many more.
LISTED_IN_GROUP = 6

_VERB = {
    Channel.CALL: "Call",
    Channel.TEXT: "Text",
    Channel.EMAIL: "Email",
    Channel.CARD: "Card for",
    Channel.VISIT: "Visit",
    Channel.VIDEO: "Video for",
}


class NoticeKind(StrEnum):
    SINGLE = "single"
    CATCH_UP = "catch_up"
    GROUP = "group"
    DIGEST = "digest"


@dataclass(frozen=True)
class Notice:
    """One desktop notification to show."""

    kind: NoticeKind
    summary: str
    body: str
    follow_up_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    batch: ReminderBatch
    digest: Digest | None
    next_wake: datetime | None
    notices: list[Notice] = field(default_factory=list)


def headline(r: Reminder) -> str:
    """ "Call Jane Smith" — who and how."""
    return f"{_VERB[r.channel]} {r.customer}"


def describe(r: Reminder, owner_tz: str | None = None, home: str | None = None) -> str:
    """The reason, when (on the owner's clock, the customer's beside it where it differs),
    the phone number and the quote."""
    local = r.local_due
    lines = [r.reason]
    when = f"Due {day_time_text(local)} ({r.timezone})"
    if owner_tz is not None:
        mine = r.due_at.astimezone(ZoneInfo(owner_tz))
        if mine.utcoffset() != local.utcoffset():
            theirs = (
                clock_text(local)
                if mine.date() == local.date()
                else f"{weekday_text(local)} {clock_text(local)}"
            )
            when = f"Due {day_time_text(mine)} · {theirs} their time ({r.timezone})"
    if r.basis is Basis.AGREED:
        when += " · agreed with the customer"
    lines.append(when)
    extra = [p for p in (phone_as_read_in(r.phone, home) if r.phone else None, r.quote) if p]
    if extra:
        lines.append(" · ".join(extra))
    return "\n".join(lines)


def _group(kind: NoticeKind, summary: str, items: list[Reminder]) -> Notice:
    lines = [f"• {headline(r)} — {r.reason}" for r in items[:LISTED_IN_GROUP]]
    if len(items) > LISTED_IN_GROUP:
        lines.append(f"…and {len(items) - LISTED_IN_GROUP} more in Today")
    return Notice(kind, summary, "\n".join(lines), tuple(r.follow_up_id for r in items))


def digest_notice(digest: Digest) -> Notice:
    """Today's digest as a notice (the morning one, or one asked for)."""
    return Notice(NoticeKind.DIGEST, "deckfollow — today", digest.text)


def plan_notices(
    batch: ReminderBatch,
    digest: Digest | None = None,
    owner_tz: str | None = None,
    home: str | None = None,
) -> list[Notice]:
    """Words for what a check claimed: one notice for everything missed while away."""
    notices: list[Notice] = []
    if digest is not None:
        notices.append(digest_notice(digest))
    if batch.missed:
        # Anything on time at the same moment joins the catch-up: one notice, not several.
        items = batch.all
        n = len(items)
        noun = "follow-up" if n == 1 else "follow-ups"
        notices.append(
            _group(NoticeKind.CATCH_UP, f"While you were away: {n} {noun} fell due", items)
        )
        return notices
    if len(batch.on_time) > MAX_SINGLE_NOTICES:
        n = len(batch.on_time)
        notices.append(_group(NoticeKind.GROUP, f"{n} follow-ups are due now", batch.on_time))
        return notices
    for r in batch.on_time:
        notices.append(
            Notice(NoticeKind.SINGLE, headline(r), describe(r, owner_tz, home), (r.follow_up_id,))
        )
    return notices


def run_check(session: Session, now: datetime) -> CheckResult:
    """Claim due reminders and the digest at `now`; say when the next check is needed."""
    batch = claim_due(session, now)
    digest = claim_digest(session, now)
    wakes = [w for w in (next_due_at(session, now), next_digest_at(session, now)) if w]
    owner = load_settings(session)
    notices = plan_notices(batch, digest, owner.owner_timezone, owner.default_country)
    return CheckResult(batch, digest, min(wakes) if wakes else None, notices)
