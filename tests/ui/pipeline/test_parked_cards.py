"""A parked quote on the board says when it comes back, and the board, the quote list and
Today agree on what is due for it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from deckfollow.core.board import load_quote_index
from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.quote_index import QuoteRow
from deckfollow.core.quotes import change_stage
from deckfollow.core.settings import save_setting
from deckfollow.core.today import load_today
from deckfollow.storage.database import Database
from deckfollow.ui.board.delegate import CardDelegate

SYD = ZoneInfo("Australia/Sydney")
BACK = date(2027, 1, 12)


def _syd(y: int, m: int, d: int, hh: int) -> datetime:
    return datetime(y, m, d, hh, tzinfo=SYD).astimezone(UTC)


def _parked(db: Database, now: datetime, name: str, basis: Basis) -> int:
    """A quote with a step planned for tomorrow (agreed or not), then parked until 12 Jan."""
    with db.unit_of_work() as s:
        lead = add_lead(
            s,
            NewLead(name, phone="0412 345 678", country="AU", job="Deck", answered=True),
            now=now,
        )
        assert lead.quote_id is not None
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(
                _syd(2026, 11, 24, 10),
                Channel.CALL,
                "See if the deck quote works for them",
                basis=basis,
                agreed_words="Ring me Tuesday" if basis is Basis.AGREED else None,
            ),
            now=now,
        )
        change_stage(s, lead.quote_id, Stage.PARKED, now=now, parked_until=BACK)
        return lead.quote_id


def _card(db: Database, quote_id: int, at: datetime) -> tuple[str, str, QuoteRow]:
    with db.reading() as s:
        index = load_quote_index(s, now=at)
    row = next(r for r in index.rows if r.quote_id == quote_id)
    return CardDelegate._age(row, at)[0], CardDelegate._next(row, at)[0], row


def _today(db: Database, at: datetime) -> dict[str, bool]:
    with db.reading() as s:
        return {i.customer: i.overdue for i in load_today(s, now=at).items}


def test_a_parked_card_says_when_it_comes_back_not_a_step_from_before(
    qtbot: QtBot, db: Database, now: datetime
) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    ann = _parked(db, now, "Ann Lee", Basis.PLANNED)
    bo = _parked(db, now, "Bo Chen", Basis.AGREED)
    later = _syd(2026, 11, 26, 12)  # two days after the step planned before parking

    # Parking stopped Ann's planned step: nothing of hers is due, on Today or on her card.
    age, nxt, row = _card(db, ann, later)
    assert age.startswith("Parked until 12 Jan") and "back" not in age
    # On a card too narrow beside its amount, the short form keeps the date.
    assert (CardDelegate._short_age(row, later) or "").startswith("Until 12 Jan")
    assert not nxt.startswith("Overdue") and "12 Jan" in nxt
    assert not row.overdue
    # Bo agreed to his call: his own word stands through the pause, on Today as on his card.
    assert _today(db, later) == {"Bo Chen": True}
    age, nxt, row = _card(db, bo, later)
    assert age.startswith("Parked until 12 Jan")
    assert nxt.startswith("Overdue: call") and nxt.endswith("· agreed")
    assert row.overdue

    # On 12 Jan the quote is back: its revisit is on Today and the card says so.
    back = datetime(2027, 1, 12, 10, 5, tzinfo=SYD).astimezone(UTC)  # the revisit is at 10:00
    assert _today(db, back)["Ann Lee"] is False
    age, nxt, row = _card(db, ann, back)
    assert age.startswith("Parked until 12 Jan") and age.endswith(", now back")
    assert CardDelegate._short_age(row, back) == "Back now"
    assert nxt.startswith("Next: call")
