"""Every quote as the board and the list show it: plain rows, searched and sorted in memory.

No SQLAlchemy here: the board's first paint builds this from a plain read of the file
(`storage.quick_board`) before the ORM has loaded; `core.board` builds it through SQLAlchemy.
On 20,000 quotes a keystroke costs a few milliseconds here, where even a bare SQLite LIKE
over the joined tables costs about 25 ms (measured in the benchmarks) — more than one frame.
"""

from __future__ import annotations

import heapq
import re
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import compress, count, islice, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from deckfollow.core.changes import Changes
from deckfollow.core.due_list import overdue_before
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


class NextFollowUp(NamedTuple):
    """A quote's next follow-up. A named tuple, as `QuoteRow` is: made for every quote with
    one at each read, and a frozen dataclass sets each field through `object.__setattr__`."""

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
    # How many cards have an amount, by currency: a total leaves with its last amount.
    amounts: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

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


def _one_byte(text: str) -> str:
    """`text`'s UTF-8 bytes, one letter each (as Latin-1): what the search compares.

    One dash in a job ("Roof — tile") made a search text two bytes a letter, and a word
    typed in plain letters was widened to match it on every test (about 100 bytes more a
    quote, and a two-letter search over 100,000 quotes half again slower). A word is found
    in UTF-8 exactly where it is found in the text: a letter's bytes never start inside
    another's. Kept as a `str`, not `bytes`: `bytes` tests each word as a number first."""
    return text if text.isascii() else text.encode().decode("latin-1")


def _search_text(row: QuoteRow) -> str:
    return _one_byte(fold(f"{row.customer} {row.job} {row.number or ''} {row.email or ''}"))


def _digits_of(phones: str) -> str:
    return _one_byte(_NOT_DIGITS.sub("", phones))


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
    of_quotes = changes.quotes or changes.follow_ups or changes.touches
    if (changes.customers and not changes.customer_ids) or (
        of_quotes and not changes.quote_ids and not changes.customer_ids
    ):
        return None  # the change did not say which: any row may be stale
    # Customers named by a change of quotes, follow-ups or touches: whatever it touched is
    # theirs (`Changes.about`), so each of their quotes is read again.
    return Reread(
        changes.quote_ids if of_quotes else frozenset(),
        changes.customer_ids if changes.customers or of_quotes else frozenset(),
    )


@dataclass(frozen=True)
class IndexUpdate:
    """Quotes read again: their rows as they are now, and the ids asked for that are gone
    (trashed, erased, or whose customer was)."""

    rows: list[QuoteRow]
    phones: list[str]  # each row's numbers, as `build_index` keeps them for search
    gone: frozenset[int]


@dataclass(frozen=True)
class Swapped:
    """What `QuoteIndex.apply_update` changed: the quotes put in, replaced or taken out, and
    the board columns whose cards or totals changed with them."""

    quote_ids: frozenset[int]
    stages: frozenset[Stage]
    old: tuple[QuoteRow, ...] = ()  # the rows these quotes had (none for a new quote)
    new: tuple[QuoteRow, ...] = ()  # and have now (none for a quote gone)


