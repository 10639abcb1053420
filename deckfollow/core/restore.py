"""Restoring a backup without bringing back anyone who asked not to be contacted (rule 9).

An older backup may predate a "stop" or an erasure. While `storage.restore.restoring` holds
the swap, every do-not-contact of the data being replaced is read (as hashes, time and
source) and re-applied to the restored data, and whoever was erased since is erased from it
again, before it takes the live data's place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.do_not_contact import (
    DoNotContactMark,
    do_not_contact_marks,
    reapply_do_not_contact,
)
from deckfollow.core.errors import StorageError
from deckfollow.core.models import Customer, Suppression
from deckfollow.core.trash import erase_customer
from deckfollow.storage.backup_contents import read_only_session
from deckfollow.storage.database import open_database
from deckfollow.storage.restore import restoring
from deckfollow.storage.scrub import scrubbing, wipe_freed_bytes, wipe_freed_bytes_in


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the file restored, and where the replaced database was kept."""

    restored_from: Path
    previous_kept_at: Path | None
    do_not_contact_reapplied: int = 0  # newer do-not-contacts carried into the restored file
    erased_again: int = 0  # erased people the older backup still held
    notes: tuple[str, ...] = ()


def restore_from(db_path: Path, backup_file: Path, *, now: datetime | None = None) -> RestoreResult:
    """Replace the data in the database at `db_path` with `backup_file`, keeping the current
    data first and carrying every do-not-contact in it into the restored data.

    See `storage.restore.restoring` for how the swap is made safe; the caller keeps the app
    out (the instance lock).
    """
    when = now or datetime.now(UTC)
    with restoring(db_path, backup_file.expanduser(), now=when) as swap:
        marks: list[DoNotContactMark] = []
        erased: set[str] = set()
        note = None
        if swap.kept is not None:
            marks, erased, note = _do_not_contact_in(swap.kept)
        applied, again = _reapply(swap.prepared, marks, erased, when)
    if again and swap.in_place:
        wipe_freed_bytes_in(db_path)  # the people erased again leave no bytes in the log
    return RestoreResult(
        backup_file.expanduser(), swap.kept, applied, again, (note,) if note else ()
    )


def _do_not_contact_in(db_path: Path) -> tuple[list[DoNotContactMark], set[str], str | None]:
    """A database's do-not-contacts and erased people's hashes, read without writing
    anything to the file or beside it."""
    if not db_path.exists():
        return [], set(), None
    try:
        with read_only_session(db_path) as s:
            marks = do_not_contact_marks(s)
            erased: set[str] = set()
            for email_hash, phone_hash in s.execute(
                select(Suppression.email_hash, Suppression.phone_hash)
            ):
                erased.update(h for h in (email_hash, phone_hash) if h)
        return marks, erased, None
    except StorageError as exc:
        return [], set(), f"do-not-contact marks could not be read from the replaced file: {exc}"


def _reapply(
    db_path: Path, marks: list[DoNotContactMark], erased: set[str], now: datetime
) -> tuple[int, int]:
    """Carry do-not-contacts into the restored file; erase again whoever was erased since."""
    restored = open_database(str(db_path), create=False)
    try:
        with scrubbing(restored) as s:
            applied = reapply_do_not_contact(s, marks, now=now) if marks else 0
            again = []
            if erased:
                for cid, *values in s.execute(
                    select(
                        Customer.id,
                        Customer.email,
                        Customer.phone_cell,
                        Customer.phone_office,
                        Customer.phone_home,
                    )
                ):
                    if any(v and suppression_hash(v) in erased for v in values):
                        again.append(cid)
            for cid in again:
                erase_customer(s, cid, now=now, reason="erased again after a restore")
        if again:
            wipe_freed_bytes(restored)
    finally:
        restored.close()
    return applied, len(again)
