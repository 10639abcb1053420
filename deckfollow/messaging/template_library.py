"""The template library: what to say on a call, a voicemail, a text, an email or a card.

Built-in templates are seeded into the Template table and are **editable in place with a
reset**: a tradesperson changes the words they actually use, and "Restore the original"
brings back the built-in text (kept in `messaging.builtin_templates`). Seeding is
idempotent and never overwrites an edited template; a built-in one still holding the words
of an earlier version is brought up to date. Templates the user adds are ordinary rows
(`builtin=False`) that can be deleted; built-in ones cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deckfollow.core.enums import TemplateKind
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.merge_fields import render_template, sample_context
from deckfollow.core.models import FollowUp, Template
from deckfollow.messaging.builtin_templates import (
    BUILTIN_BY_KEY,
    BUILTIN_TEMPLATES,
    DEFAULT_KEY,
    KIND_LABELS,
    RETIRED,
)


@dataclass(frozen=True)
class TemplateInfo:
    """A template as the UI and the senders use it (plain data, safe past the session)."""

    id: int
    key: str
    name: str
    kind: TemplateKind
    subject: str | None
    body: str
    builtin: bool
    modified: bool  # a built-in template whose words differ from the original

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _info(row: Template) -> TemplateInfo:
    original = BUILTIN_BY_KEY.get(row.key) if row.builtin else None
    modified = original is not None and (
        row.body != original.body
        or (row.subject or None) != original.subject
        or row.name != original.name
    )
    return TemplateInfo(
        row.id, row.key, row.name, row.kind, row.subject, row.body, row.builtin, modified
    )


def seed_builtin_templates(session: Session) -> int:
    """Add any built-in template not yet in the database and bring up to date the ones
    still holding an earlier version's words; edited ones are left alone.

    Returns how many were added or brought up to date.
    """
    present = set(session.execute(select(Template.key)).scalars())
    changed = 0
    for t in BUILTIN_TEMPLATES:
        if t.key in present:
            continue
        session.add(
            Template(
                key=t.key, name=t.name, kind=t.kind, subject=t.subject, body=t.body, builtin=True
            )
        )
        changed += 1
    retired = [k for k in RETIRED if k in present]
    if retired:
        rows = session.execute(
            select(Template).where(Template.key.in_(retired), Template.builtin.is_(True))
        ).scalars()
        for row in rows:
            if (row.name, row.subject or None, row.body) in RETIRED[row.key]:
                current = BUILTIN_BY_KEY[row.key]
                row.name, row.subject, row.body = current.name, current.subject, current.body
                changed += 1
    session.flush()
    return changed


def builtin_info(kind: TemplateKind, key: str | None = None) -> TemplateInfo:
    """The built-in words for `key` (else the kind's default) as seeding will store them, for
    a database whose library is not seeded yet; its id is 0 because it is not stored."""
    builtin = BUILTIN_BY_KEY.get(key or "")
    if builtin is None or builtin.kind is not kind:
        builtin = BUILTIN_BY_KEY[DEFAULT_KEY[kind]]
    return TemplateInfo(
        0, builtin.key, builtin.name, kind, builtin.subject, builtin.body, True, False
    )


def list_templates(session: Session, kind: TemplateKind | None = None) -> list[TemplateInfo]:
    """Templates in a stable order: by kind, built-ins first in their own order, then by name."""
    stmt = select(Template)
    if kind is not None:
        stmt = stmt.where(Template.kind == kind)
    rows = list(session.execute(stmt).scalars())
    kind_order = {k: i for i, k in enumerate(TemplateKind)}
    builtin_order = {t.key: i for i, t in enumerate(BUILTIN_TEMPLATES)}
    rows.sort(
        key=lambda r: (
            kind_order[r.kind],
            builtin_order.get(r.key, len(builtin_order)),
            r.name.lower(),
        )
    )
    return [_info(r) for r in rows]


def _row(session: Session, key: str) -> Template:
    row = session.execute(select(Template).where(Template.key == key)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(f"no template {key!r}")
    return row


def get_template(session: Session, key: str) -> TemplateInfo:
    return _info(_row(session, key))


def template_by_id(session: Session, template_id: int) -> TemplateInfo:
    row = session.get(Template, template_id)
    if row is None:
        raise NotFoundError(f"no template with id {template_id}")
    return _info(row)


def _check_fields(field_name: str, text: str) -> None:
    unknown = render_template(text, sample_context()).unknown
    if unknown:
        names = ", ".join("{" + u + "}" for u in unknown)
        raise ValidationError(
            field_name, f"unknown merge field {names} (use {{{{ and }}}} for a literal brace)"
        )


def _validate(kind: TemplateKind, name: str, subject: str | None, body: str) -> None:
    if not name.strip():
        raise ValidationError("name", "a template needs a name")
    if not body.strip():
        raise ValidationError("words", "a template needs some words")
    if kind is TemplateKind.EMAIL and not (subject and subject.strip()):
        raise ValidationError("subject", "an email template needs a subject")
    _check_fields("words", body)
    if subject:
        _check_fields("subject", subject)


def check_template(kind: TemplateKind, name: str, subject: str | None, body: str) -> None:
    """Refuse a template that cannot be saved (no name or words, an unknown field), naming
    the field; no session needed, so a screen can say so at once."""
    _validate(kind, name, subject, body)


def save_template(
    session: Session, key: str, *, name: str, subject: str | None, body: str
) -> TemplateInfo:
    """Change a template's name and words (built-in ones too: they can be restored)."""
    row = _row(session, key)
    _validate(row.kind, name, subject, body)
    row.name = name.strip()
    row.subject = subject.strip() if subject and subject.strip() else None
    row.body = body
    session.flush()
    return _info(row)


def _free_key(session: Session, base: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_")[:40] or "template"
    existing = set(session.execute(select(Template.key)).scalars())
    key = f"my_{slug}"
    n = 2
    while key in existing:
        key = f"my_{slug}_{n}"
        n += 1
    return key


def create_template(
    session: Session, *, kind: TemplateKind, name: str, subject: str | None, body: str
) -> TemplateInfo:
    """A new template of the user's own."""
    _validate(kind, name, subject, body)
    row = Template(
        key=_free_key(session, name),
        name=name.strip(),
        kind=kind,
        subject=subject.strip() if subject and subject.strip() else None,
        body=body,
        builtin=False,
    )
    session.add(row)
    session.flush()
    return _info(row)


def copy_template(session: Session, key: str) -> TemplateInfo:
    """A user's own copy of any template, named "… (copy)"."""
    src = _row(session, key)
    return create_template(
        session, kind=src.kind, name=f"{src.name} (copy)", subject=src.subject, body=src.body
    )


def reset_template(session: Session, key: str) -> TemplateInfo:
    """Bring a built-in template back to its original words."""
    row = _row(session, key)
    original = BUILTIN_BY_KEY.get(key) if row.builtin else None
    if original is None:
        raise ValidationError("template", f"{row.name!r} is your own; there is no original")
    row.name, row.subject, row.body = original.name, original.subject, original.body
    session.flush()
    return _info(row)


def delete_template(session: Session, key: str) -> None:
    """Delete one of the user's own templates (follow-ups using it fall back to the default)."""
    row = _row(session, key)
    if row.builtin:
        raise ValidationError(
            "template", "a built-in template can be edited or restored, not deleted"
        )
    session.execute(
        update(FollowUp)
        .where(FollowUp.template_id == row.id)
        .values(template_id=None)
        .execution_options(synchronize_session=False)
    )
    session.delete(row)
    session.flush()


def template_for(
    session: Session,
    kind: TemplateKind,
    *,
    template_id: int | None = None,
    template_key: str | None = None,
) -> TemplateInfo | None:
    """The template to start from: the one chosen for the follow-up, else the kind's default."""
    if template_id is not None:
        row = session.get(Template, template_id)
        if row is not None and row.kind is kind:
            return _info(row)
    for key in (template_key, DEFAULT_KEY[kind]):
        if key is None:
            continue
        found = session.execute(select(Template).where(Template.key == key)).scalar_one_or_none()
        if found is not None and found.kind is kind:
            return _info(found)
    rows = list_templates(session, kind)
    return rows[0] if rows else None
