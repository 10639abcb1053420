"""The SQLAlchemy mapped classes of the domain (2.0 typed style).

Times are UTC (`UTCDateTime`) with the customer's IANA zone kept beside them where a
local wall-clock time matters; money is `Decimal` stored as cents.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from deckfollow.core.columns import Money, UTCDateTime
from deckfollow.core.enums import (
    Basis,
    CadenceAnchor,
    CadenceRunStatus,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    Direction,
    FollowUpStatus,
    MemberRole,
    Outcome,
    Stage,
    TemplateKind,
)
from deckfollow.core.text_folding import folded_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type, name: str) -> Enum:
    # Stored as VARCHAR + CHECK (not a native PG enum) so both back-ends migrate alike.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# What a customer is found by in the customer list (besides their phone numbers), in the
# order their search key holds it.
SEARCHED_FIELDS = ("display_name", "company", "email", "street", "suburb", "region", "postcode")


def _search_key_on_insert(context: DefaultExecutionContext) -> str:
    # A column default sees each row's values, so bulk inserts (an import, the demo) get
    # their key as well as the ORM's; an absent field is a blank one.
    values: dict[str, object] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return folded_key(_text(values.get(name)) for name in SEARCHED_FIELDS)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone_cell: Mapped[str | None] = mapped_column(String(32), index=True)
    phone_office: Mapped[str | None] = mapped_column(String(32))
    phone_home: Mapped[str | None] = mapped_column(String(32))
    street: Mapped[str | None] = mapped_column(String(200))
    suburb: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(50))
    postcode: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="US")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    preferred_channel: Mapped[Channel | None] = mapped_column(_enum(Channel, "channel"))
    # Stricter hours the customer asked for, in the grammar of core.contact_hours.
    contact_hours: Mapped[str | None] = mapped_column(String(200))
    best_times: Mapped[str | None] = mapped_column(String(200))
    birthday: Mapped[date | None] = mapped_column(Date)
    family_notes: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100))  # a member's sign-in
    # The searched fields folded (`core.text_folding`), so one LIKE ignores case and accents
    # on SQLite and PostgreSQL alike; written on insert and whenever one of them changes.
    search_key: Mapped[str] = mapped_column(Text, default=_search_key_on_insert, server_default="")

    quotes: Mapped[list[Quote]] = relationship(back_populates="customer")
    consents: Mapped[list[ChannelConsent]] = relationship(back_populates="customer")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


@event.listens_for(Customer, "before_update")
def _refold_search_key(_mapper: Mapper[Customer], _conn: object, target: Customer) -> None:
    """A customer whose name, company, email or address changes is found by the new one.

    Every edit of those fields passes through here (a form, a lead, an import filling in
    blanks, a merge), written in the same UPDATE.
    """
    attrs = inspect(target).attrs
    if any(attrs[name].history.has_changes() for name in SEARCHED_FIELDS):
        target.search_key = folded_key(getattr(target, name) for name in SEARCHED_FIELDS)


class Quote(Base):
    """A request and what was offered for it; a lead is a quote in the `lead` stage."""

    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    job: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "stage"), index=True)
    source: Mapped[str | None] = mapped_column(String(100))
    # The dates the reports filter on are indexed (docs/reports.md).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    competing_quotes: Mapped[int | None] = mapped_column(Integer)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    lost_reason: Mapped[str | None] = mapped_column(String(300))
    parked_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Where the document sent with the quote (its PDF) is on the owner's computer.
    file_path: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Members by their sign-in (see core.members); None before anyone was recorded.
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    stage_changed_by: Mapped[str | None] = mapped_column(String(100))

    customer: Mapped[Customer] = relationship(back_populates="quotes")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Touch(Base):
    """One contact attempt or exchange that happened."""

    __tablename__ = "touch"
    __table_args__ = (Index("ix_touch_customer_at", "customer_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"), index=True)
    # Indexed: the report's discipline figures find the touch that kept each follow-up.
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "direction"))
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "outcome"))
    subject: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    member: Mapped[str | None] = mapped_column(String(100))


class FollowUp(Base):
    """A planned touch with its reason and basis (agreed with the customer, or planned).

    `notified_at` is the reminder state: when the owner was last reminded of it. Any move of
    its effective due time (the snooze's end, else the due time) clears it, so the follow-up
    is reminded once more at its new time; see `_rearm_reminder_on_move`.
    """

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_status_due", "status", "due_at"),
        Index("ix_follow_up_customer_status", "customer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"), index=True)
    # active_history: the time before a move is loaded, to tell a move from a rewrite.
    # Indexed for the reports, which take follow-ups by when they fell due.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, active_history=True, index=True)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    reason: Mapped[str] = mapped_column(String(300))
    basis: Mapped[Basis] = mapped_column(_enum(Basis, "basis"))
    agreed_words: Mapped[str | None] = mapped_column(Text)
    status: Mapped[FollowUpStatus] = mapped_column(_enum(FollowUpStatus, "follow_up_status"))
    cadence_run_id: Mapped[int | None] = mapped_column(ForeignKey("cadence_run.id"), index=True)
    cadence_step: Mapped[int | None] = mapped_column(Integer)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("template.id"))
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    member: Mapped[str | None] = mapped_column(String(100))  # who planned it; reminded

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


def _before_and_after(target: FollowUp, name: str) -> tuple[datetime | None, datetime | None]:
    """An attribute's value at the last flush and now."""
    history = inspect(target).attrs[name].history
    now: datetime | None = getattr(target, name)
    return (history.deleted[0] if history.deleted else now), now


@event.listens_for(FollowUp, "before_update")
def _rearm_reminder_on_move(_mapper: Mapper[FollowUp], _conn: object, target: FollowUp) -> None:
    """A follow-up whose effective due time moves is reminded once more, at its new time.

    Whatever moves it (a snooze, new allowed hours, an agreed time that pushes a cadence step
    aside, a resumed plan), the old stamp must not decide: from a clock that ran fast it can
    lie after the new time and swallow that reminder. A write of the same time is no move,
    so nothing is ever reminded twice for one due time. The claim itself is a Core UPDATE of
    `notified_at` alone and never passes through here.
    """
    due_before, due_now = _before_and_after(target, "due_at")
    snooze_before, snooze_now = _before_and_after(target, "snoozed_until")
    if (snooze_before or due_before) != (snooze_now or due_now):
        target.notified_at = None
        # Written even if this session's copy already reads None: the database's may not.
        flag_modified(target, "notified_at")


class ChannelConsent(Base):
    """Current consent per customer and channel: a projection of the ledger for fast queries."""

    __tablename__ = "channel_consent"
    __table_args__ = (UniqueConstraint("customer_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    channel: Mapped[ConsentChannel] = mapped_column(_enum(ConsentChannel, "consent_channel"))
    state: Mapped[ConsentState] = mapped_column(_enum(ConsentState, "consent_state"))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str | None] = mapped_column(String(100))
    words: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("consent_event.id"))

    customer: Mapped[Customer] = relationship(back_populates="consents")


class ConsentEvent(Base):
    """One entry of a customer's append-only consent ledger."""

    __tablename__ = "consent_event"
    __table_args__ = (Index("ix_consent_event_customer_at", "customer_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[ConsentEventKind] = mapped_column(_enum(ConsentEventKind, "consent_event_kind"))
    # None for events that cover every channel (do-not-contact).
    channel: Mapped[ConsentChannel | None] = mapped_column(_enum(ConsentChannel, "consent_channel"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(100))
    words: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id"))
    recorded_by: Mapped[str | None] = mapped_column(String(100))


class Cadence(Base):
    """A named plan of follow-ups by offset from its start."""

    __tablename__ = "cadence"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    anchor: Mapped[CadenceAnchor] = mapped_column(
        _enum(CadenceAnchor, "cadence_anchor"), default=CadenceAnchor.START
    )
    repeat_yearly: Mapped[bool] = mapped_column(Boolean, default=False)
    # After the last step, repeat it every N days ("then quarterly"); None: the plan ends.
    repeat_last_every_days: Mapped[int | None] = mapped_column(Integer)

    steps: Mapped[list[CadenceStep]] = relationship(
        back_populates="cadence", order_by="CadenceStep.position", cascade="all, delete-orphan"
    )


class CadenceStep(Base):
    __tablename__ = "cadence_step"
    __table_args__ = (UniqueConstraint("cadence_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cadence_id: Mapped[int] = mapped_column(ForeignKey("cadence.id"))
    position: Mapped[int] = mapped_column(Integer)
    offset_days: Mapped[int] = mapped_column(Integer)
    # Local wall-clock hour to aim for (e.g. 18 for "the same evening").
    at_hour: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    reason: Mapped[str] = mapped_column(String(300))
    template_key: Mapped[str | None] = mapped_column(String(60))

    cadence: Mapped[Cadence] = relationship(back_populates="steps")


class CadenceRun(Base):
    """A cadence started for one customer (and quote)."""

    __tablename__ = "cadence_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    cadence_id: Mapped[int] = mapped_column(ForeignKey("cadence.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quote.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[CadenceRunStatus] = mapped_column(_enum(CadenceRunStatus, "cadence_run_status"))
    paused_reason: Mapped[str | None] = mapped_column(String(300))


class Template(Base):
    """Wording for a call, voicemail, text, email or card, with {merge} fields."""

    __tablename__ = "template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TemplateKind] = mapped_column(_enum(TemplateKind, "template_kind"))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class Suppression(Base):
    """What is left of an erased do-not-contact person: hashes, so they are not re-added."""

    __tablename__ = "suppression"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(100))


class Setting(Base):
    """Plain preferences (never secrets: those live in the OS keyring)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Member(Base):
    """A person of the team, known by their sign-in (a PostgreSQL login)."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
