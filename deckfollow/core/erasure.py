"""Erasing a person for good (spec rule 9): their rows deleted with the freed bytes
overwritten, and the backups that still hold them named.

`core.trash.erase_customer` decides what goes and what stays (a do-not-contact leaves a
hashed suppression entry); this is the use case around it: a `secure_delete` unit of work,
the write-ahead log wiped, then a read-only scan of the backups folder. No backup is taken
first: that would make one more copy of the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.trash import (
    EmptiedTrash,
    ErasedCustomer,
    PersonFingerprint,
    empty_trash,
    erase_customer,
)
from deckfollow.core.wording import plural
from deckfollow.storage.backup_catalogue import BackupInfo, list_backups
from deckfollow.storage.backup_contents import customer_contacts
from deckfollow.storage.database import Database
from deckfollow.storage.scrub import scrubbing, wipe_freed_bytes


def _holds(path: Path, person: PersonFingerprint) -> bool:
    """Whether the file holds this person: by id and name, by email or by phone."""
    phones = set(person.phone_hashes)
    rows = customer_contacts(path)
    try:
        for cid, name, email, *numbers in rows:
            if cid == person.customer_id and name == person.name:
                return True
            if email and person.email_hash and suppression_hash(email) == person.email_hash:
                return True
            if any(n and suppression_hash(n) in phones for n in numbers):
                return True
    finally:
        rows.close()
    return False


def backups_holding(db_path: Path, person: PersonFingerprint) -> list[BackupInfo]:
    """The backups (read-only scan) that still hold this person by id and name, email or phone."""
    return [b for b in list_backups(db_path) if _holds(b.path, person)]


@dataclass(frozen=True)
class ErasureReport:
    """What erasing did, and where copies of the person remain."""

    erased: ErasedCustomer
    still_in_backups: list[BackupInfo]
    scrubbed: bool  # the live file no longer holds the old bytes (SQLite checkpoint done)

    def summary(self, *, full_paths: bool = True) -> str:
        e = self.erased
        lines = [
            f"{e.person.name} (customer {e.person.customer_id}) was erased: "
            f"{plural(e.quotes, 'quote')}, {plural(e.touches, 'touch', 'touches')}, "
            f"{plural(e.follow_ups, 'follow-up')} and "
            f"{plural(e.consent_events, 'consent entry', 'consent entries')} removed."
        ]
        if e.suppressed:
            lines.append(
                "They had asked not to be contacted: only a hash of their email and phone "
                "is kept, so they are not added again."
            )
        if self.still_in_backups:
            n = len(self.still_in_backups)
            lines.append(
                f"{plural(n, 'backup')} still {'holds' if n == 1 else 'hold'} them; they drop "
                "out as backups rotate, or delete these files now:"
            )
            lines += [
                f"  {b.path if full_paths else b.path.name} ({b.description}, "
                f"{b.taken_at:%Y-%m-%d})"
                for b in self.still_in_backups
            ]
        else:
            lines.append("No backup in the backups folder holds them.")
        lines.append("Copies saved elsewhere (your own backup copies, exports) are not checked.")
        if not self.scrubbed:
            lines.append(
                "Not finished: another program was reading the database the whole time, so "
                "their old details are still in its write-ahead log file. Close the other "
                "programs using it (a second deckfollow, a script), then run: "
                "deckfollow erase --wipe"
            )
        return "\n".join(lines)


def erase_for_good(
    db: Database, customer_id: int, *, now: datetime, reason: str = "privacy request"
) -> ErasureReport:
    """Erase a customer (core.trash.erase_customer), scrub the file, list backups holding them.

    No backup is taken first: that would make one more copy of the person.
    """
    with scrubbing(db) as session:
        erased = erase_customer(session, customer_id, now=now, reason=reason)
    scrubbed = wipe_freed_bytes(db)
    holding = backups_holding(db.path, erased.person) if db.path is not None else []
    return ErasureReport(erased, holding, scrubbed)


def empty_trash_for_good(
    db: Database, *, now: datetime, older_than_days: int | None
) -> EmptiedTrash:
    """Empty the trash (core.trash.empty_trash) with the freed bytes overwritten."""
    with scrubbing(db) as session:
        emptied = empty_trash(session, now=now, older_than_days=older_than_days)
    if emptied.customers or emptied.quotes:
        wipe_freed_bytes(db)
    return emptied
