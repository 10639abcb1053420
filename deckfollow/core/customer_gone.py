"""What to say of a customer id that is no longer there: merged into someone, or in the trash.

The merge stamps the record it folds away (`merged_stamp`); the ORM and sqlite3 readers
both turn a missing or trashed id into the same one line (`customer_not_found`).
"""

from __future__ import annotations

import re
from datetime import date

from deckfollow.core.errors import NotFoundError

_STAMP = re.compile(r"^Merged into customer (\d+) \((.*)\) on (\d{4}-\d{2}-\d{2})\.$", re.M)


def merged_stamp(keep_id: int, keep_name: str, day: date) -> str:
    """The line a merged-away record's notes start with."""
    return f"Merged into customer {keep_id} ({keep_name}) on {day:%Y-%m-%d}."


def customer_not_found(customer_id: int, *, in_trash: bool, notes: str | None) -> NotFoundError:
    """ "no customer with id 5", and why when it was there once."""
    line = f"no customer with id {customer_id}"
    if not in_trash:
        return NotFoundError(line)
    found = _STAMP.search(notes or "")
    if found is not None:
        keep, name, day = found.groups()
        return NotFoundError(f"{line}: merged into customer {keep} ({name}) on {day}")
    return NotFoundError(f"{line}: it is in the trash (Edit › Trash… in the app restores it)")
