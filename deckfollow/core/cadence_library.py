"""The stored cadences: the built-ins seeded at every start, the user's copies and edits."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core import limits
from deckfollow.core.cadence_specs import BUILTIN, CadenceSpec, StepSpec
from deckfollow.core.errors import NotFoundError, ValidationError
from deckfollow.core.models import Cadence, CadenceRun, CadenceStep


def _save_rules(cad: Cadence, spec: CadenceSpec) -> None:
    cad.anchor = spec.anchor
    cad.repeat_yearly = spec.repeat_yearly
    cad.repeat_last_every_days = spec.repeat_last_every_days


def spec_of(session: Session, cad: Cadence) -> CadenceSpec:
    """A stored cadence as plain data."""
    return CadenceSpec(
        key=cad.key,
        name=cad.name,
        description=cad.description or "",
        steps=tuple(
            StepSpec(s.offset_days, s.channel, s.reason, s.at_hour, s.template_key)
            for s in sorted(cad.steps, key=lambda s: s.position)
        ),
        anchor=cad.anchor,
        repeat_yearly=cad.repeat_yearly,
        repeat_last_every_days=cad.repeat_last_every_days,
        builtin=cad.builtin,
        id=cad.id,
    )


def _validate(spec: CadenceSpec) -> None:
    if not spec.name.strip():
        raise ValidationError("name", "a cadence needs a name")
    limits.check_length("name", spec.name.strip(), limits.CADENCE_NAME)
    if not re.fullmatch(r"[a-z0-9_\-]{1,60}", spec.key):
        raise ValidationError("key", "use 1-60 lower-case letters, digits, '-' or '_'")
    if not spec.steps:
        raise ValidationError("steps", "a cadence needs at least one step")
    for i, st in enumerate(spec.steps, 1):
        if not st.reason.strip():
            raise ValidationError(f"step {i}", "every step needs a reason")
        limits.check_length(f"step {i}", st.reason.strip(), limits.REASON)
        if "ready yet" in st.reason.lower():
            raise ValidationError(f"step {i}", '"are you ready yet?" is not a reason')
        if st.at_hour is not None and not 0 <= st.at_hour <= 23:
            raise ValidationError(f"step {i}", "the hour must be 0-23")
    offsets = [s.offset_days for s in spec.steps]
    if offsets != sorted(offsets):
        raise ValidationError("steps", "steps must be in order of their day")
    if spec.repeat_last_every_days is not None and spec.repeat_last_every_days < 7:
        raise ValidationError("repeat", "repeat the last step at most once a week")


def check_cadence(spec: CadenceSpec) -> None:
    """Refuse a plan that cannot be saved (no name or steps, a step without a reason),
    naming the field; no session needed, so a screen can say so at once."""
    _validate(spec)


def _write_steps(cad: Cadence, steps: Sequence[StepSpec]) -> None:
    cad.steps.clear()
    for pos, st in enumerate(steps):
        cad.steps.append(
            CadenceStep(
                position=pos,
                offset_days=st.offset_days,
                at_hour=st.at_hour,
                channel=st.channel,
                reason=st.reason.strip(),
                template_key=st.template_key,
            )
        )


def get_cadence_row(session: Session, key: str) -> Cadence:
    """The stored cadence called `key` (NotFoundError if there is none)."""
    cad = session.execute(select(Cadence).where(Cadence.key == key)).scalar_one_or_none()
    if cad is None:
        raise NotFoundError(f"no cadence called {key!r}")
    return cad


def step_template_key(session: Session, run_id: int, position: int) -> str | None:
    """The wording a cadence step asks for (None: the channel's default)."""
    return session.execute(
        select(CadenceStep.template_key)
        .join(CadenceRun, CadenceRun.cadence_id == CadenceStep.cadence_id)
        .where(CadenceRun.id == run_id, CadenceStep.position == position)
    ).scalar_one_or_none()


def seed_builtin_cadences(session: Session) -> int:
    """Add (or bring up to date) the built-in cadences; safe to run at every start.

    Returns how many were added or changed.
    """
    touched = 0
    for spec in BUILTIN:
        cad = session.execute(select(Cadence).where(Cadence.key == spec.key)).scalar_one_or_none()
        if cad is None:
            cad = Cadence(key=spec.key, name=spec.name, description=spec.description, builtin=True)
            session.add(cad)
            _write_steps(cad, spec.steps)
            session.flush()
            _save_rules(cad, spec)
            touched += 1
            continue
        if not cad.builtin:
            continue  # the user's own cadence took this key; leave it alone
        if spec_of(session, cad) != spec:
            cad.name, cad.description = spec.name, spec.description
            _write_steps(cad, [])
            session.flush()
            _write_steps(cad, spec.steps)
            _save_rules(cad, spec)
            touched += 1
    session.flush()
    return touched


def list_cadences(session: Session) -> list[CadenceSpec]:
    """Every cadence, built-ins first."""
    rows = session.execute(select(Cadence).order_by(Cadence.builtin.desc(), Cadence.name)).scalars()
    return [spec_of(session, c) for c in rows]


def get_cadence(session: Session, key: str) -> CadenceSpec:
    return spec_of(session, get_cadence_row(session, key))


def _free_key(session: Session, base: str) -> str:
    key, n = base, 2
    while session.execute(select(Cadence.id).where(Cadence.key == key)).first() is not None:
        key, n = f"{base}-{n}", n + 1
    return key


def copy_cadence(session: Session, key: str, *, name: str | None = None) -> CadenceSpec:
    """A user's own editable copy of a cadence."""
    src = get_cadence(session, key)
    new_key = _free_key(session, f"{src.key}-copy"[:55])
    spec = CadenceSpec(
        key=new_key,
        name=(name or f"{src.name} (copy)").strip(),
        description=src.description,
        steps=src.steps,
        anchor=src.anchor,
        repeat_yearly=src.repeat_yearly,
        repeat_last_every_days=src.repeat_last_every_days,
    )
    _validate(spec)
    cad = Cadence(key=spec.key, name=spec.name, description=spec.description, builtin=False)
    session.add(cad)
    _write_steps(cad, spec.steps)
    session.flush()
    _save_rules(cad, spec)
    return spec_of(session, cad)


def update_cadence(session: Session, spec: CadenceSpec) -> CadenceSpec:
    """Save an edited copy; built-ins are refused (copy them first)."""
    cad = get_cadence_row(session, spec.key)
    if cad.builtin:
        raise ValidationError("cadence", f"{cad.name!r} is built in; copy it and edit the copy")
    _validate(spec)
    cad.name, cad.description = spec.name.strip(), spec.description
    _write_steps(cad, [])
    session.flush()
    _write_steps(cad, spec.steps)
    _save_rules(cad, spec)
    session.flush()
    return spec_of(session, cad)
