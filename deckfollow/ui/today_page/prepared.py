"""Today's list worked out from the rows read, without Qt: made on the database thread.

Grouping thousands of follow-ups into sections, finding the customers on another clock,
the sets a change is checked against and the counts are pure data: made where the rows are
read, so a reload on the GUI thread only hands them to the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import attrgetter

from deckfollow.core.clock_format import clocks_agree
from deckfollow.core.due import DueItem
from deckfollow.core.enums import Channel
from deckfollow.core.today import TodayRows
from deckfollow.messaging.inbound import needs_answer

_CHANNEL_GROUPS: list[tuple[str, tuple[Channel, ...]]] = [
    ("Calls", (Channel.CALL, Channel.VISIT)),
    ("Texts", (Channel.TEXT, Channel.VIDEO)),
    ("Emails", (Channel.EMAIL,)),
    ("Cards", (Channel.CARD,)),
]
_REPLIES, _NEW_LEADS = 0, 1
_SECTION_TITLES = ("Replies", "New leads", *(title for title, _ in _CHANNEL_GROUPS))
_CHANNEL_SECTION = {
    channel: 2 + g for g, (_, channels) in enumerate(_CHANNEL_GROUPS) for channel in channels
}
# Mapped in C over the thousands of rows of a reload, where a Python loop per row adds up.
_FOLLOW_UP_ID = attrgetter("follow_up_id")
_CUSTOMER_ID = attrgetter("customer_id")
_QUOTE_ID = attrgetter("quote_id")
_OVERDUE = attrgetter("overdue")
_ZONE = attrgetter("timezone")
TITLE_ID = -1  # the follow-up "on" a section's title row
# A day's thousands of follow-ups share a few hundred reasons, the same from one reload to
# the next: each reason's section is worked out once (a pure function of its words).
_REASON_SECTIONS: dict[str, int] = {}
_KEEP_REASONS = 50_000

Group = tuple[str, list[DueItem]]


@dataclass(frozen=True)
class TodayList:
    """Today's rows as the list shows them, ready for the view."""

    rows: TodayRows
    groups: list[Group]
    entries: list[DueItem | str]  # each row top to bottom; a str is a section's title
    title_rows: list[int]  # the row of each section's title
    row_ids: list[int]  # each row's follow-up (TITLE_ID on a title)
    ids_in_order: list[int]  # the follow-ups listed, top to bottom
    other_clock_rows: list[int]  # rows whose customer's clock reads otherwise at the due time
    customer_ids: frozenset[int]  # whom the rows are for
    quote_ids: frozenset[int | None]  # and about what (None too: never asked for)
    overdue: int


def prepare_today(rows: TodayRows) -> TodayList:
    """Today's list from the rows read (pure: safe on any thread)."""
    items = rows.items
    groups = group_items(items)
    entries: list[DueItem | str] = []
    titles: list[int] = []
    row_ids: list[int] = []
    for title, found in groups:
        titles.append(len(entries))
        entries.append(f"{title}  ({len(found)})")
        entries.extend(found)
        row_ids.append(TITLE_ID)
        row_ids.extend(map(_FOLLOW_UP_ID, found))
    return TodayList(
        rows=rows,
        groups=groups,
        entries=entries,
        title_rows=titles,
        row_ids=row_ids,
        ids_in_order=list(filter(TITLE_ID.__ne__, row_ids)),
        other_clock_rows=_other_clock_rows(groups, rows.owner_tz),
        customer_ids=frozenset(map(_CUSTOMER_ID, items)),
        quote_ids=frozenset(map(_QUOTE_ID, items)),
        overdue=sum(map(_OVERDUE, items)),
    )


def group_items(items: list[DueItem]) -> list[Group]:
    """The non-empty sections, in the order the day's work is done.

    What customers just said comes first ("They replied — what's next?", rule 8); then new
    leads, whatever the channel (the first business to answer wins about half the deals);
    then the rest by how to reach people.
    """
    sections: list[list[DueItem]] = [[] for _ in _SECTION_TITLES]
    kinds = _REASON_SECTIONS
    if len(kinds) > _KEEP_REASONS:
        kinds.clear()
    for item in items:
        if item.first_reply:  # the lead's own first reply, still to give (not its wording)
            sections[_NEW_LEADS].append(item)
            continue
        reason = item.reason
        kind = kinds.get(reason)
        if kind is None:
            kind = kinds[reason] = _reason_section(reason)
        sections[kind if kind >= 0 else _CHANNEL_SECTION[item.channel]].append(item)
    return [(title, found) for title, found in zip(_SECTION_TITLES, sections, strict=True) if found]


def _reason_section(reason: str) -> int:
    """The section a reason alone puts a follow-up in, or -1 when its channel decides."""
    if needs_answer(reason):
        return _REPLIES
    return -1


def _other_clock_rows(groups: list[Group], owner_tz: str) -> list[int]:
    """The rows of follow-ups whose customer's clock reads another time than the owner's
    when they fall due (those with a "their time")."""
    found: list[int] = []
    row = 0
    for _, items in groups:
        row += 1  # the section's title
        # Only a zone named otherwise can read otherwise: picked out in C, as most of a
        # day's customers usually share the owner's zone.
        others = compress(range(len(items)), map(owner_tz.__ne__, map(_ZONE, items)))
        for n in others:
            if not clocks_agree(items[n].due_at, owner_tz, items[n].timezone):
                found.append(row + n)
        row += len(items)
    return found