class QuoteIndex:
    """Every quote, searchable by name, job, number, email or phone in any formatting."""

    def __init__(
        self, rows: list[QuoteRow], now: datetime, phones: list[str] | None = None
    ) -> None:
        self.rows = rows
        self.now = now
        # Each row's numbers until their digits are worked out (`_prepare_text`): only the
        # digits are searched, so the numbers are let go then (about 4 MB at 100,000 quotes).
        self._phones: list[str] | None = (
            phones if phones is not None else [r.phone or "" for r in rows]
        )
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
        # Each quote's position in `rows`: made on the first `find` or update (or by
        # `prepare_search`, off the GUI thread), then kept by each update.
        self._positions: _Positions | None = None
        self._owned = False  # `rows` and the phones are this index's own to change
        # Held while the search is prepared on the database thread: a search or an update
        # on the GUI thread meanwhile waits for it instead of making or changing the same
        # texts beside it (it finishes sooner than the GUI thread would make them again).
        self._preparing = threading.RLock()
        # Recent searches and what they matched: typing "smi" after "sm" only looks again at
        # what "sm" found, and Backspace finds its answer waiting.
        self._word_hits: OrderedDict[_Asked, _Hits] = OrderedDict()
        self._phone_hits: OrderedDict[_Asked, _Hits] = OrderedDict()
        # Typed like a phone number: what the words or the digits found, merged in order.
        self._either_hits: OrderedDict[_Asked, list[QuoteRow]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.rows)

    def apply_update(self, update: IndexUpdate) -> Swapped:
        """Put the rows read again in place of the old ones (new quotes at the end), drop the
        ones gone, and keep everything else worked out: every other row's search text, the
        sorted orders (each changed row taken out and put back at its place) and the board's
        columns (only those the rows left or joined are laid out again).

        The result is what a full read would give: orders are total (ties go to the newest
        quote), so a row's place does not depend on where the read found it."""
        with self._preparing:
            return self._apply_update(update)

    def _apply_update(self, update: IndexUpdate) -> Swapped:
        fresh = {
            row.quote_id: (row, phone)
            for row, phone in zip(update.rows, update.phones, strict=True)
        }
        where = self._where()
        if not self._owned:
            # Shared with whoever built the index (the quick read at start): copied once.
            self.rows, self._owned = list(self.rows), True
            if self._phones is not None:
                self._phones = list(self._phones)
        rows, phones, text, digits = self.rows, self._phones, self._text, self._digits
        old: dict[int, QuoteRow] = {}
        for qid in update.gone - fresh.keys():
            i = where.pop(qid)
            if i is None:
                continue
            old[qid] = rows[i]
            # The last row takes its place: nothing after it moves (the index keeps no
            # meaning in where a row sits, only in the orders below).
            _fill_from_last(rows, i)
            if phones is not None:
                _fill_from_last(phones, i)
            if text is not None and digits is not None:
                _fill_from_last(text, i)
                _fill_from_last(digits, i)
            if i < len(rows):
                where[rows[i].quote_id] = i
        for qid, (row, phone) in fresh.items():
            i = where.get(qid)
            if i is None:  # a quote the index did not hold yet
                i = where[qid] = len(rows)
                rows.append(row)
                if phones is not None:
                    phones.append(phone)
                if text is not None and digits is not None:
                    text.append("")
                    digits.append("")
            else:
                old[qid] = rows[i]
                rows[i] = row
                if phones is not None:
                    phones[i] = phone
            if text is not None and digits is not None:
                text[i], digits[i] = _search_text(row), _digits_of(phone)
        for order in list(self._rows_in_order):
            self._reorder(order, old.values(), fresh.values())
        # Positions moved: each order's are worked out again from its rows when asked.
        self._orders.clear()
        new = tuple(row for row, _phone in fresh.values())
        stages = self._recolumn(old.values(), new)
        self._rehit(list(old.values()), list(fresh.values()))
        return Swapped(frozenset(old.keys() | fresh.keys()), stages, tuple(old.values()), new)

    def _rehit(self, old: list[QuoteRow], fresh: list[tuple[QuoteRow, str]]) -> None:
        """Keep what earlier searches found true after an update: the old rows taken out of
        each and the fresh ones that match put in at their places. Cleared instead, the next
        keystroke after any change would test every quote's text again (tens of
        milliseconds at 100,000 quotes)."""
        if not (self._word_hits or self._phone_hits or self._either_hits):
            return
        tested = [(row, _search_text(row), _digits_of(phone)) for row, phone in fresh]
        for cache, by_digits in ((self._word_hits, False), (self._phone_hits, True)):
            for asked, hits in cache.items():
                sort, descending, words = asked
                joined = [
                    (row, digits if by_digits else text)
                    for row, text, digits in tested
                    if all(word in (digits if by_digits else text) for word in words)
                ]
                kept, texts = _rehit(hits.rows, hits.texts, sort, descending, old, joined)
                assert texts is not None  # given, so kept beside the rows
                cache[asked] = _Hits(kept, texts)
        for asked, either in self._either_hits.items():
            sort, descending, asked_words = asked
            words, phone = asked_words[:-1], asked_words[-1]
            joined = [
                (row, "")
                for row, text, digits in tested
                if phone in digits or all(word in text for word in words)
            ]
            self._either_hits[asked] = _rehit(either, None, sort, descending, old, joined)[0]

    def _where(self) -> _Positions:
        """Each quote's position in `rows` (worked out once, then kept)."""
        if self._positions is None:
            self._positions = _Positions(self.rows)
        return self._positions

    def _reorder(
        self,
        order: tuple[SortKey, bool],
        old: Iterable[QuoteRow],
        fresh: Iterable[tuple[QuoteRow, str]],
    ) -> None:
        """Take the old rows out of one sorted order and put the fresh ones in at their places
        (with their search text, where the order has it laid out beside)."""
        # A new list: the old one may be on screen in the quote list, which compares the
        # two. The search texts beside it are the index's alone, changed where they are.
        ordered = list(self._rows_in_order[order])
        hay = self._haystacks.get(order)
        texts = hay[0].texts if hay is not None else []
        digits = hay[1].texts if hay is not None else []
        key, descending = order

        def place(row: QuoteRow) -> _Place:
            return _Place(row, key, descending)

        for row in old:
            i = bisect_left(ordered, place(row), key=place)
            if i >= len(ordered) or ordered[i] is not row:
                i = ordered.index(row)  # an order not sorted as `_Place` says: found anyway
            del ordered[i]
            if hay is not None:
                del texts[i], digits[i]
        for row, phone in fresh:
            i = bisect_left(ordered, place(row), key=place)
            ordered.insert(i, row)
            if hay is not None:
                texts.insert(i, _search_text(row))
                digits.insert(i, _digits_of(phone))
        self._rows_in_order[order] = ordered
        if hay is not None:
            self._haystacks[order] = (_Hits(ordered, texts), _Hits(ordered, digits))

    def _recolumn(self, old: Iterable[QuoteRow], fresh: Iterable[QuoteRow]) -> frozenset[Stage]:
        """Move the changed rows between the board's columns (if laid out); the stages whose
        column changed."""
        recent = self.now - timedelta(days=CLOSED_ON_BOARD_DAYS)
        left = [row for row in old if _on_board(row, recent)]
        joined = [row for row in fresh if _on_board(row, recent)]
        stages = frozenset(row.stage for row in (*left, *joined))
        if self._board is None:
            return stages
        columns = list(self._board)
        for n, column in enumerate(columns):
            if column.stage not in stages:
                continue
            cards = list(column.rows)
            sort_key, descending = _card_order(column.stage)
            for row in left:
                if row.stage is column.stage:
                    i = _sorted_place(cards, row, sort_key, descending)
                    if i >= len(cards) or cards[i] is not row:
                        i = cards.index(row)  # a column not sorted so: found anyway
                    del cards[i]
            for row in joined:
                if row.stage is column.stage:
                    cards.insert(_sorted_place(cards, row, sort_key, descending), row)
            totals, amounts = dict(column.totals), dict(column.amounts)
            for row, sign in [*((r, -1) for r in left), *((r, 1) for r in joined)]:
                if row.stage is column.stage and row.amount is not None:
                    money = row.currency
                    totals[money] = totals.get(money, Decimal(0)) + sign * row.amount
                    amounts[money] = amounts.get(money, 0) + sign
                    if not amounts[money]:
                        del totals[money], amounts[money]
            columns[n] = replace(column, rows=cards, totals=totals, amounts=amounts)
        self._board = columns
        return stages

    def prepare_search(self) -> None:
        """Build the folded search text (once; the list calls it while the app is idle),
        laid out in every order already sorted."""
        with self._preparing:
            self._prepare_text()
            for key, descending in list(self._rows_in_order):
                self._haystack(key, descending)
            self._where()  # for the first change's update, made here rather than then

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
            assert self._phones is not None, "let go only once the digits are worked out"
            self._digits = [
                digits.get(p) or digits.setdefault(p, _digits_of(p)) for p in self._phones
            ]
            self._phones = None

    def _haystack(self, key: SortKey, descending: bool) -> tuple[_Hits, _Hits]:
        """Every row in that order, with its search text; and with its digits (cached)."""
        cached = self._haystacks.get((key, descending))
        if cached is not None:
            return cached
        with self._preparing:
            cached = self._haystacks.get((key, descending))  # prepared while this waited
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
        ordered = self._rows_in_order.get((key, descending))
        if ordered is not None:
            # The rows are in order already (kept so by `apply_update`): only their positions
            # are looked up.
            where = dict(zip(map(id, self.rows), count()))
            order = array("i", map(where.__getitem__, map(id, ordered)))
            self._orders[(key, descending)] = order
            return order
        values = [_sort_value(r, key) for r in self.rows]
        present = [i for i, v in enumerate(values) if v is not None]
        missing = [i for i, v in enumerate(values) if v is None]
        # Ties keep the newest quote first, whatever the direction (and so do empty values):
        # the order is total, as `_Place` compares rows when one is put back in.
        present.sort(key=lambda i: -self.rows[i].quote_id)
        present.sort(key=lambda i: values[i], reverse=descending)  # type: ignore[arg-type,return-value]
        missing.sort(key=lambda i: -self.rows[i].quote_id)
        order = array("i", present)
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
        words, phone = _asked(flt.text)
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
                    either = _union(by_text.rows, picked, by_phone, *order)
                    self._either_hits[asked] = either
                    if len(self._either_hits) > _REMEMBERED_EITHER:
                        self._either_hits.popitem(last=False)
                picked = either
        # Shared with the index and its remembered searches: callers must not change it.
        return _narrow(picked, flt)

    def first_rows(self, flt: QuoteFilter, count: int) -> list[QuoteRow] | None:
        """The first `count` rows `select(flt)` gives (all of them, if fewer), found without
        testing every quote's text: the screenful a keystroke shows while the rest are
        found. None when the whole answer comes as quickly (remembered, no words, or few
        rows to look through): ask `select` then."""
        words, phone = _asked(flt.text)
        if not words:
            return None
        order = (flt.sort, flt.descending)
        if (*order, (*words, phone) if phone else words) in (
            self._either_hits if phone else self._word_hits
        ):
            return None
        by_text, by_digits = self._haystack(*order)
        parts = [(_pool(self._word_hits, by_text, order, words), words)]
        if phone:
            parts.append((_pool(self._phone_hits, by_digits, order, (phone,)), (phone,)))
        if sum(len(pool.rows) for pool, _ in parts) <= _LOOKED_THROUGH_AT_ONCE:
            return None
        firsts = [_first_holding(pool, asked, flt, count) for pool, asked in parts]
        if len(firsts) == 1:
            return firsts[0]

        def place(row: QuoteRow) -> _Place:
            return _Place(row, *order)

        # Each part's first rows hold the first rows of either, merged in order (a row in
        # both lies next to itself then: the order is total).
        merged: list[QuoteRow] = []
        for row in heapq.merge(*firsts, key=place):
            if not merged or merged[-1] is not row:
                merged.append(row)
        return merged[:count]

    def find(self, quote_id: int) -> QuoteRow | None:
        i = self._where().get(quote_id)
        return None if i is None else self.rows[i]

    def board(self) -> list[StageColumn]:
        """One column per stage: open and parked quotes, won and lost from recent weeks
        (worked out once: the columns are shared, callers must not change them)."""
        if self._board is None:
            self._board = self._columns()
        return self._board

    def _columns(self) -> list[StageColumn]:
        recent = self.now - timedelta(days=CLOSED_ON_BOARD_DAYS)
        by_stage: dict[Stage, list[QuoteRow]] = defaultdict(list)
        for row in self.rows:
            if _on_board(row, recent):
                by_stage[row.stage].append(row)
        columns = []
        for stage in Stage:
            rows = by_stage.get(stage, [])
            sort_key, descending = _card_order(stage)
            rows.sort(key=sort_key, reverse=descending)
            columns.append(_column(stage, rows))
        return columns


