"""Times typed and printed on the command line are on the owner's clock, as in the app.

A time option without a UTC offset is read in the owner's zone (`deckfollow settings set
timezone …`); an offset or Z says the moment exactly and wins. Printed times carry the
customer's own time beside them where they live in another zone.
"""

from __future__ import annotations

from datetime import datetime

# The words every time option's --help ends with.
OWNER_CLOCK_HELP = "your time (settings' timezone) unless it has a UTC offset or Z"


def on_owners_clock(at: datetime, owner_tz: str) -> datetime:
    """A typed time as an aware moment: a wall-clock time read on the owner's clock."""
    from deckfollow.core.contact_hours import local_to_utc, zone

    if at.tzinfo is not None:
        return at
    return local_to_utc(at.date(), at.time(), zone(owner_tz))
