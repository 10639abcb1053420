"""The owner's preferences as plain values, and how stored text becomes them.

Kept apart from `settings` (which reads and writes them through the session) so a command
that reads a SQLite file with sqlite3 alone (`sqlite_reads`) turns the same stored rows into
the same values without importing SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from deckfollow.core.permission import DEFAULT_WEEKLY_CAP
from deckfollow.core.places import currency_for
from deckfollow.core.quote_index import DEFAULT_GOING_COLD_DAYS
from deckfollow.core.timezones import system_country, system_timezone


@dataclass(frozen=True)
class OwnerSettings:
    business_name: str = ""
    owner_name: str = ""
    owner_phone: str = ""
    business_address: str = ""
    default_country: str = field(default_factory=system_country)
    owner_region: str = ""
    owner_timezone: str = field(default_factory=system_timezone)
    # "" until chosen when the country's currency is not known: never a silent US dollar.
    currency: str = ""
    weekly_cap: int = DEFAULT_WEEKLY_CAP
    going_cold_days: int = DEFAULT_GOING_COLD_DAYS

    @property
    def business_currency(self) -> str:
        """The currency new quotes are in (the country's when none was chosen)."""
        return self.currency or currency_for(self.default_country) or "USD"


INT_FIELDS = {"weekly_cap", "going_cold_days"}


def settings_from_stored(stored: Mapping[str, str]) -> OwnerSettings:
    """The settings the stored `key -> value` rows make, with defaults for the rest."""
    values: dict[str, object] = {}
    for name in OwnerSettings.__dataclass_fields__:
        if name in stored:
            values[name] = int(stored[name]) if name in INT_FIELDS else stored[name]
    settings = OwnerSettings(**values)  # type: ignore[arg-type]
    if not settings.currency:
        known = currency_for(settings.default_country)
        if known:
            settings = replace(settings, currency=known)
    return settings
