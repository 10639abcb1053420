"""Members and who did what: a member list, each quote's owner, the member on every
touch, follow-up and stage change, and who last changed a customer or a quote (the
consent ledger already has `recorded_by`).

A member is named by their sign-in: on PostgreSQL the login (`current_user`), so the
server itself knows who wrote; on a single-user SQLite file, the owner's name. Existing
rows keep no name (nobody recorded it then); existing quotes are owned by nobody until
assigned, and show for every member.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NAME = 100


def upgrade() -> None:
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=NAME), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "owner",
                "staff",
                name="member_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("login", name=op.f("uq_member_login")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=NAME), nullable=True))
        batch_op.add_column(sa.Column("updated_by", sa.String(length=NAME), nullable=True))
        batch_op.add_column(sa.Column("stage_changed_by", sa.String(length=NAME), nullable=True))
        batch_op.create_index(batch_op.f("ix_quote_owner"), ["owner"], unique=False)
    for table in ("touch", "follow_up"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("member", sa.String(length=NAME), nullable=True))
    # In place, not a batch copy: the ledger's guard trigger (0003) names the customer table.
    op.add_column("customer", sa.Column("updated_by", sa.String(length=NAME), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE customer DROP COLUMN updated_by")  # in place (SQLite 3.35+)
    for table in ("follow_up", "touch"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("member")
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_owner"))
        batch_op.drop_column("stage_changed_by")
        batch_op.drop_column("updated_by")
        batch_op.drop_column("owner")
    op.drop_table("member")
