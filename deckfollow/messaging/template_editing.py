"""The scripts-and-templates screen's reads and edits, each answered with the library as it
is afterwards, so the screen shows the result of one unit of work without asking again."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.enums import TemplateKind
from deckfollow.core.merge_fields import preview_customers
from deckfollow.messaging.builtin_templates import KIND_LABELS
from deckfollow.messaging.template_library import (
    TemplateInfo,
    copy_template,
    create_template,
    delete_template,
    list_templates,
    reset_template,
    save_template,
    seed_builtin_templates,
)

__all__ = [
    "TemplateLibrary",
    "TemplatesEdited",
    "copy_one",
    "create_one",
    "delete_one",
    "open_library",
    "reset_one",
    "save_one",
]

SAVED = Changes(settings=True)


@dataclass(frozen=True)
class TemplateLibrary:
    """Every template, and the customers a wording can be previewed with (by name)."""

    templates: list[TemplateInfo]
    customers: list[tuple[int, str]]
    changes: Changes = field(default_factory=Changes)  # the built-ins added the first time


def open_library(session: Session, *, preview_limit: int) -> TemplateLibrary:
    """The library as the screen opens it (the built-in templates added if missing)."""
    seeded = seed_builtin_templates(session)
    return TemplateLibrary(
        list_templates(session),
        preview_customers(session, limit=preview_limit),
        SAVED if seeded else Changes(),
    )


@dataclass(frozen=True)
class TemplatesEdited:
    """The template an edit left on screen (None after a delete), and every template now."""

    template: TemplateInfo | None
    templates: list[TemplateInfo]
    changes: Changes = field(default=SAVED)


def _after(session: Session, template: TemplateInfo | None) -> TemplatesEdited:
    return TemplatesEdited(template, list_templates(session))


def save_one(
    session: Session, key: str, *, name: str, subject: str | None, body: str
) -> TemplatesEdited:
    """Change a template's name and words."""
    return _after(session, save_template(session, key, name=name, subject=subject, body=body))


def reset_one(session: Session, key: str) -> TemplatesEdited:
    """Bring a built-in template back to its original words."""
    return _after(session, reset_template(session, key))


def create_one(session: Session, kind: TemplateKind) -> TemplatesEdited:
    """A new template of the owner's own, of this kind, ready to be written."""
    made = create_template(
        session,
        kind=kind,
        name=f"My {KIND_LABELS[kind].lower()}",
        subject="A note from {owner_business}" if kind is TemplateKind.EMAIL else None,
        body="Hi {first_name},\n\n",
    )
    return _after(session, made)


def copy_one(session: Session, key: str) -> TemplatesEdited:
    """The owner's own copy of any template."""
    return _after(session, copy_template(session, key))


def delete_one(session: Session, key: str) -> TemplatesEdited:
    """Delete one of the owner's own templates."""
    delete_template(session, key)
    return _after(session, None)
