"""The calendar feed: pending follow-ups as an RFC 5545 iCalendar file for phone calendars.

Written by hand (no run-time dependency): each event's UID is the follow-up id plus a random
identity of this database, so importing a newer export updates the same events instead of
adding copies, and two businesses' files never collide. SEQUENCE is the follow-up's edit
version, so calendars take the newer copy; follow-ups done or cancelled lately are written
as cancelled so a re-import clears them. Times are wall-clock times in the customer's own zone
with a VTIMEZONE built from the tz database for the years the events span.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from deckfollow.core.contact_info import format_phone
from deckfollow.core.due import actionable_follow_ups, effective_due
from deckfollow.core.enums import Basis, Channel, FollowUpStatus
from deckfollow.core.models import Customer, FollowUp, Quote
from deckfollow.core.settings import get_setting, set_setting

IDENTITY_KEY = "reminders.calendar_identity"
PRODID = "-//deckfollow//Follow-ups//EN"
RECENTLY_CLOSED = timedelta(days=30)
_LENGTH = {Channel.VISIT: timedelta(hours=1), Channel.VIDEO: timedelta(minutes=30)}
_DEFAULT_LENGTH = timedelta(minutes=15)
_VERB = {
    Channel.CALL: "Call",
    Channel.TEXT: "Text",
    Channel.EMAIL: "Email",
    Channel.CARD: "Card for",
    Channel.VISIT: "Visit",
    Channel.VIDEO: "Video call",
}
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Zulu", "Etc/Zulu", "Universal"}


def calendar_identity(session: Session) -> str:
    """This database's calendar identity (made once, kept in settings; part of every UID)."""
    value = get_setting(session, IDENTITY_KEY)
    if value is None:
        value = uuid.uuid4().hex
        set_setting(session, IDENTITY_KEY, value)
    return value


def event_uid(follow_up_id: int, identity: str) -> str:
    return f"follow-up-{follow_up_id}-{identity}@deckfollow"


@dataclass(frozen=True)
class CalendarEvent:
    follow_up_id: int
    uid: str
    start: datetime  # UTC
    end: datetime  # UTC
    timezone: str
    summary: str
    description: str
    contact: str
    sequence: int
    cancelled: bool


def _text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space (§3.1), never mid-character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[bytes] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character start
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # continuation lines begin with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(dt: datetime, tzname: str) -> str:
    return dt.astimezone(ZoneInfo(tzname)).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta | None) -> str:
    seconds = int((delta or timedelta()).total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hh, rest = divmod(seconds, 3600)
    mm, ss = divmod(rest, 60)
    return f"{sign}{hh:02d}{mm:02d}" + (f"{ss:02d}" if ss else "")


def _transitions(tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the zone's offset changes (to the second)."""
    found: list[datetime] = []
    step = timedelta(days=1)
    at = start
    off = at.astimezone(tz).utcoffset()
    while at < end:
        nxt = at + step
        nxt_off = nxt.astimezone(tz).utcoffset()
        if nxt_off != off:
            lo, hi = at, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() == off:
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(microsecond=0))
            off = nxt_off
        at = nxt
    return found


def vtimezone(tzname: str, start: datetime, end: datetime) -> list[str]:
    """A VTIMEZONE for `tzname` covering [start, end): one observance per offset change."""
    tz = ZoneInfo(tzname)
    begin = (start - timedelta(days=366)).replace(hour=0, minute=0, second=0, microsecond=0)
    finish = end + timedelta(days=366)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzname}"]

    def observance(onset_utc: datetime, before: datetime) -> list[str]:
        after_local = onset_utc.astimezone(tz)
        before_local = before.astimezone(tz)
        kind = "DAYLIGHT" if after_local.dst() else "STANDARD"
        # The onset is written as the wall clock just before it, in the offset it ends.
        onset_wall = (onset_utc + (before_local.utcoffset() or timedelta())).replace(tzinfo=None)
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{onset_wall:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(before_local.utcoffset())}",
            f"TZOFFSETTO:{_offset(after_local.utcoffset())}",
            f"TZNAME:{after_local.tzname() or tzname}",
            f"END:{kind}",
        ]

    lines += observance(begin, begin)
    for onset in _transitions(tz, begin, finish):
        lines += observance(onset, onset - timedelta(seconds=1))
    lines.append("END:VTIMEZONE")
    return lines


