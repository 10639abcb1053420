"""What Today shows, read in one go: the owner's day, their zone and the follow-ups due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from deckfollow.core.due import DueItem, due_items
from deckfollow.core.members import current_member, is_team
from deckfollow.core.settings import load_settings


@dataclass(frozen=True)
class TodayRows:
    """Everything Today needs to draw its list, with no database left to ask."""

    day: date  # the owner's calendar day
    owner_tz: str
    home_country: str | None
    items: list[DueItem]


def load_today(session: Session, *, now: datetime, whole_team: bool = False) -> TodayRows:
    """The follow-ups due on the owner's day and overdue; on a team, only the signed-in
    member's (and unassigned ones) unless `whole_team`."""
    settings = load_settings(session)
    owner_tz = settings.owner_timezone
    day = now.astimezone(ZoneInfo(owner_tz)).date()
    member = current_member(session) if is_team(session) and not whole_team else None
    items = due_items(session, day=day, now=now, owner_tz=owner_tz, member=member)
    return TodayRows(day, owner_tz, settings.default_country, items)
