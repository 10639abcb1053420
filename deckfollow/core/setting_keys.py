"""The names the command line (and people) use for the owner's settings.

Kept apart from `core.settings` so the command line can list them without loading the
database layer.
"""

from __future__ import annotations

SETTING_KEYS: dict[str, str] = {
    "business": "business_name",
    "owner": "owner_name",
    "cell": "owner_phone",
    "address": "business_address",
    "country": "default_country",
    "region": "owner_region",
    "timezone": "owner_timezone",
    "currency": "currency",
    "weekly-cap": "weekly_cap",
    "going-cold-days": "going_cold_days",
}
