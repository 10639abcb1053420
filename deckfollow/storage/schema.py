"""The schema revisions this version of deckfollow knows, oldest first.

Kept as plain constants so opening a current database never imports Alembic; a test checks
this list against the migration scripts.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]
