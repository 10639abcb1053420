"""The consent ledger refuses to lose an entry, as it already refused to change one.

An entry may only go together with its customer when they are erased for good (erasure
puts the customer in the trash first, in the same transaction); deleting one entry of a
customer who is still kept is refused by the database itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "the consent ledger is append-only: an entry goes only when its customer is erased"

GUARD_SQLITE = f"""
CREATE TRIGGER consent_event_no_delete BEFORE DELETE ON consent_event
WHEN EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id AND deleted_at IS NULL)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
"""
GUARD_PG = (
    f"""
CREATE FUNCTION consent_event_no_delete() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id AND deleted_at IS NULL) THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER consent_event_no_delete BEFORE DELETE ON consent_event
FOR EACH ROW EXECUTE FUNCTION consent_event_no_delete()
""",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(GUARD_SQLITE)
    elif dialect == "postgresql":
        for stmt in GUARD_PG:
            op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS consent_event_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS consent_event_no_delete ON consent_event")
        op.execute("DROP FUNCTION IF EXISTS consent_event_no_delete()")
