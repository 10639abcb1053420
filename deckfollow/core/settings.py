"""Owner preferences stored in the database (never secrets)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.models import Setting
from deckfollow.core.permission import DEFAULT_WEEKLY_CAP
from deckfollow.core.quote_index import DEFAULT_GOING_COLD_DAYS
from deckfollow.core.timezones import system_country, system_timezone


@dataclass(frozen=True)
class OwnerSettings:
    business_name: str = ""
    owner_name: str = ""
    owner_phone: str = ""
    business_address: str = ""
    default_country: str = field(default_factory=system_country)
    owner_timezone: str = field(default_factory=system_timezone)
    weekly_cap: int = DEFAULT_WEEKLY_CAP
    going_cold_days: int = DEFAULT_GOING_COLD_DAYS


_INT_FIELDS = {"weekly_cap", "going_cold_days"}


def load_settings(session: Session) -> OwnerSettings:
    """Settings with defaults for anything never set."""
    stored = dict(session.execute(select(Setting.key, Setting.value)).all())
    values: dict[str, object] = {}
    for name in OwnerSettings.__dataclass_fields__:
        if name in stored:
            values[name] = int(stored[name]) if name in _INT_FIELDS else stored[name]
    return OwnerSettings(**values)  # type: ignore[arg-type]


def save_setting(session: Session, key: str, value: str | int) -> None:
    """Store one of the OwnerSettings fields."""
    if key not in OwnerSettings.__dataclass_fields__:
        raise KeyError(key)
    set_setting(session, key, str(value))


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    """A raw stored preference (features keep their own typed wrappers around it)."""
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    """Store a raw preference; never call this with a secret."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