def _on_board(row: QuoteRow, recent: datetime) -> bool:
    """Open and parked quotes are on the board; won and lost ones from recent weeks."""
    return row.stage not in (Stage.WON, Stage.LOST) or row.stage_changed_at >= recent


def _column(stage: Stage, rows: list[QuoteRow]) -> StageColumn:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    amounts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.amount is not None:
            totals[row.currency] += row.amount
            amounts[row.currency] += 1
    recent_only = stage in (Stage.WON, Stage.LOST)
    return StageColumn(stage, rows, dict(totals), recent_only, dict(amounts))


def _card_order(stage: Stage) -> tuple[Callable[[QuoteRow], Any], bool]:
    """How a column's cards are sorted (key, descending). Each key ends in the quote's id, so
    the order is total and a card put back in lands where a full read would put it."""
    if stage in OPEN_STAGES or stage is Stage.PARKED:
        # The card that needs the user first comes first: due soonest, then coldest.
        return _open_order, False
    return _closed_order, True  # the latest closed first


def _closed_order(row: QuoteRow) -> tuple[datetime, int]:
    return (row.stage_changed_at, row.quote_id)


class _Positions:
    """Each quote's position in the index's rows, by quote id.

    Ids are handed out one after another, so the positions sit in an array at each id's
    place (4 bytes a quote) rather than in a dict (about 80 bytes a quote with its numbers:
    8 MB at 100,000 quotes). Ids far sparser than the quotes (a database that has had most
    of its quotes erased) keep a dict."""

    __slots__ = ("_at", "_by_id")

    def __init__(self, rows: list[QuoteRow]) -> None:
        ids = list(map(_QUOTE_ID, rows))
        top = max(ids, default=0)
        self._by_id: dict[int, int] | None = None
        self._at = array("i")
        if top > _SPARSE * len(rows) + 4096 or min(ids, default=0) < 0:
            self._by_id = dict(zip(ids, count()))
            return
        at = self._at = array("i", repeat(-1, top + 1))
        for i, qid in enumerate(ids):
            at[qid] = i

    def get(self, quote_id: int) -> int | None:
        if self._by_id is not None:
            return self._by_id.get(quote_id)
        at = self._at
        i = at[quote_id] if 0 <= quote_id < len(at) else -1
        return None if i < 0 else i

    def pop(self, quote_id: int) -> int | None:
        i = self.get(quote_id)
        if i is not None:
            if self._by_id is not None:
                del self._by_id[quote_id]
            else:
                self._at[quote_id] = -1
        return i

    def __setitem__(self, quote_id: int, i: int) -> None:
        if self._by_id is not None:
            self._by_id[quote_id] = i
            return
        at = self._at
        if quote_id >= len(at):
            if quote_id > _SPARSE * (len(at) + 1) + 4096 or quote_id < 0:
                self._by_id = {q: p for q, p in enumerate(at) if p >= 0}
                self._by_id[quote_id] = i
                self._at = array("i")
                return
            at.extend(repeat(-1, quote_id + 1 - len(at)))
        at[quote_id] = i


