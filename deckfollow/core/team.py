"""The team's members and what each role may do, enforced by the PostgreSQL server itself.

Each member signs in with their own login, so the server knows who wrote what (see
core.members). Two group roles hold the privileges and every login belongs to one:

- `deckfollow_owner` manages members, settings, erasure and backups: every privilege on
  every table, and CREATEROLE on the owner's login to add and remove members.
- `deckfollow_staff` works quotes and customers: reads everything; adds and changes
  customers, quotes, touches, follow-ups, consent and plans running for a customer; adds to
  the consent ledger but cannot change or delete an entry; deletes nothing (so cannot
  erase); cannot change settings, templates, plans, the member list or the suppression list.

Hidden buttons are a courtesy; these GRANTs are the rule.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import FollowUpStatus, MemberRole
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.members import current_member, is_team
from deckfollow.core.models import Base, FollowUp, Member, Quote
from deckfollow.core.pipeline import check_version, get_quote
from deckfollow.core.settings import OwnerSettings

GROUPS = {MemberRole.OWNER: "deckfollow_owner", MemberRole.STAFF: "deckfollow_staff"}
_LOGIN = re.compile(r"[a-z][a-z0-9_]{1,62}")

# What staff may do beyond reading, by table; anything not named is read-only for them.
STAFF_WRITES: dict[str, str] = {
    "customer": "INSERT, UPDATE",
    "quote": "INSERT, UPDATE",
    "touch": "INSERT, UPDATE",
    "follow_up": "INSERT, UPDATE",
    "channel_consent": "INSERT, UPDATE",
    "consent_event": "INSERT",
    "cadence_run": "INSERT, UPDATE",
    "setting": "INSERT, UPDATE",  # bookkeeping only: see _SETTING_POLICIES
}
# The setting table also keeps the app's bookkeeping (last digest, cards printed), which
# every member's app writes; the owner's settings, mail server and plans are the owner's.
_PROTECTED_SETTING = (
    "(key IN ({owner}) OR key LIKE 'smtp.%' OR key LIKE 'email.%' OR key LIKE 'cadence.%')"
)


@dataclass(frozen=True)
class MemberInfo:
    login: str
    name: str
    role: MemberRole
    added_at: datetime

    def as_json(self) -> dict[str, str]:
        return {
            "login": self.login,
            "name": self.name,
            "role": self.role.value,
            "added_at": self.added_at.isoformat(),
        }


@dataclass(frozen=True)
class NewMember:
    """A member just added; `password` is shown once, to be handed over, and kept nowhere."""

    info: MemberInfo
    password: str


def login_for(name: str) -> str:
    """The login a person's name becomes: 'Sam Lee' -> 'sam_lee'."""
    login = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not _LOGIN.fullmatch(login):
        raise ValidationError(
            "name", f"{name!r} cannot be a sign-in name: use letters, digits and spaces"
        )
    return login


def _require_team(session: Session) -> None:
    if not is_team(session):
        raise ValidationError(
            "database", "members need a team database (PostgreSQL); this is a one-person file"
        )


def _ident(login: str) -> str:
    assert _LOGIN.fullmatch(login), login  # only names login_for accepted reach SQL
    return f'"{login}"'


def ensure_roles(session: Session) -> None:
    """Create the two group roles if missing and give them their privileges (idempotent)."""
    _require_team(session)
    for group in GROUPS.values():
        exists = session.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}
        ).first()
        if exists is None:
            session.execute(text(f"CREATE ROLE {group} NOLOGIN"))
    owner, staff = GROUPS[MemberRole.OWNER], GROUPS[MemberRole.STAFF]
    tables = [*Base.metadata.tables, "alembic_version"]
    session.execute(text(f"GRANT USAGE ON SCHEMA public TO {owner}, {staff}"))
    for table in tables:
        session.execute(text(f'GRANT ALL PRIVILEGES ON "{table}" TO {owner}'))
        session.execute(text(f'REVOKE ALL PRIVILEGES ON "{table}" FROM {staff}'))
        session.execute(text(f'GRANT SELECT ON "{table}" TO {staff}'))
        if table in STAFF_WRITES:
            session.execute(text(f'GRANT {STAFF_WRITES[table]} ON "{table}" TO {staff}'))
    _setting_policies(session, owner, staff)
    session.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {owner}"))
    session.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {staff}"))


