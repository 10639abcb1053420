"""A ledger entry for a customer merge, each quote's file in its own column, and the
indexes the reports and the due queries read through.

- `consent_event.kind` accepts `customer_merged`: a merge writes one entry of its own
  naming both records. Going down, those entries wait among the settings (the older
  schema has no kind for them) and come back on the way up; nothing is lost.
- `quote.file_path`: the document sent with a quote, until now a setting per quote
  (`quote_file:ID`), moves into the quote row; going down moves it back.
- Indexes on the quote dates the reports filter on (received, sent, closed), on a
  follow-up's due time (the reports take follow-ups by when they fell due), and on
  `touch.follow_up_id` (the touch that kept a follow-up, which says when it was done).
  No query picks follow-ups by when they were marked done, so that column has none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_KINDS = ("granted", "revoked", "do_not_contact", "agreed_follow_up", "hours_changed")
MERGED = "customer_merged"
NEW_KINDS = (*OLD_KINDS, MERGED)
KIND_CHECK = "ck_consent_event_consent_event_kind"
# Where a merge entry waits while the database is at 0004 (see downgrade).
PARKED = "ledger_customer_merged:"
QUOTE_FILE = "quote_file:"
PATH = 1024

INDEXES = (
    ("ix_quote_received_at", "quote", ["received_at"]),
    ("ix_quote_sent_at", "quote", ["sent_at"]),
    ("ix_quote_closed_at", "quote", ["closed_at"]),
    ("ix_follow_up_due_at", "follow_up", ["due_at"]),
    ("ix_touch_follow_up_id", "touch", ["follow_up_id"]),
)

# The ledger's guards (0001: no update; 0003: no delete while the customer is kept). On
# SQLite they go with the table when it is rebuilt, so they are written again after.
GUARDS_SQLITE = (
    """
CREATE TRIGGER consent_event_append_only BEFORE UPDATE ON consent_event
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END
""",
    """
CREATE TRIGGER consent_event_no_delete BEFORE DELETE ON consent_event
WHEN EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id AND deleted_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only: an entry goes only when its customer is erased'); END
""",  # noqa: E501
)

setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
quote = sa.table("quote", sa.column("id", sa.Integer), sa.column("file_path", sa.String))
LEDGER_COLUMNS = (
    "id",
    "customer_id",
    "kind",
    "channel",
    "at",
    "source",
    "words",
    "detail",
    "follow_up_id",
    "recorded_by",
)
consent_event = sa.table("consent_event", *(sa.column(c) for c in LEDGER_COLUMNS))


def _check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite changes a CHECK only by copying the table.
        with op.batch_alter_table("consent_event", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(KIND_CHECK), type_="check")
            batch_op.create_check_constraint("consent_event_kind", _check(kinds))
        for guard in GUARDS_SQLITE:
            op.execute(guard)
    else:
        op.drop_constraint(op.f(KIND_CHECK), "consent_event", type_="check")
        op.create_check_constraint("consent_event_kind", "consent_event", _check(kinds))


def upgrade() -> None:
    bind = op.get_bind()
    _set_kinds(NEW_KINDS)
    parked = bind.execute(
        sa.select(setting.c.key, setting.c.value).where(setting.c.key.like(f"{PARKED}%"))
    ).all()
    if parked:
        op.bulk_insert(consent_event, [json.loads(value) for _key, value in parked])  # type: ignore[arg-type]
        bind.execute(sa.delete(setting).where(setting.c.key.like(f"{PARKED}%")))

    op.add_column("quote", sa.Column("file_path", sa.String(length=PATH), nullable=True))
    files = bind.execute(
        sa.select(setting.c.key, setting.c.value).where(setting.c.key.like(f"{QUOTE_FILE}%"))
    ).all()
    for key, value in files:
        if value:
            bind.execute(
                sa.update(quote)
                .where(quote.c.id == int(key[len(QUOTE_FILE) :]))
                .values(file_path=value)
            )
    bind.execute(sa.delete(setting).where(setting.c.key.like(f"{QUOTE_FILE}%")))

    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)

    files = bind.execute(
        sa.select(quote.c.id, quote.c.file_path).where(quote.c.file_path.is_not(None))
    ).all()
    if files:
        op.bulk_insert(setting, [{"key": f"{QUOTE_FILE}{qid}", "value": p} for qid, p in files])  # type: ignore[arg-type]
    with op.batch_alter_table("quote") as batch_op:
        batch_op.drop_column("file_path")

    merges = (
        bind.execute(sa.select(consent_event).where(consent_event.c.kind == MERGED))
        .mappings()
        .all()
    )
    if merges:
        op.bulk_insert(
            setting,  # type: ignore[arg-type]
            [
                {"key": f"{PARKED}{row['id']}", "value": json.dumps(dict(row), default=str)}
                for row in merges
            ],
        )
        # The guard refuses to give up an entry of a kept customer; it is parked above.
        # (On SQLite the rebuild below writes the guard again.)
        if bind.dialect.name == "postgresql":
            op.execute("ALTER TABLE consent_event DISABLE TRIGGER consent_event_no_delete")
        else:
            op.execute("DROP TRIGGER consent_event_no_delete")
        bind.execute(sa.delete(consent_event).where(consent_event.c.kind == MERGED))
        if bind.dialect.name == "postgresql":
            op.execute("ALTER TABLE consent_event ENABLE TRIGGER consent_event_no_delete")
    _set_kinds(OLD_KINDS)