# Ids more than this many times the quotes held: positions in a dict (see `_Positions`).
_SPARSE = 4


def _fill_from_last(held: list[Any], i: int) -> None:
    """Take out item `i` by putting the last in its place (nothing else moves)."""
    held[i] = held[-1]
    held.pop()


def _sorted_place(
    rows: list[QuoteRow], row: QuoteRow, key: Callable[[QuoteRow], Any], descending: bool
) -> int:
    """Where `row` goes in `rows`, sorted by `key` (descending or not)."""
    value = key(row)
    lo, hi = 0, len(rows)
    while lo < hi:  # bisect by hand: `bisect` has no descending order
        mid = (lo + hi) // 2
        other = key(rows[mid])
        if (other > value) if descending else (other < value):
            lo = mid + 1
        else:
            hi = mid
    return lo


_QUOTE_ID = itemgetter(0)


class RowSwaps(NamedTuple):
    """How a view turns the rows it shows into the new ones, when only some quotes changed."""

    removed: list[int]  # positions in the old rows, last first: take them out in this order
    inserted: list[int]  # positions in the new rows, first first: put them in in this order
    updated: list[int]  # positions (the same in both) whose row changed in place
    # All that changed is one quote's row, from one position (old rows) to another (new).
    moved: tuple[int, int] | None = None


