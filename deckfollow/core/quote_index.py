"""Every quote as the board and the list show it: plain rows, searched and sorted in memory.

No SQLAlchemy here: the board's first paint builds this from a plain read of the file
(`storage.quick_board`) before the ORM has loaded; `core.board` builds it through SQLAlchemy.
On 20,000 quotes a keystroke costs a few milliseconds here, where even a bare SQLite LIKE
over the joined tables costs about 25 ms (measured in the benchmarks) — more than one frame.
"""

from __future__ import annotations

import re
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import compress, repeat
from operator import contains
from typing import Any, NamedTuple

from deckfollow.core.changes import Changes
from deckfollow.core.due_list import is_overdue
from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.core.text_folding import fold

# Won and lost cards older than this leave the board (they stay in the list).
CLOSED_ON_BOARD_DAYS = 60
OPEN_STAGES = frozenset({Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP})
# An open quote untouched for this many days is going cold (the owner can change it).
DEFAULT_GOING_COLD_DAYS = 14


def board_cutoff(now: datetime) -> datetime:
    """The moment before which won and lost quotes leave the board."""
    return (now - timedelta(days=CLOSED_ON_BOARD_DAYS)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class NextFollowUp:
    follow_up_id: int
    due_at: datetime
    basis: Basis
    channel: Channel
    reason: str


class QuoteRow(NamedTuple):
    """One quote as the board and the list show it.

    A named tuple, not a frozen dataclass: just as immutable, and made about ten times
    faster (a frozen dataclass sets each field through `object.__setattr__`), which is
    a third of a second of every full read at 100,000 quotes."""

    quote_id: int
    customer_id: int
    customer: str
    job: str
    number: str | None
    amount: Decimal | None
    currency: str
    stage: Stage
    received_at: datetime
    first_response_at: datetime | None
    last_touch_at: datetime | None
    stage_changed_at: datetime
    parked_until: date | None
    phone: str | None
    email: str | None
    timezone: str
    going_cold: bool
    next_follow_up: NextFollowUp | None
    overdue: bool
    version: int = 1  # as read: a move made from this row is checked against it
    owner: str | None = None  # the member who owns the quote (their sign-in)

    def days_since_touch(self, now: datetime) -> int:
        """Whole days since the last touch (or since the enquiry came in)."""
        return max(0, (now - (self.last_touch_at or self.received_at)).days)

    @property
    def agreed(self) -> bool:
        """The next follow-up is one the customer agreed to."""
        return self.next_follow_up is not None and self.next_follow_up.basis is Basis.AGREED

    @property
    def awaiting_first_reply(self) -> bool:
        return self.stage is Stage.LEAD and self.first_response_at is None


@dataclass(frozen=True)
class StageColumn:
    stage: Stage
    rows: list[QuoteRow]
    totals: dict[str, Decimal] = field(default_factory=dict)  # by currency
    recent_only: bool = False

    @property
    def count(self) -> int:
        return len(self.rows)


class SortKey(StrEnum):
    CUSTOMER = "customer"
    JOB = "job"
    NUMBER = "number"
    AMOUNT = "amount"
    STAGE = "stage"
    LAST_TOUCH = "last_touch"
    NEXT_FOLLOW_UP = "next_follow_up"
    RECEIVED = "received"


@dataclass(frozen=True)
class QuoteFilter:
    """What the list shows: one search text and a few toggles."""

    text: str = ""
    stages: frozenset[Stage] | None = None
    overdue_only: bool = False
    agreed_only: bool = False
    cold_only: bool = False
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True
    # Only these quotes (the ones behind a report figure); None: every quote.
    quote_ids: frozenset[int] | None = None


_NOT_DIGITS = re.compile(r"\D+")


def _search_text(row: QuoteRow) -> str:
    return fold(f"{row.customer} {row.job} {row.number or ''} {row.email or ''}")


_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}


