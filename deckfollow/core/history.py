"""One customer's story in one list: touches, follow-ups and consent events, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.due_list import is_overdue
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentEventKind,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.members import is_team, names_by_login
from deckfollow.core.models import ConsentEvent, FollowUp, Quote, Touch


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the timeline; `at` is aware UTC, `channel` a channel's value or None."""

    at: datetime
    kind: str  # "touch", "follow_up" or "consent"
    title: str
    detail: str
    channel: str | None
    quote_number: str | None
    member: str = ""  # who made it (their name), when it was recorded


_CHANNEL_NAMES = {
    Channel.CALL: "Call",
    Channel.TEXT: "Text",
    Channel.EMAIL: "Email",
    Channel.CARD: "Card",
    Channel.VISIT: "Visit",
    Channel.VIDEO: "Video message",
}

_OUTCOMES = {
    Outcome.REACHED: "reached them",
    Outcome.VOICEMAIL: "left a voicemail",
    Outcome.NO_ANSWER: "no answer",
    Outcome.REPLIED: "they replied",
    Outcome.BOUNCED: "bounced",
    Outcome.MAILED: "mailed",
    Outcome.SENT: "sent",
}

_FOLLOW_UP_STATUS = {
    FollowUpStatus.PENDING: "to do",
    FollowUpStatus.DONE: "done",
    FollowUpStatus.SKIPPED: "skipped",
    FollowUpStatus.CANCELLED: "cancelled",
}


def _consent_title(kind: ConsentEventKind, channel: str | None) -> str:
    on = channel or "every channel"
    return {
        ConsentEventKind.GRANTED: f"Said yes to {on}",
        ConsentEventKind.REVOKED: f"Said no to {on}",
        ConsentEventKind.DO_NOT_CONTACT: "Asked not to be contacted at all",
        ConsentEventKind.AGREED_FOLLOW_UP: f"Agreed to a follow-up by {on}",
        ConsentEventKind.HOURS_CHANGED: "Changed when they may be contacted",
        ConsentEventKind.CUSTOMER_MERGED: "Two records of them merged into one",
    }[kind]


def _join(*parts: str | None) -> str:
    return " — ".join(p.strip() for p in parts if p and p.strip())


def customer_history(
    session: Session, customer_id: int, *, limit: int = 200, now: datetime | None = None
) -> list[HistoryEntry]:
    """The customer's touches, follow-ups and consent events, newest first, at most `limit`.

    A follow-up sits at the time it is (or was) due, so what is planned reads at the top;
    given `now`, a pending one already past due says "overdue".
    """
    entries: list[HistoryEntry] = []
    names = names_by_login(session)

    def who(login: str | None) -> str:
        return names.get(login, login) if login else ""

    team = is_team(session)

    def by(login: str | None) -> str | None:
        # On a team the detail says who did it; on a one-person file it is always the owner.
        return f"by {who(login)}" if team and login else None

    touches = session.execute(
        select(Touch, Quote.number)
        .outerjoin(Quote, Quote.id == Touch.quote_id)
        .where(Touch.customer_id == customer_id)
        .order_by(Touch.at.desc(), Touch.id.desc())
        .limit(limit)
    )
    for t, number in touches:
        way = "from them" if t.direction is Direction.INBOUND else "to them"
        entries.append(
            HistoryEntry(
                at=t.at,
                kind="touch",
                title=f"{_CHANNEL_NAMES[t.channel]} {way}: {_OUTCOMES[t.outcome]}",
                detail=_join(t.subject, t.summary, by(t.member)),
                channel=t.channel.value,
                quote_number=number,
                member=who(t.member),
            )
        )
    follow_ups = session.execute(
        select(FollowUp, Quote.number)
        .outerjoin(Quote, Quote.id == FollowUp.quote_id)
        .where(FollowUp.customer_id == customer_id)
        .order_by(FollowUp.due_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )
    for f, number in follow_ups:
        basis = "Agreed" if f.basis is Basis.AGREED else "Planned"
        due = f.snoozed_until or f.due_at
        status = _FOLLOW_UP_STATUS[f.status]
        if f.status is FollowUpStatus.PENDING and now is not None and is_overdue(due, now):
            status = "overdue"
        words = f'they said "{f.agreed_words.strip()}"' if f.agreed_words else None
        cancelled = f"cancelled: {f.cancel_reason}" if f.cancel_reason else None
        entries.append(
            HistoryEntry(
                at=due,
                kind="follow_up",
                title=f"{basis} {_CHANNEL_NAMES[f.channel].lower()} ({status})",
                detail=_join(f.reason, words, cancelled, by(f.member)),
                channel=f.channel.value,
                quote_number=number,
                member=who(f.member),
            )
        )
    events = session.execute(
        select(ConsentEvent)
        .where(ConsentEvent.customer_id == customer_id)
        .order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())
        .limit(limit)
    ).scalars()
    for e in events:
        channel = e.channel.value if e.channel is not None else None
        words = f'"{e.words.strip()}"' if e.words and e.words.strip() else None
        entries.append(
            HistoryEntry(
                at=e.at,
                kind="consent",
                title=_consent_title(e.kind, channel),
                detail=_join(
                    _join(words, e.detail) + (f" ({e.source})" if e.source else ""),
                    by(e.recorded_by),
                ),
                channel=channel,
                quote_number=None,
                member=who(e.recorded_by),
            )
        )
    # Stable sort: among equal times, touches stay before follow-ups before consent events.
    entries.sort(key=lambda h: h.at, reverse=True)
    return entries[:limit]


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} {hours} h" if hours else f"{days} {unit}"


def lead_age_text(received_at: datetime, now: datetime) -> str:
    """How long a lead has waited: "received 2 h 14 min ago — no reply yet"."""
    age = now - received_at
    if age < timedelta(minutes=1):
        return "received just now — no reply yet"
    return f"received {_span(age)} ago — no reply yet"


def response_time_text(received_at: datetime, first_response_at: datetime) -> str:
    """How fast the lead was answered: "answered 14 min after it came in"."""
    delta = first_response_at - received_at
    if delta < timedelta(minutes=1):
        return "answered within a minute"
    return f"answered {_span(delta)} after it came in"