# Where a row is in rows sorted one way (-1: not there), found by halving, not by a walk.
Locate = Callable[[list[QuoteRow], QuoteRow], int]


def row_swaps(
    old: list[QuoteRow], new: list[QuoteRow], swapped: Swapped, locate: Locate
) -> RowSwaps | None:
    """The swaps from `old` to `new`, sorted the same way (`locate`), which hold the same
    rows but for the `swapped` quotes' (an index's orders are total, so the others keep
    theirs); None when they do not add up (lay the rows out again instead)."""
    was = sorted(i for row in swapped.old if (i := locate(old, row)) >= 0)
    now = sorted(i for row in swapped.new if (i := locate(new, row)) >= 0)
    if len(old) - len(was) + len(now) != len(new):
        return None
    if was == now and all(old[i].quote_id == new[i].quote_id for i in now):
        return RowSwaps([], [], now)
    if len(was) == len(now) == 1 and old[was[0]].quote_id == new[now[0]].quote_id:
        return RowSwaps(was, now, [], (was[0], now[0]))
    return RowSwaps(was[::-1], now, [])


def order_locator(key: SortKey, descending: bool) -> Locate:
    """`Locate` in a list's rows sorted by `key` (as `QuoteIndex.select` gives them)."""

    def place(row: QuoteRow) -> _Place:
        return _Place(row, key, descending)

    def locate(rows: list[QuoteRow], row: QuoteRow) -> int:
        i = bisect_left(rows, place(row), key=place)
        return i if i < len(rows) and rows[i] is row else -1

    return locate