def _sort_value(row: QuoteRow, key: SortKey) -> object:
    match key:
        case SortKey.CUSTOMER:
            return row.customer.casefold()
        case SortKey.JOB:
            return row.job.casefold()
        case SortKey.NUMBER:
            return row.number
        case SortKey.AMOUNT:
            return row.amount
        case SortKey.STAGE:
            return _STAGE_ORDER[row.stage]
        case SortKey.LAST_TOUCH:
            return row.last_touch_at
        case SortKey.NEXT_FOLLOW_UP:
            return row.next_follow_up.due_at if row.next_follow_up else None
        case SortKey.RECEIVED:
            return row.received_at


@dataclass(frozen=True)
class Reread:
    """Which quotes a saved change asks the index to read again: those named, and every
    quote of the customers named."""

    quote_ids: frozenset[int] = frozenset()
    customer_ids: frozenset[int] = frozenset()


def rows_to_reread(changes: Changes) -> Reread | None:
    """What of the index a change makes stale: nothing (an empty `Reread`), some rows, or
    everything (None: read the whole index again)."""
    if changes.settings:
        return None  # "going cold" after how many days may have changed for every quote
    if (changes.customers and not changes.customer_ids) or (
        (changes.quotes or changes.follow_ups or changes.touches) and not changes.quote_ids
    ):
        return None  # the change did not say which: any row may be stale
    return Reread(
        changes.quote_ids
        if changes.quotes or changes.follow_ups or changes.touches
        else frozenset(),
        changes.customer_ids if changes.customers else frozenset(),
    )


@dataclass(frozen=True)
class IndexUpdate:
    """Quotes read again: their rows as they are now, and the ids asked for that are gone
    (trashed, erased, or whose customer was)."""

    rows: list[QuoteRow]
    phones: list[str]  # each row's numbers, as `build_index` keeps them for search
    gone: frozenset[int]


