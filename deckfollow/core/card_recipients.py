"""Finding who a card is for as the owner types: by name, suburb, phone or email, with
enough beside each name (suburb, the end of the phone number or the email, the last
quote) to tell two people of the same name apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from deckfollow.core.enums import ConsentChannel, ConsentState
from deckfollow.core.models import ChannelConsent, Customer, Quote

DEFAULT_LIMIT = 50
_PHONE_LIKE = re.compile(r"[\d+() .-]*\d[\d+() .-]*")


@dataclass(frozen=True)
class RecipientMatch:
    customer_id: int
    name: str
    suburb: str
    phone_tail: str  # "…5019": the last four digits of the first phone on file
    email: str
    last_quote: str  # "Hardwood deck, Nov 2026"; "" without a quote
    last_quote_id: int | None
    has_address: bool
    post_refused: bool  # post revoked, or asked not to be contacted at all

    @property
    def hint(self) -> str:
        """What tells this person apart: "Paddington · …5019 · last quote: Deck, Nov 2026"."""
        parts = [p for p in (self.suburb, self.phone_tail or self.email) if p]
        if self.last_quote:
            parts.append(f"last quote: {self.last_quote}")
        if not self.has_address:
            parts.append("no postal address")
        return " · ".join(parts)


@dataclass(frozen=True)
class RecipientSearch:
    matches: list[RecipientMatch]
    total: int  # how many match in all (more than shown: keep typing)


def _digits(column: InstrumentedAttribute[str | None]) -> ColumnElement[str]:
    """The column's digits only, in SQL (spaces, dashes, brackets, dots and + removed)."""
    out: ColumnElement[str] = func.coalesce(column, "")
    for ch in (" ", "-", "(", ")", ".", "+"):
        out = func.replace(out, ch, "")
    return out


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _word_matches(word: str) -> ColumnElement[bool]:
    pattern = _like(word.lower())
    text_match = or_(
        func.lower(Customer.display_name).like(pattern, escape="\\"),
        func.lower(func.coalesce(Customer.company, "")).like(pattern, escape="\\"),
        func.lower(func.coalesce(Customer.suburb, "")).like(pattern, escape="\\"),
        func.lower(func.coalesce(Customer.email, "")).like(pattern, escape="\\"),
    )
    digits = re.sub(r"\D", "", word)
    if len(digits) >= 3 and _PHONE_LIKE.fullmatch(word):
        # Numbers are stored in international form: a local "0412 …" is "+61 412 …".
        number = _like(digits.removeprefix("0"))
        return or_(
            text_match,
            _digits(Customer.phone_cell).like(number, escape="\\"),
            _digits(Customer.phone_office).like(number, escape="\\"),
            _digits(Customer.phone_home).like(number, escape="\\"),
        )
    return text_match


def _tail(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return f"…{digits[-4:]}" if len(digits) >= 4 else ""


def _quote_text(job: str, received: datetime) -> str:
    job = " ".join(job.split())
    if len(job) > 32:
        job = job[:31].rstrip() + "…"
    return f"{job}, {received:%b %Y}"


def search_recipients(
    session: Session, text: str, *, limit: int = DEFAULT_LIMIT
) -> RecipientSearch:
    """Customers (not in the trash) whose name, company, suburb, email or phone holds every
    word typed; names starting with the text first, then by name."""
    # A phone number typed with spaces or brackets ("(04) 12 555") is one number, not words.
    words = [text.strip()] if _PHONE_LIKE.fullmatch(text.strip()) else text.split()
    where = [Customer.deleted_at.is_(None), *(_word_matches(w) for w in words)]
    total = session.execute(select(func.count()).select_from(Customer).where(and_(*where)))
    count = int(total.scalar_one())
    starts = func.lower(Customer.display_name).like(_like(text.strip().lower())[1:], escape="\\")
    rows = list(
        session.execute(
            select(Customer)
            .where(and_(*where))
            .order_by(case((starts, 0), else_=1), Customer.display_name, Customer.id)
            .limit(limit)
        ).scalars()
    )
    ids = [c.id for c in rows]
    refused = set(
        session.execute(
            select(ChannelConsent.customer_id).where(
                ChannelConsent.customer_id.in_(ids),
                ChannelConsent.channel == ConsentChannel.POST,
                ChannelConsent.state == ConsentState.REVOKED,
            )
        ).scalars()
    )
    latest: dict[int, tuple[int, str]] = {}
    for qid, cid, job, received in session.execute(
        select(Quote.id, Quote.customer_id, Quote.job, Quote.received_at)
        .where(Quote.customer_id.in_(ids), Quote.deleted_at.is_(None))
        .order_by(Quote.received_at, Quote.id)
    ):
        latest[cid] = (qid, _quote_text(job, received))
    matches = [
        RecipientMatch(
            customer_id=c.id,
            name=c.display_name,
            suburb=(c.suburb or "").strip(),
            phone_tail=_tail(c.phone_cell or c.phone_home or c.phone_office),
            email=(c.email or "").strip(),
            last_quote=latest.get(c.id, (0, ""))[1],
            last_quote_id=latest[c.id][0] if c.id in latest else None,
            has_address=bool(c.street and c.street.strip()),
            post_refused=c.id in refused or c.do_not_contact,
        )
        for c in rows
    ]
    return RecipientSearch(matches, count)