def card_locator(stage: Stage) -> Locate:
    """`Locate` in a board column's cards (as `QuoteIndex.board` lays them out)."""
    key, descending = _card_order(stage)

    def locate(rows: list[QuoteRow], row: QuoteRow) -> int:
        i = _sorted_place(rows, row, key, descending)
        return i if i < len(rows) and rows[i] is row else -1

    return locate


class _Place:
    """A row's place in a sorted order, compared as `QuoteIndex._order` sorts: by value
    (either direction), empty values last, ties newest quote first."""

    __slots__ = ("descending", "missing", "quote_id", "value")

    def __init__(self, row: QuoteRow, key: SortKey, descending: bool) -> None:
        self.value: Any = _sort_value(row, key)
        self.missing = self.value is None
        self.quote_id = row.quote_id
        self.descending = descending

    def __lt__(self, other: _Place) -> bool:
        if self.missing is not other.missing:
            return other.missing
        if not self.missing and self.value != other.value:
            return bool(self.value > other.value if self.descending else self.value < other.value)
        return self.quote_id > other.quote_id


def earliest_follow_ups(
    rows: Iterable[tuple[int | None, int, datetime, Basis, Channel, str]],
) -> dict[int, NextFollowUp]:
    """The first follow-up of each quote, from rows ordered by quote and then due time."""
    found: dict[int, NextFollowUp] = {}
    # Reasons repeat ("Check in"), as do due times: each follow-up shares one of each.
    shared: dict[object, Any] = {}
    share = shared.setdefault
    for qid, fid, at, basis, channel, reason in rows:
        if qid is not None and qid not in found:
            found[qid] = NextFollowUp(fid, share(at, at), basis, channel, share(reason, reason))
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
    late = overdue_before(now)
    built: list[QuoteRow] = []
    phones: list[str] = []
    # Currencies, zones and owners repeat across a business, and a customer's name, phone
    # and email on each of their quotes, as do common jobs: each row shares one string
    # instead of holding its own copy (tens of megabytes on 100,000 quotes).
    shared: dict[object, Any] = {}
    share = shared.setdefault
    next_of, open_stages, add, add_phones = nexts.get, OPEN_STAGES, built.append, phones.append
    # Each row made from its values in field order, without the named tuple's own
    # constructor (keyword arguments and defaults: a sixth of a read at start).
    make = tuple.__new__
    for r in rows:
        (qid, cid, name, job, number, amount, currency, stage, received, first, last,
         changed, parked, phone, email, tz, office, home, version, owner) = r  # fmt: skip
        cid, currency, tz, name, job = (
            share(cid, cid),  # a customer's id: one int for all their quotes
            share(currency, currency),
            share(tz, tz),
            share(name, name),
            share(job, job),
        )
        phone = None if phone is None else share(phone, phone)
        email = None if email is None else share(email, email)
        owner = None if owner is None else share(owner, owner)
        numbers = f"{phone or ''} {office or ''} {home or ''}"
        add_phones(share(numbers, numbers))
        nxt = next_of(qid)
        add(
            make(QuoteRow, (
                qid, cid, name, job, number, amount, currency, stage, received, first, last,
                changed, parked, phone, email, tz,
                stage in open_stages and (last or received) < cold,  # going_cold
                nxt,  # next_follow_up
                nxt is not None and nxt.due_at < late,  # overdue (`is_overdue`)
                version,
                owner,
            ))
        )  # fmt: skip
    return built, phones