def _setting_policies(session: Session, owner: str, staff: str) -> None:
    """Row-level security on `setting`: staff write bookkeeping rows, never the owner's."""
    keys = ", ".join(f"'{k}'" for k in OwnerSettings.__dataclass_fields__)
    protected = _PROTECTED_SETTING.format(owner=keys)
    session.execute(text("ALTER TABLE setting ENABLE ROW LEVEL SECURITY"))
    policies = {
        "setting_owner": f"FOR ALL TO {owner} USING (true) WITH CHECK (true)",
        "setting_read": f"FOR SELECT TO {staff} USING (true)",
        "setting_staff_add": f"FOR INSERT TO {staff} WITH CHECK (NOT {protected})",
        # USING true so a refused change is an error, not an update of no rows.
        "setting_staff_change": f"FOR UPDATE TO {staff} USING (true) WITH CHECK (NOT {protected})",
    }
    for name, rule in policies.items():
        session.execute(text(f"DROP POLICY IF EXISTS {name} ON setting"))
        session.execute(text(f"CREATE POLICY {name} ON setting {rule}"))


def _owns_tables(session: Session) -> bool:
    """Whether this sign-in made the tables (the one who set up the server): only they can
    grant on them. An owner member adding someone finds the grants already in place."""
    return bool(
        session.execute(
            text(
                "SELECT bool_and(tableowner = current_user) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename = 'quote'"
            )
        ).scalar()
    )


def add_member(
    session: Session, name: str, role: MemberRole, *, now: datetime, login: str | None = None
) -> NewMember:
    """Create a member's login with a random one-time password and their role's privileges."""
    _require_team(session)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("name", "say who the member is")
    login = login_for(login or name)
    taken = (
        session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first()
        or session.execute(select(Member.id).where(Member.login == login)).first()
    )
    if taken is not None:
        raise ValidationError("name", f"there is already a sign-in called {login}")
    may = session.execute(
        text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    if not may:
        raise ValidationError("member", "only the team's owner may add members")
    if _owns_tables(session):
        ensure_roles(session)
    password = secrets.token_urlsafe(15)  # letters, digits, - and _: safe inside quotes
    attributes = "LOGIN CREATEROLE" if role is MemberRole.OWNER else "LOGIN"
    session.execute(text(f"CREATE ROLE {_ident(login)} {attributes} PASSWORD '{password}'"))
    admin = " WITH ADMIN OPTION" if role is MemberRole.OWNER else ""
    session.execute(text(f"GRANT {GROUPS[role]} TO {_ident(login)}{admin}"))
    if role is MemberRole.OWNER:
        session.execute(
            text(f"GRANT {GROUPS[MemberRole.STAFF]} TO {_ident(login)} WITH ADMIN OPTION")
        )
    session.add(Member(login=login, name=name, role=role, created_at=now))
    session.flush()
    return NewMember(MemberInfo(login, name, role, now), password)


def list_members(session: Session) -> list[MemberInfo]:
    """The team's current members, owners first, then by name."""
    rows = session.execute(
        select(Member).where(Member.removed_at.is_(None)).order_by(Member.role, Member.name)
    ).scalars()
    return [MemberInfo(m.login, m.name, m.role, m.created_at) for m in rows]


def remove_member(session: Session, login: str, *, now: datetime) -> Changes:
    """Take away a member's sign-in; what they recorded keeps their name."""
    _require_team(session)
    member = session.execute(
        select(Member).where(Member.login == login, Member.removed_at.is_(None))
    ).scalar_one_or_none()
    if member is None:
        raise NotFoundError(f"no member with the sign-in {login}")
    if login == current_member(session):
        raise ValidationError("member", "you cannot remove your own sign-in")
    member.removed_at = now
    # The role goes, so the login can no longer sign in; rows keep the name it wrote.
    session.execute(text(f"DROP ROLE IF EXISTS {_ident(member.login)}"))
    return Changes(settings=True)


def assign_quote(
    session: Session,
    quote_id: int,
    login: str,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Changes:
    """Make `login` the quote's owner; its open follow-ups become theirs to be reminded of."""
    quote: Quote = get_quote(session, quote_id)
    check_version(session, quote, expected_version)
    known = session.execute(
        select(Member.id).where(Member.login == login, Member.removed_at.is_(None))
    ).first()
    if known is None and login != current_member(session):
        raise ValidationError("member", f"{login} is not a member of this team")
    if quote.owner == login:
        return Changes()
    quote.owner = login
    quote.updated_at = now
    for follow_up in session.execute(
        select(FollowUp).where(
            FollowUp.quote_id == quote_id, FollowUp.status == FollowUpStatus.PENDING
        )
    ).scalars():
        follow_up.member = login
    return Changes(quotes=True, follow_ups=True)
