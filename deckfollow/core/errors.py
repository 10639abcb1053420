"""Domain errors: each carries a message a user can act on."""

from __future__ import annotations

from datetime import datetime


class DeckfollowError(Exception):
    """Base of every error a user may see; `str(err)` is the message to show."""


class ValidationError(DeckfollowError):
    """Bad input for one named field; nothing was saved."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PhoneNotValidError(ValidationError):
    """A number that is not a phone number where it was read (`country`, unless written with +)."""

    def __init__(self, field: str, message: str, country: str) -> None:
        super().__init__(field, message)
        self.country = country


class NotFoundError(DeckfollowError):
    """The record asked for does not exist (or is in the trash)."""


class PermissionRefused(DeckfollowError):
    """Contact on this channel or at this time is not allowed; the message says why.

    `suggestion` is the nearest time that keeps every rule, when the refusal is about time.
    """

    def __init__(self, message: str, suggestion: datetime | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class StorageError(DeckfollowError):
    """The database cannot be opened or used as it is."""


class ServerAwayError(StorageError):
    """The team's database server cannot be reached right now; nothing was saved.

    A dialog keeps what was typed and lets the user save again once the server is back."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of deckfollow."""


class ConcurrentEditError(DeckfollowError):
    """Someone else changed the record after it was loaded.

    `who` and `when` say who saved it meanwhile (when known); `theirs` is what it holds
    now, by field, so a dialog can show both and let the user reapply their own change.
    """

    def __init__(
        self,
        message: str,
        *,
        who: str | None = None,
        when: datetime | None = None,
        theirs: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.who = who
        self.when = when
        self.theirs = dict(theirs or {})