def _open_order(row: QuoteRow) -> tuple[int, datetime, int]:
    if row.next_follow_up is not None:
        return (0, row.next_follow_up.due_at, row.quote_id)
    return (1, row.last_touch_at or row.received_at, row.quote_id)


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
    texts: list[str]  # see `_one_byte`


def _asked(text: str) -> tuple[tuple[str, ...], str | None]:
    """The words a search text asks for, and the digits when it is typed like a phone number
    (None otherwise): those match a quote's numbers in any formatting."""
    words = tuple(map(_one_byte, fold(text).split()))
    digits = _NOT_DIGITS.sub("", text)
    if len(digits) >= 3 and len(digits) * 2 >= len(text.replace(" ", "")):
        # Typed like a phone number: match digits only, ignoring a national trunk 0.
        return words, _one_byte(digits.lstrip("0") or digits)
    return words, None


def _narrow(picked: list[QuoteRow], flt: QuoteFilter) -> list[QuoteRow]:
    """The rows that also pass `flt`'s toggles (the same list when none is on)."""
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
    return picked


def _pool(
    cache: OrderedDict[_Asked, _Hits],
    everything: _Hits,
    order: tuple[SortKey, bool],
    words: tuple[str, ...],
) -> _Hits:
    """The fewest rows, in order, that hold every row whose text holds all `words`: the
    smallest earlier search in that order each of whose words lies inside one of the new
    words (whatever holds the new words holds the old ones too), or every row."""
    pool = everything
    for (sort, descending, earlier), hits in cache.items():
        if (
            (sort, descending) == order
            and len(hits.rows) < len(pool.rows)
            and all(any(old in new for new in words) for old in earlier)
        ):
            pool = hits
    return pool


# Looking through more rows than this (words and digits together) for a search not
# remembered costs more than a frame (each text tested, the rows that hold it copied out): a
# keystroke then shows its first screenful first (`QuoteIndex.first_rows`), found in the
# first few hundred rows. Below it one pass is quicker: 20,000 quotes, words and digits,
# take 3-8 ms, and a search in two steps is remembered for the next key only once its rest
# is in (a rare match, digits typed one by one, was looked for afresh at every key).
_LOOKED_THROUGH_AT_ONCE = 50_000


def _first_holding(
    pool: _Hits, words: tuple[str, ...], flt: QuoteFilter, count: int
) -> list[QuoteRow]:
    """The first `count` rows of `pool` whose text holds every word and which pass `flt`'s
    toggles, looking through the pool a stretch at a time (each twice the last)."""
    rows, texts = pool
    found: list[QuoteRow] = []
    start, stretch = 0, max(512, 8 * count)
    while start < len(rows) and len(found) < count:
        some, _held = _holding(rows[start : start + stretch], texts[start : start + stretch], words)
        found += _narrow(some, flt)
        start += stretch
        stretch *= 2
    return found[:count]


