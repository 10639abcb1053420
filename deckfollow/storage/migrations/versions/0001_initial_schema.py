"""Initial schema: customers, quotes, touches, follow-ups, the consent ledger, cadences.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


LEDGER_GUARD_SQLITE = """
CREATE TRIGGER consent_event_append_only BEFORE UPDATE ON consent_event
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END
"""
LEDGER_GUARD_PG = (
    """
CREATE FUNCTION consent_event_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the consent ledger is append-only'; END $$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER consent_event_append_only BEFORE UPDATE ON consent_event
FOR EACH ROW EXECUTE FUNCTION consent_event_append_only()
""",
)


def _guard_ledger() -> None:
    # Ledger entries are evidence: the database itself refuses to rewrite one.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(LEDGER_GUARD_SQLITE)
    elif dialect == "postgresql":
        for stmt in LEDGER_GUARD_PG:
            op.execute(stmt)


def upgrade() -> None:

    op.create_table(
        "cadence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence")),
        sa.UniqueConstraint("key", name=op.f("uq_cadence_key")),
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone_cell", sa.String(length=32), nullable=True),
        sa.Column("phone_office", sa.String(length=32), nullable=True),
        sa.Column("phone_home", sa.String(length=32), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("suburb", sa.String(length=100), nullable=True),
        sa.Column("region", sa.String(length=50), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "preferred_channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "card",
                "visit",
                "video",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("contact_hours", sa.String(length=200), nullable=True),
        sa.Column("best_times", sa.String(length=200), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("family_notes", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("do_not_contact", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_phone_cell"), ["phone_cell"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "suppression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppression")),
    )
    with op.batch_alter_table("suppression", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suppression_email_hash"), ["email_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_suppression_phone_hash"), ["phone_hash"], unique=False)

    op.create_table(
        "template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "call_script",
                "voicemail",
                "text",
                "email",
                "card",
                name="template_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template")),
        sa.UniqueConstraint("key", name=op.f("uq_template_key")),
    )
    op.create_table(
        "cadence_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadence_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("at_hour", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "card",
                "visit",
                "video",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("template_key", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["cadence_id"], ["cadence.id"], name=op.f("fk_cadence_step_cadence_id_cadence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_step")),
        sa.UniqueConstraint("cadence_id", "position", name=op.f("uq_cadence_step_cadence_id")),
    )
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("job", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "lead",
                "quoted",
                "following_up",
                "won",
                "lost",
                "parked",
                name="stage",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("competing_quotes", sa.Integer(), nullable=True),
        sa.Column("stage_changed_at", sa.DateTime(), nullable=False),
        sa.Column("last_touch_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("lost_reason", sa.String(length=300), nullable=True),
        sa.Column("parked_until", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_quote_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
        sa.UniqueConstraint("number", name=op.f("uq_quote_number")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_last_touch_at"), ["last_touch_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_stage"), ["stage"], unique=False)

    op.create_table(
        "cadence_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadence_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "paused",
                "stopped",
                "finished",
                name="cadence_run_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("paused_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["cadence_id"], ["cadence.id"], name=op.f("fk_cadence_run_cadence_id_cadence")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_cadence_run_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quote.id"], name=op.f("fk_cadence_run_quote_id_quote")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_run")),
    )
    with op.batch_alter_table("cadence_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cadence_run_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("window_end", sa.DateTime(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "card",
                "visit",
                "video",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column(
            "basis",
            sa.Enum(
                "agreed",
                "planned",
                name="basis",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("agreed_words", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "done",
                "skipped",
                "cancelled",
                name="follow_up_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("cadence_run_id", sa.Integer(), nullable=True),
        sa.Column("cadence_step", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(), nullable=True),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cadence_run_id"],
            ["cadence_run.id"],
            name=op.f("fk_follow_up_cadence_run_id_cadence_run"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_follow_up_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quote.id"], name=op.f("fk_follow_up_quote_id_quote")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["template.id"], name=op.f("fk_follow_up_template_id_template")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_cadence_run_id"), ["cadence_run_id"], unique=False
        )
        batch_op.create_index(
            "ix_follow_up_customer_status", ["customer_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_up_quote_id"), ["quote_id"], unique=False)
        batch_op.create_index("ix_follow_up_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "granted",
                "revoked",
                "do_not_contact",
                "agreed_follow_up",
                "hours_changed",
                name="consent_event_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "post",
                "visit",
                name="consent_channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_consent_event_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_up.id"], name=op.f("fk_consent_event_follow_up_id_follow_up")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_event")),
    )
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.create_index("ix_consent_event_customer_at", ["customer_id", "at"], unique=False)

    op.create_table(
        "touch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "card",
                "visit",
                "video",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "direction",
            sa.Enum(
                "outbound",
                "inbound",
                name="direction",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "reached",
                "voicemail",
                "no_answer",
                "replied",
                "bounced",
                "mailed",
                "sent",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_touch_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_up.id"], name=op.f("fk_touch_follow_up_id_follow_up")
        ),
        sa.ForeignKeyConstraint(["quote_id"], ["quote.id"], name=op.f("fk_touch_quote_id_quote")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_touch")),
    )
    with op.batch_alter_table("touch", schema=None) as batch_op:
        batch_op.create_index("ix_touch_customer_at", ["customer_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_touch_quote_id"), ["quote_id"], unique=False)

    op.create_table(
        "channel_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "call",
                "text",
                "email",
                "post",
                "visit",
                name="consent_channel",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "unknown",
                "granted",
                "revoked",
                name="consent_state",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_channel_consent_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["consent_event.id"],
            name=op.f("fk_channel_consent_event_id_consent_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_consent")),
        sa.UniqueConstraint("customer_id", "channel", name=op.f("uq_channel_consent_customer_id")),
    )
    _guard_ledger()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS consent_event_append_only")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS consent_event_append_only ON consent_event")
        op.execute("DROP FUNCTION IF EXISTS consent_event_append_only()")

    op.drop_table("channel_consent")
    with op.batch_alter_table("touch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_touch_quote_id"))
        batch_op.drop_index("ix_touch_customer_at")

    op.drop_table("touch")
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_event_customer_at")

    op.drop_table("consent_event")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_status_due")
        batch_op.drop_index(batch_op.f("ix_follow_up_quote_id"))
        batch_op.drop_index("ix_follow_up_customer_status")
        batch_op.drop_index(batch_op.f("ix_follow_up_cadence_run_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("cadence_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cadence_run_customer_id"))

    op.drop_table("cadence_run")
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_stage"))
        batch_op.drop_index(batch_op.f("ix_quote_last_touch_at"))
        batch_op.drop_index(batch_op.f("ix_quote_customer_id"))

    op.drop_table("quote")
    op.drop_table("cadence_step")
    op.drop_table("template")
    with op.batch_alter_table("suppression", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suppression_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_suppression_email_hash"))

    op.drop_table("suppression")
    op.drop_table("setting")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_phone_cell"))
        batch_op.drop_index(batch_op.f("ix_customer_email"))

    op.drop_table("customer")
    op.drop_table("cadence")
