"""Who is writing: the member behind a session, stamped on what they record.

A member is named by their sign-in. On PostgreSQL that is the login (`current_user`), so
the server knows who wrote and nobody can write under another's name; on a single-user
SQLite file it is the owner's name from settings. `stamp_members` is hooked to every
session's flush by storage, so no service can forget to say who made a touch, planned a
follow-up, recorded a consent event or moved a quote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, inspect, or_, select, text, true
from sqlalchemy.orm import Session

from deckfollow.core.clock_format import clock_text, day_month
from deckfollow.core.models import ConsentEvent, Customer, FollowUp, Member, Quote, Setting, Touch

_KEY = "deckfollow_member"
_UNKNOWN = ""


def current_member(session: Session) -> str | None:
    """The sign-in of whoever this session writes as, or None when nobody is named."""
    cached = session.info.get(_KEY)
    if cached is None:
        with session.no_autoflush:
            if session.get_bind().dialect.name == "postgresql":
                cached = str(session.execute(text("SELECT current_user")).scalar_one())
            else:
                stored = session.execute(
                    select(Setting.value).where(Setting.key == "owner_name")
                ).scalar_one_or_none()
                cached = (stored or "").strip()
        session.info[_KEY] = cached
    return cached or None


def is_team(session: Session) -> bool:
    """A team database: a server everyone signs in to (one-person files are SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def follow_ups_of(member: str | None) -> ColumnElement[bool]:
    """Follow-ups that are `member`'s to do: theirs, and those nobody was named on (from
    before members were recorded). None means everyone's."""
    if member is None:
        return true()
    return or_(FollowUp.member.is_(None), FollowUp.member == member)


def my_follow_ups(session: Session) -> ColumnElement[bool]:
    """On a team database, the signed-in member's follow-ups; on a one-person file, all."""
    return follow_ups_of(current_member(session) if is_team(session) else None)


def display_name(session: Session, login: str | None) -> str:
    """A member's name as people know it (their login when they are not on the list)."""
    if not login:
        return ""
    name = session.execute(select(Member.name).where(Member.login == login)).scalar_one_or_none()
    return name or login


def names_by_login(session: Session) -> dict[str, str]:
    """Every member's display name by login (for lists that show many rows)."""
    return {login: name for login, name in session.execute(select(Member.login, Member.name))}


def stamp_members(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: name the member on what is new or moved (never overwriting a name
    a service chose, such as a quote assigned to someone else)."""
    if not (session.new or session.dirty):
        return
    who = current_member(session)
    for obj in session.new:
        # A follow-up on an owned quote is its owner's even when the writer has no name.
        if isinstance(obj, FollowUp) and obj.member is None:
            obj.member = _follow_up_owner(session, obj) or who
    if who is None:
        return
    for obj in session.new:
        if isinstance(obj, Touch) and obj.member is None:
            obj.member = who
        elif isinstance(obj, ConsentEvent) and obj.recorded_by is None:
            obj.recorded_by = who
        elif isinstance(obj, Quote):
            if obj.owner is None:
                obj.owner = who
            obj.updated_by = who
            obj.stage_changed_by = who
    for obj in session.dirty:
        if (
            isinstance(obj, Customer)
            and session.is_modified(obj)
            and not inspect(obj).attrs.updated_by.history.added
        ):
            obj.updated_by = who
        if isinstance(obj, Quote) and session.is_modified(obj):
            state = inspect(obj)
            if not state.attrs.updated_by.history.added:
                obj.updated_by = who
            if state.attrs.stage.history.added and not state.attrs.stage_changed_by.history.added:
                obj.stage_changed_by = who


def _follow_up_owner(session: Session, follow_up: FollowUp) -> str | None:
    """A follow-up on an owned quote is the quote owner's to make (and to be reminded of)."""
    if follow_up.quote_id is None:
        return None
    quote = session.get(Quote, follow_up.quote_id)
    return quote.owner if quote is not None else None


def changed_by_line(
    session: Session, who: str | None, when: datetime | None, *, owner_tz: str
) -> str:
    """'Sam Lee at 10:42 on 5 Dec' in the owner's clock, or 'someone else' when unknown."""
    name = display_name(session, who) or "someone else"
    if when is None:
        return name
    local = when.astimezone(ZoneInfo(owner_tz))
    return f"{name} at {clock_text(local)} on {day_month(local)}"