def _holding(
    rows: list[QuoteRow], texts: list[str], words: tuple[str, ...]
) -> tuple[list[QuoteRow], list[str]]:
    """The rows whose text (beside each) holds every word, with their texts, in order; the
    same lists when every row does."""
    for word in words:
        # Which texts hold the word, then the rows and texts at those places, still in
        # order. A comprehension, not `map(contains, ...)` into bytes: the `in` test runs
        # in the loop's own bytecode instead of a call through `operator` per text, a
        # fifth to a third less per pass (2.9 -> 2.5 ms for "sm" over 18,000 texts).
        holds = [word in text for text in texts]
        if not all(holds):
            rows, texts = list(compress(rows, holds)), list(compress(texts, holds))
    return rows, texts


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
    rows, texts = _holding(*_pool(cache, everything, order, words), words)
    if texts is everything.texts:
        # Every quote matched: its own copy of the texts, which an update changes in place
        # (`QuoteIndex._reorder`) while this search is kept true by `_rehit`.
        texts = list(texts)
    found = cache[asked] = _Hits(rows, texts)
    held = sum(len(h.rows) for h in cache.values())
    while len(cache) > 1 and (
        len(cache) > _REMEMBERED_SEARCHES or held > _REMEMBERED_LENGTHS * len(everything.rows)
    ):
        held -= len(cache.popitem(last=False)[1].rows)
    return found


def _rehit(
    rows: list[QuoteRow],
    texts: list[str] | None,
    key: SortKey,
    descending: bool,
    old: list[QuoteRow],
    joined: list[tuple[QuoteRow, str]],
) -> tuple[list[QuoteRow], list[str] | None]:
    """`rows` (sorted by `key`, with their `texts` beside them if any) without the `old` rows
    and with the `joined` ones at their places; the same lists when nothing changed (new ones
    otherwise: the old may be on screen, or shared with another remembered search)."""

    def place(row: QuoteRow) -> _Place:
        return _Place(row, key, descending)

    copied = False
    for row in old:
        i = bisect_left(rows, place(row), key=place)
        if i < len(rows) and rows[i] is row:
            if not copied:
                rows, texts, copied = list(rows), None if texts is None else list(texts), True
            del rows[i]
            if texts is not None:
                del texts[i]
    for row, text in joined:
        if not copied:
            rows, texts, copied = list(rows), None if texts is None else list(texts), True
        i = bisect_left(rows, place(row), key=place)
        rows.insert(i, row)
        if texts is not None:
            texts.insert(i, text)
    return rows, texts


# Merging by halving costs about 17 comparisons in Python per row of the shorter list (about
# 0.1 ms), a walk over the whole order a few C steps per quote (10-15 ms at 100,000 quotes):
# halving wins while the shorter list is under about a thousandth of the quotes.
_HALVING_RATIO = 1000


def _union(
    ordered: list[QuoteRow],
    some: list[QuoteRow],
    more: list[QuoteRow],
    key: SortKey,
    descending: bool,
) -> list[QuoteRow]:
    """The rows in either list, in `ordered`'s order (both are taken from it, which is
    sorted by `key`)."""
    if not more:
        return some
    if not some:
        return more
    few, many = (some, more) if len(some) <= len(more) else (more, some)
    if len(few) * _HALVING_RATIO < len(ordered):
        # Each of the few rows put in among the many where its order puts it: no walk over
        # every quote (a search typed like a phone number at 100,000 quotes).
        def place(row: QuoteRow) -> _Place:
            return _Place(row, key, descending)

        merged: list[QuoteRow] = []
        taken = 0
        for row in few:
            i = bisect_left(many, place(row), lo=taken, key=place)
            merged += islice(many, taken, i)
            taken = i
            if i >= len(many) or many[i] is not row:
                merged.append(row)
        if len(merged) == taken:
            return many  # every one of the few was among the many
        merged += islice(many, taken, None)
        return merged
    either = set(map(id, some))
    if either.issuperset(map(id, more)):
        return some  # often: the digits are also in a quote number the words found
    either.update(map(id, more))
    return list(compress(ordered, map(either.__contains__, map(id, ordered))))
