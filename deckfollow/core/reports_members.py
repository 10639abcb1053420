"""Whose figures a report shows: the team members it can be narrowed to, and finding one
by the name a user types."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.errors import ValidationError
from deckfollow.core.models import Member


@dataclass(frozen=True)
class ReportMember:
    login: str
    name: str
    removed: bool  # no longer on the team; their past figures still count


def report_members(session: Session) -> list[ReportMember]:
    """Everyone who is or was on the team, by name (empty for a one-person business)."""
    rows = session.execute(select(Member.login, Member.name, Member.removed_at)).all()
    members = [ReportMember(login, name, removed is not None) for login, name, removed in rows]
    return sorted(members, key=lambda m: (m.name.casefold(), m.login))


def find_member(session: Session, typed: str) -> str:
    """The sign-in of the member `typed` names (their login or their name, any case)."""
    wanted = " ".join(typed.split()).casefold()
    members = report_members(session)
    if not members:
        raise ValidationError("member", "this business has no team members to report on")
    by_login = [m for m in members if m.login.casefold() == wanted]
    found = by_login or [m for m in members if " ".join(m.name.split()).casefold() == wanted]
    if len(found) == 1:
        return found[0].login
    if found:
        logins = ", ".join(m.login for m in found)
        raise ValidationError(
            "member", f"{typed!r} names more than one member; use a login: {logins}"
        )
    known = ", ".join(f"{m.name} ({m.login})" for m in members)
    raise ValidationError("member", f"no team member is called {typed!r}; members: {known}")