def calendar_events(
    session: Session, *, now: datetime, days: int, identity: str
) -> list[CalendarEvent]:
    """Pending follow-ups due before `now + days` (overdue ones too), plus recently closed."""
    due = effective_due()
    horizon = now + timedelta(days=days)
    stmt = (
        select(
            FollowUp.id,
            FollowUp.status,
            due,
            FollowUp.window_end,
            FollowUp.channel,
            FollowUp.reason,
            FollowUp.basis,
            FollowUp.agreed_words,
            FollowUp.version,
            FollowUp.id.in_(actionable_follow_ups()),
            Customer.display_name,
            Customer.phone_cell,
            Customer.phone_office,
            Customer.phone_home,
            Customer.email,
            Customer.timezone,
            Quote.number,
            Quote.job,
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .outerjoin(Quote, Quote.id == FollowUp.quote_id)
        .where(
            due < horizon,
            Customer.deleted_at.is_(None),
            or_(
                FollowUp.status == FollowUpStatus.PENDING,
                FollowUp.completed_at >= now - RECENTLY_CLOSED,
            ),
        )
        .order_by(due, FollowUp.id)
    )
    events: list[CalendarEvent] = []
    for row in session.execute(stmt):
        (
            fid,
            status,
            start,
            window_end,
            channel,
            reason,
            basis,
            words,
            version,
            actionable,
            name,
            cell,
            office,
            home,
            email,
            tzname,
            number,
            job,
        ) = row
        channel = Channel(channel)
        cancelled = FollowUpStatus(status) is not FollowUpStatus.PENDING or not actionable
        end = window_end if window_end is not None and window_end > start else None
        end = end or start + _LENGTH.get(channel, _DEFAULT_LENGTH)
        lines = [reason]
        # Every number, labelled, in the order to ring them: cell, office, home.
        phones = [
            (label, format_phone(number))
            for label, number in (("Mobile", cell), ("Office", office), ("Home", home))
            if number
        ]
        lines += [f"{label}: {number}" for label, number in phones]
        if email and channel is Channel.EMAIL:
            lines.append(f"Email: {email}")
        if number or job:
            lines.append("Quote: " + " — ".join(p for p in (number, job) if p))
        if Basis(basis) is Basis.AGREED and words:
            lines.append(f'Agreed with the customer: "{words}"')
        events.append(
            CalendarEvent(
                follow_up_id=fid,
                uid=event_uid(fid, identity),
                start=start,
                end=end,
                timezone=tzname,
                summary=f"{_VERB[channel]} {name}" + (f" ({number})" if number else ""),
                description="\n".join(lines),
                contact=", ".join([name, *(number for _label, number in phones[:1])]),
                sequence=max(int(version) - 1, 0),
                cancelled=cancelled,
            )
        )
    return events


def _time_prop(name: str, dt: datetime, tzname: str) -> str:
    if tzname in _UTC_NAMES:
        return f"{name}:{_utc(dt)}"
    return f"{name};TZID={tzname}:{_local(dt, tzname)}"


def render_calendar(events: list[CalendarEvent], *, now: datetime) -> str:
    """The iCalendar text (CRLF line ends, folded lines)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:deckfollow follow-ups",
    ]
    zones = sorted({e.timezone for e in events} - _UTC_NAMES)
    for tzname in zones:
        mine = [e for e in events if e.timezone == tzname]
        lines += vtimezone(tzname, min(e.start for e in mine), max(e.end for e in mine))
    stamp = _utc(now)
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{e.sequence}",
            _time_prop("DTSTART", e.start, e.timezone),
            _time_prop("DTEND", e.end, e.timezone),
            f"SUMMARY:{_text(e.summary)}",
        ]
        if e.cancelled:
            # Only enough for the calendar to clear it: no phone number of someone who may
            # have asked not to be contacted.
            lines += ["DESCRIPTION:No longer planned in deckfollow.", "STATUS:CANCELLED"]
        else:
            lines += [
                f"DESCRIPTION:{_text(e.description)}",
                f"CONTACT:{_text(e.contact)}",
                "STATUS:CONFIRMED",
            ]
        lines += ["CATEGORIES:deckfollow", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def export_calendar(session: Session, *, now: datetime, days: int = 60) -> tuple[str, int]:
    """The calendar text and how many follow-ups it holds (creates the identity if new)."""
    identity = calendar_identity(session)
    events = calendar_events(session, now=now, days=days, identity=identity)
    return render_calendar(events, now=now), sum(not e.cancelled for e in events)


def write_calendar_file(path: Path, text: str) -> None:
    """Write atomically and readable by the owner only (it holds customers' phone numbers),
    so a calendar app watching the file never reads half of it."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):  # POSIX; an old .tmp left behind may have wider rights
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            fd = -1
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    finally:
        if fd != -1:
            os.close(fd)
    os.replace(tmp, path)
