"""Cadences say how they anchor and repeat in columns of their own.

Until now these lived as JSON in the setting table under ``cadence.<key>.rules``; this
moves them into ``cadence.anchor``, ``cadence.repeat_yearly`` and
``cadence.repeat_last_every_days`` and removes the settings (and back again on downgrade).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

cadence = sa.table(
    "cadence",
    sa.column("key", sa.String),
    sa.column("anchor", sa.String),
    sa.column("repeat_yearly", sa.Boolean),
    sa.column("repeat_last_every_days", sa.Integer),
)
setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.Text))
PREFIX, SUFFIX = "cadence.", ".rules"


def upgrade() -> None:
    with op.batch_alter_table("cadence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "anchor",
                sa.Enum(
                    "start",
                    "birthday",
                    "parked_until",
                    name="cadence_anchor",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=False,
                server_default="start",
            )
        )
        batch_op.add_column(
            sa.Column("repeat_yearly", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("repeat_last_every_days", sa.Integer(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(setting.c.key, setting.c.value).where(setting.c.key.like(f"{PREFIX}%{SUFFIX}"))
    ).all()
    for key, value in rows:
        rules = json.loads(value) if value else {}
        every = rules.get("repeat_last_every_days")
        bind.execute(
            cadence.update()
            .where(cadence.c.key == key[len(PREFIX) : -len(SUFFIX)])
            .values(
                anchor=str(rules.get("anchor", "start")),
                repeat_yearly=bool(rules.get("repeat_yearly", False)),
                repeat_last_every_days=int(every) if isinstance(every, int) else None,
            )
        )
    bind.execute(setting.delete().where(setting.c.key.like(f"{PREFIX}%{SUFFIX}")))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            cadence.c.key,
            cadence.c.anchor,
            cadence.c.repeat_yearly,
            cadence.c.repeat_last_every_days,
        )
    ).all()
    for key, anchor, yearly, every in rows:
        rules = {"anchor": anchor, "repeat_yearly": bool(yearly), "repeat_last_every_days": every}
        bind.execute(
            setting.insert().values(
                key=f"{PREFIX}{key}{SUFFIX}", value=json.dumps(rules, sort_keys=True)
            )
        )
    with op.batch_alter_table("cadence", schema=None) as batch_op:
        # The anchor's CHECK must go first: SQLite's table copy would still reference it.
        batch_op.drop_constraint(op.f("ck_cadence_cadence_anchor"), type_="check")
        batch_op.drop_column("repeat_last_every_days")
        batch_op.drop_column("repeat_yearly")
        batch_op.drop_column("anchor")