class QuoteIndex:
    """Every quote, searchable by name, job, number, email or phone in any formatting."""

    def __init__(
        self, rows: list[QuoteRow], now: datetime, phones: list[str] | None = None
    ) -> None:
        self.rows = rows
        self.now = now
        self._phones = phones if phones is not None else [r.phone or "" for r in rows]
        # Built on the first search: the board never searches, and paints sooner without.
        self._text: list[str] | None = None
        self._digits: list[str] | None = None
        # Positions in compact arrays: a list of 100,000 positions also holds 100,000 int
        # objects (about 3.6 MB a sort order, against 0.4 MB here).
        self._orders: dict[tuple[SortKey, bool], array[int]] = {}
        self._rows_in_order: dict[tuple[SortKey, bool], list[QuoteRow]] = {}
        # Each order's rows with their search text and digits beside them, so a search
        # keeps the order as it narrows: nothing is sorted, or looked up, per keystroke.
        self._haystacks: dict[tuple[SortKey, bool], tuple[_Hits, _Hits]] = {}
        self._board: list[StageColumn] | None = None
        # Recent searches and what they matched: typing "smi" after "sm" only looks again at
        # what "sm" found, and Backspace finds its answer waiting.
        self._word_hits: OrderedDict[_Asked, _Hits] = OrderedDict()
        self._phone_hits: OrderedDict[_Asked, _Hits] = OrderedDict()
        # Typed like a phone number: what the words or the digits found, merged in order.
        self._either_hits: OrderedDict[_Asked, list[QuoteRow]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.rows)

    def apply_update(self, update: IndexUpdate) -> None:
        """Put the rows read again in place of the old ones (new quotes at the end), drop the
        ones gone, and keep every other row's prepared search text."""
        fresh = {
            row.quote_id: (row, phone)
            for row, phone in zip(update.rows, update.phones, strict=True)
        }
        gone = update.gone - fresh.keys()
        rows: list[QuoteRow] = []
        phones: list[str] = []
        text: list[str] | None = [] if self._text is not None else None
        digits: list[str] | None = [] if self._digits is not None else None
        for i, row in enumerate(self.rows):
            if row.quote_id in gone:
                continue
            new = fresh.pop(row.quote_id, None)
            if new is None:
                rows.append(row)
                phones.append(self._phones[i])
                if text is not None and digits is not None:
                    assert self._text is not None and self._digits is not None
                    text.append(self._text[i])
                    digits.append(self._digits[i])
                continue
            rows.append(new[0])
            phones.append(new[1])
            if text is not None and digits is not None:
                text.append(_search_text(new[0]))
                digits.append(_NOT_DIGITS.sub("", new[1]))
        for row, phone in fresh.values():  # quotes the index did not hold yet
            rows.append(row)
            phones.append(phone)
            if text is not None and digits is not None:
                text.append(_search_text(row))
                digits.append(_NOT_DIGITS.sub("", phone))
        self.rows, self._phones, self._text, self._digits = rows, phones, text, digits
        # Positions moved and values changed: orders and remembered searches start afresh.
        self._orders.clear()
        self._rows_in_order.clear()
        self._haystacks.clear()
        self._board = None
        self._word_hits.clear()
        self._phone_hits.clear()
        self._either_hits.clear()

    def prepare_search(self) -> None:
        """Build the folded search text (once; the list calls it while the app is idle),
        laid out in every order already sorted."""
        self._prepare_text()
        for key, descending in list(self._orders):
            self._haystack(key, descending)

    def _prepare_text(self) -> None:
        if self._text is None or self._digits is None:
            rows = self.rows
            shown = next(iter(self._orders.values()), None)
            if shown is None:
                self._text = [_search_text(r) for r in rows]
            else:
                # Made in the order the list shows (sorted already), so the strings lie in
                # memory in the order a search reads them: scattered, a search over 100,000
                # of them waits on memory more than it compares.
                text = [""] * len(rows)
                for position in shown:
                    text[position] = _search_text(rows[position])
                self._text = text
            # A customer's numbers are one shared string on each of their quotes (see
            # `build_rows`): their digits are worked out and kept once too.
            digits: dict[str, str] = {}
            self._digits = [
                digits.get(p) or digits.setdefault(p, _NOT_DIGITS.sub("", p)) for p in self._phones
            ]

    def _haystack(self, key: SortKey, descending: bool) -> tuple[_Hits, _Hits]:
        """Every row in that order, with its search text; and with its digits (cached)."""
        cached = self._haystacks.get((key, descending))
        if cached is None:
            self._prepare_text()
            assert self._text is not None and self._digits is not None
            order = self._order(key, descending)
            rows = self._ordered_rows(key, descending)
            cached = (
                _Hits(rows, list(map(self._text.__getitem__, order))),
                _Hits(rows, list(map(self._digits.__getitem__, order))),
            )
            self._haystacks[(key, descending)] = cached
        return cached

    def _order(self, key: SortKey, descending: bool) -> array[int]:
        """Row positions sorted by `key`; empty values last either way; cached."""
        cached = self._orders.get((key, descending))
        if cached is not None:
            return cached
        values = [_sort_value(r, key) for r in self.rows]
        present = [i for i, v in enumerate(values) if v is not None]
        missing = [i for i, v in enumerate(values) if v is None]
        # Ties keep the newest quote first, whatever the direction.
        present.sort(key=lambda i: -self.rows[i].quote_id)
        present.sort(key=lambda i: values[i], reverse=descending)  # type: ignore[arg-type,return-value]
        order = array("l", present)
        order.extend(missing)
        self._orders[(key, descending)] = order
        return order

    def _ordered_rows(self, key: SortKey, descending: bool) -> list[QuoteRow]:
        """Every row in that order (shared: callers must not change the list)."""
        cached = self._rows_in_order.get((key, descending))
        if cached is None:
            rows = self.rows
            cached = [rows[i] for i in self._order(key, descending)]
            self._rows_in_order[(key, descending)] = cached
        return cached

    def select(self, flt: QuoteFilter) -> list[QuoteRow]:
        """The rows matching `flt`, in its order."""
        words = tuple(fold(flt.text).split())
        digits = _NOT_DIGITS.sub("", flt.text)
        phone = None
        if len(digits) >= 3 and len(digits) * 2 >= len(flt.text.replace(" ", "")):
            # Typed like a phone number: match digits only, ignoring a national trunk 0.
            phone = digits.lstrip("0") or digits
        order = (flt.sort, flt.descending)
        picked = self._ordered_rows(*order)
        if words:
            by_text, by_digits = self._haystack(*order)
            picked = _search(self._word_hits, by_text, order, words).rows
            if phone:
                asked = (*order, (*words, phone))
                either = self._either_hits.get(asked)
                if either is None:
                    by_phone = _search(self._phone_hits, by_digits, order, (phone,)).rows
                    either = _union(by_text.rows, picked, by_phone)
                    self._either_hits[asked] = either
                    if len(self._either_hits) > _REMEMBERED_EITHER:
                        self._either_hits.popitem(last=False)
                picked = either
        # One comprehension per condition: several times faster than one loop testing all.
        if flt.quote_ids is not None:
            only = flt.quote_ids
            picked = [r for r in picked if r.quote_id in only]
        if flt.stages is not None:
            stages = flt.stages
            picked = [r for r in picked if r.stage in stages]
        if flt.overdue_only:
            picked = [r for r in picked if r.overdue]
        if flt.agreed_only:
            picked = [r for r in picked if r.agreed]
        if flt.cold_only:
            picked = [r for r in picked if r.going_cold]
        # Shared with the index and its remembered searches: callers must not change it.
        return picked

    def find(self, quote_id: int) -> QuoteRow | None:
        for row in self.rows:
            if row.quote_id == quote_id:
                return row
        return None

    def board(self) -> list[StageColumn]:
        """One column per stage: open and parked quotes, won and lost from recent weeks
        (worked out once: the columns are shared, callers must not change them)."""
        if self._board is None:
            self._board = self._columns()
        return self._board

    def _columns(self) -> list[StageColumn]:
        recent = self.now - timedelta(days=CLOSED_ON_BOARD_DAYS)
        by_stage: dict[Stage, list[QuoteRow]] = defaultdict(list)
        totals: dict[Stage, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for row in self.rows:
            if row.stage in (Stage.WON, Stage.LOST) and row.stage_changed_at < recent:
                continue
            by_stage[row.stage].append(row)
            if row.amount is not None:
                totals[row.stage][row.currency] += row.amount
        columns = []
        for stage in Stage:
            rows = by_stage.get(stage, [])
            if stage in OPEN_STAGES or stage is Stage.PARKED:
                # The card that needs the user first comes first: due soonest, then coldest.
                rows.sort(key=_open_order)
            else:
                rows.sort(key=lambda r: r.stage_changed_at, reverse=True)
            columns.append(
                StageColumn(
                    stage,
                    rows,
                    dict(totals.get(stage, {})),
                    recent_only=stage in (Stage.WON, Stage.LOST),
                )
            )
        return columns


def earliest_follow_ups(
    rows: Iterable[tuple[int | None, int, datetime, Basis, Channel, str]],
) -> dict[int, NextFollowUp]:
    """The first follow-up of each quote, from rows ordered by quote and then due time."""
    found: dict[int, NextFollowUp] = {}
    for qid, fid, at, basis, channel, reason in rows:
        if qid is not None and qid not in found:
            found[qid] = NextFollowUp(fid, at, basis, channel, reason)
    return found


def build_index(
    rows: Iterable[Any],
    nexts: dict[int, NextFollowUp],
    *,
    now: datetime,
    cold_days: int,
) -> QuoteIndex:
    """The index from quote rows in `core.board.quote_rows_statement`'s column order, with
    typed values (whichever way they were read)."""
    built, phones = build_rows(rows, nexts, now=now, cold_days=cold_days)
    return QuoteIndex(built, now, phones)


def build_rows(
    rows: Iterable[Any],
    nexts: dict[int, NextFollowUp],
    *,
    now: datetime,
    cold_days: int,
) -> tuple[list[QuoteRow], list[str]]:
    """Index rows and each one's phone numbers, from rows as `build_index` takes them."""
    cold = now - timedelta(days=cold_days)
    built: list[QuoteRow] = []
    phones: list[str] = []
    # Currencies, zones and owners repeat across a business, and a customer's name, phone
    # and email on each of their quotes, as do common jobs: each row shares one string
    # instead of holding its own copy (tens of megabytes on 100,000 quotes).
    shared: dict[object, Any] = {}
    share = shared.setdefault
    for r in rows:
        (qid, cid, name, job, number, amount, currency, stage, received, first, last,
         changed, parked, phone, email, tz, office, home, version, owner) = r  # fmt: skip
        currency, tz, name, job = (
            share(currency, currency),
            share(tz, tz),
            share(name, name),
            share(job, job),
        )
        phone = None if phone is None else share(phone, phone)
        email = None if email is None else share(email, email)
        owner = None if owner is None else share(owner, owner)
        numbers = f"{phone or ''} {office or ''} {home or ''}"
        phones.append(share(numbers, numbers))
        nxt = nexts.get(qid)
        built.append(
            QuoteRow(
                qid, cid, name, job, number, amount, currency, stage, received, first, last,
                changed, parked, phone, email, tz,
                going_cold=stage in OPEN_STAGES and (last or received) < cold,
                next_follow_up=nxt,
                overdue=nxt is not None and is_overdue(nxt.due_at, now),
                version=version,
                owner=owner,
            )
        )  # fmt: skip
    return built, phones


def _open_order(row: QuoteRow) -> tuple[int, datetime]:
    if row.next_follow_up is not None:
        return (0, row.next_follow_up.due_at)
    return (1, row.last_touch_at or row.received_at)


_REMEMBERED_SEARCHES = 32
# Remembered matches hold at most this many rows in all, in as many index lengths: a first
# letter matches nearly every quote, and 32 of those would hold hundreds of megabytes.
_REMEMBERED_LENGTHS = 4
_REMEMBERED_EITHER = 8

# A search as remembered: the order its matches are in and the words (or digits) asked.
_Asked = tuple[SortKey, bool, tuple[str, ...]]


class _Hits(NamedTuple):
    """Rows in an order, each with the text a search looks in (side by side)."""

    rows: list[QuoteRow]
    texts: list[str]


def _search(
    cache: OrderedDict[_Asked, _Hits],
    everything: _Hits,
    order: tuple[SortKey, bool],
    words: tuple[str, ...],
) -> _Hits:
    """The rows of `everything` whose text holds every word, in its order, reusing an
    earlier search in the same order.

    An earlier search is a safe starting pool when each of its words lies inside one of the
    new words: whatever holds the new words holds the old ones too.
    """
    asked = (*order, words)
    found = cache.get(asked)
    if found is not None:
        cache.move_to_end(asked)
        return found
    pool = everything
    for (sort, descending, earlier), hits in cache.items():
        if (
            (sort, descending) == order
            and len(hits.rows) < len(pool.rows)
            and all(any(old in new for new in words) for old in earlier)
        ):
            pool = hits
    rows, texts = pool
    for word in words:
        # In C from end to end (no Python per row): which texts hold the word, then the
        # rows and texts at those places, still in order.
        holds = bytes(map(contains, texts, repeat(word)))
        if holds.count(0):
            rows, texts = list(compress(rows, holds)), list(compress(texts, holds))
    found = cache[asked] = _Hits(rows, texts)
    held = sum(len(h.rows) for h in cache.values())
    while len(cache) > 1 and (
        len(cache) > _REMEMBERED_SEARCHES or held > _REMEMBERED_LENGTHS * len(everything.rows)
    ):
        held -= len(cache.popitem(last=False)[1].rows)
    return found


def _union(ordered: list[QuoteRow], some: list[QuoteRow], more: list[QuoteRow]) -> list[QuoteRow]:
    """The rows in either list, in `ordered`'s order (both are taken from it)."""
    if not more:
        return some
    if not some:
        return more
    either = set(map(id, some))
    if either.issuperset(map(id, more)):
        return some  # often: the digits are also in a quote number the words found
    either.update(map(id, more))
    return list(compress(ordered, map(either.__contains__, map(id, ordered))))
