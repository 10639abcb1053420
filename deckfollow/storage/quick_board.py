"""The quotes read straight from a SQLite file, before SQLAlchemy has loaded.

Importing SQLAlchemy costs about 0.2 s here, longer than the whole window takes to paint.
So at start the app reads every quote with plain `sqlite3` (several times faster than
through the ORM's column types), paints the board from it, and the board and the quote list
keep it: the quotes are read once. The SQL is the core's own (`core.board`), compiled for SQLite
into `storage.board_sql`; a test keeps that text in step with the core and checks that both
reads give the same rows. Anything unexpected (another schema, a damaged or locked file)
gives None, and the app simply waits for the normal load.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from deckfollow.core.enums import Basis, Channel, Stage
from deckfollow.storage import board_sql, schema
from deckfollow.storage.integrity import connect_read_only

if TYPE_CHECKING:
    from deckfollow.core.quote_index import NextFollowUp, QuoteIndex, QuoteRow

# The quote index (`core.quote_index`) is imported where it is first needed, not with this
# module: at start the board's modules load it on another thread, and SQLite finds and
# sorts the follow-ups meanwhile (without the interpreter's lock) instead of this read
# waiting for that import before it begins.

_CENT = Decimal("0.01")
_T = TypeVar("_T")


_STAGES = {s.value: s for s in Stage}
_BASES = {b.value: b for b in Basis}
_CHANNELS = {c.value: c for c in Channel}


def read_board(path: Path, *, now: datetime) -> QuoteIndex | None:
    """What the board shows, or None when the file cannot be read this quick way."""
    return _read_file(path, now, everything=False)


def read_index(path: Path, *, now: datetime) -> QuoteIndex | None:
    """Every quote, as `core.board.load_quote_index` gives them (the board and the list
    from one read at start), or None when the file cannot be read this quick way."""
    return _read_file(path, now, everything=True)


class BoardFirst:
    """Every quote in two parts read from one snapshot of the file: the board's quotes
    (`board`) first, so the board shows them, and the other quotes once it is on screen
    (`everything`). The read stays open in between, so a change another program commits
    meanwhile is in neither part, never in one part but missing from the other.

    A file with no write-ahead log beside it is read as immutable (nothing is created
    beside it, see `connect_read_only`), without the log's snapshot: there the main file
    changes only when a log is copied into it, and if it changed between the two parts the
    second part is not read (`everything` gives None)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        now: datetime,
        cold_days: int,
        nexts: dict[int, NextFollowUp],
        rows: list[QuoteRow],
        phones: list[str],
    ) -> None:
        from deckfollow.core.quote_index import QuoteIndex

        self._conn: sqlite3.Connection | None = conn
        self._now, self._cold_days, self._nexts = now, cold_days, nexts
        self._rows, self._phones = rows, phones
        self.board = QuoteIndex(rows, now, phones)
        self._file: tuple[Path, tuple[int, int]] | None = None

    def _main_file_unchanged(self) -> bool:
        return self._file is None or _stamp(self._file[0]) == self._file[1]

    def everything(self) -> QuoteIndex | None:
        """Every quote, the board's and the others, in one index (the board's rows are the
        same objects); None when the file cannot be read this way. Ends the read."""
        from deckfollow.core.quote_index import QuoteIndex, board_cutoff

        conn, board_rows, board_phones = self._conn, self._rows, self._phones
        if conn is None:
            return None
        cutoff = (_sqlite_time(board_cutoff(self._now)),)
        try:
            if not self._main_file_unchanged():
                return None
            rest, phones = _decoding(
                conn,
                lambda: _quote_rows(
                    conn.execute(board_sql.OFF_BOARD_QUOTES, cutoff),
                    self._nexts,
                    now=self._now,
                    cold_days=self._cold_days,
                ),
            )
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None
        finally:
            self.close()
        return QuoteIndex(board_rows + rest, self._now, board_phones + phones)

    def settings(self, *keys: str) -> dict[str, str]:
        """Those of the owner's settings `keys` that are set, as stored, from the same
        snapshot (empty once the read has ended)."""
        conn = self._conn
        return {} if conn is None else _settings(conn, *keys)

    def close(self) -> None:
        """End the read (also when the rest is not wanted after all), and let go of the
        board's rows (`board` is left empty): whoever shows them holds them, and a start
        that reads every quote afresh (the file changed) must not keep a second copy of the
        board's through this read for as long as the app runs."""
        from deckfollow.core.quote_index import QuoteIndex

        conn, self._conn = self._conn, None
        self._rows, self._phones, self._nexts = [], [], {}
        self.board = QuoteIndex([], self._now, [])
        if conn is not None:
            conn.close()


def read_board_first(path: Path, *, now: datetime) -> BoardFirst | None:
    """The board's quotes now and the others later, from one snapshot (`BoardFirst`), or
    None when the file cannot be read this quick way."""
    if not path.is_file():
        return None
    try:
        stamp = _stamp(path)
        immutable = not Path(f"{path}-wal").exists()
        # Used on the database thread, but closed from the GUI thread when the start is
        # abandoned (a damaged file, a quick quit): never at the same time.
        conn = connect_read_only(path, any_thread=True)
    except (sqlite3.Error, OSError):
        return None
    conn.isolation_level = None  # the read transaction is begun here, explicitly
    try:
        conn.execute("BEGIN")
        found = _board_part(conn, now)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        found = None
    if found is None:
        conn.close()
    elif immutable:
        found._file = (path, stamp)
    return found


def _stamp(path: Path) -> tuple[int, int]:
    """When the file was last written, and its size."""
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _board_part(conn: sqlite3.Connection, now: datetime) -> BoardFirst | None:
    if not _current_schema(conn):
        return None
    # First, before the quote index is loaded (see the imports above). Decoded by SQLite's
    # fast path too: with the connection's lenient decoder, each of the follow-ups' texts
    # (four a row, thousands of rows) was a call back into Python.
    firsts = _decoding(conn, lambda: _first_follow_ups(conn))
    from deckfollow.core.quote_index import board_cutoff

    cold_days = _cold_days(conn)
    nexts = _next_follow_ups(firsts)
    cutoff = (_sqlite_time(board_cutoff(now)),)
    rows, phones = _decoding(
        conn,
        lambda: _quote_rows(
            conn.execute(board_sql.BOARD_QUOTES, cutoff),
            nexts,
            now=now,
            cold_days=cold_days,
        ),
    )
    return BoardFirst(conn, now, cold_days, nexts, rows, phones)


def _decoding(conn: sqlite3.Connection, fetch: Callable[[], _T]) -> _T:
    """`fetch()` with text decoded by SQLite's own fast path; only a file holding bytes that
    are not UTF-8 (a hand repair, another program) is read again with them shown as "�".

    `fetch` builds its rows as the cursor steps, not from a list fetched whole: a list of
    70,000 raw rows, each with its own strings, was about 70 MB held beside the index at
    the app's peak (100,000 quotes). A row that cannot be decoded stops it, and it starts
    again from the first row."""
    conn.text_factory = str
    try:
        return fetch()
    except sqlite3.OperationalError as exc:
        if "decode" not in str(exc):
            raise
        conn.text_factory = _lenient_text
        return fetch()


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _current_schema(conn: sqlite3.Connection) -> bool:
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    # Otherwise a migration is due first: the normal path does it.
    return version is not None and version[0] == schema.HEAD == board_sql.REVISION


def _cold_days(conn: sqlite3.Connection) -> int:
    from deckfollow.core.quote_index import DEFAULT_GOING_COLD_DAYS

    stored = _settings(conn, "going_cold_days").get("going_cold_days")
    return int(stored) if stored is not None else DEFAULT_GOING_COLD_DAYS


def _settings(conn: sqlite3.Connection, *keys: str) -> dict[str, str]:
    """Those of the owner's settings `keys` that are set, as stored."""
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    query = f"SELECT key, value FROM setting WHERE key IN ({marks})"
    return dict(conn.execute(query, keys).fetchall())


def _first_follow_ups(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Each quote's next follow-up, as stored. The rows come by quote and then due time:
    only each quote's first can be its next, so only those are kept (a quote may have a
    dozen planned touches ahead)."""
    firsts: list[tuple[Any, ...]] = []
    keep, last = firsts.append, None
    for row in conn.execute(board_sql.NEXT_FOLLOW_UPS):
        if row[0] != last:
            last = row[0]
            keep(row)
    return firsts


def _next_follow_ups(firsts: list[tuple[Any, ...]]) -> dict[int, NextFollowUp]:
    """`_first_follow_ups`' rows by quote, with the values SQLAlchemy's column types would
    have given, as `core.quote_index.earliest_follow_ups` gives them: equal due times and
    reasons ("Check in") are one shared object each."""
    from deckfollow.core.quote_index import NextFollowUp

    found: dict[int, NextFollowUp] = {}
    times: dict[str, datetime] = {}
    reasons: dict[str, str] = {}
    known_time, share, parse = times.get, reasons.setdefault, datetime.fromisoformat
    bases, channels = _BASES, _CHANNELS
    # Made from its values in field order, without the named tuple's own constructor (a
    # call into Python for each of thousands of quotes), and parsed in the loop (`_quote_rows`).
    make = tuple.__new__
    for qid, fid, at, basis, channel, reason in firsts:
        due = known_time(at)
        if due is None:
            due = times[at] = parse(at + "+00:00")  # naive UTC text, see `_quote_rows`
        found[qid] = make(
            NextFollowUp, (fid, due, bases[basis], channels[channel], share(reason, reason))
        )
    return found


def _read_file(path: Path, now: datetime, *, everything: bool) -> QuoteIndex | None:
    if not path.is_file():
        return None
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return None
    lenient = conn.text_factory
    # Text is decoded by SQLite's own fast path; only a file holding bytes that are not
    # UTF-8 (a hand repair, another program) is read again with them shown as "�".
    conn.text_factory = str
    try:
        try:
            return _read(conn, now, everything)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc):
                raise
            conn.text_factory = lenient
            return _read(conn, now, everything)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, now: datetime, everything: bool) -> QuoteIndex | None:
    if not _current_schema(conn):
        return None
    from deckfollow.core.quote_index import QuoteIndex, board_cutoff

    cold_days = _cold_days(conn)
    nexts = _next_follow_ups(_first_follow_ups(conn))
    if everything:
        raw = conn.execute(board_sql.ALL_QUOTES)
    else:
        raw = conn.execute(board_sql.BOARD_QUOTES, (_sqlite_time(board_cutoff(now)),))
    rows, phones = _quote_rows(raw, nexts, now=now, cold_days=cold_days)
    return QuoteIndex(rows, now, phones)


def _sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _quote_rows(
    raw: Iterator[Any], nexts: dict[int, NextFollowUp], *, now: datetime, cold_days: int
) -> tuple[list[QuoteRow], list[str]]:
    """The index's rows and each one's phone numbers, as `core.quote_index.build_rows` makes
    them from the values SQLAlchemy's column types would have given (a test holds the two
    reads to the same rows, cards and searches).

    One pass from the stored values to the rows: converted first, each row was a second
    tuple of twenty values taken apart again, a fifth of the board's read at start. Equal
    times and amounts are one shared (immutable) object, as are the texts `build_rows`
    shares (a customer's name, phone and email on each of their quotes, currencies, zones,
    owners, common jobs): 100,000 quotes hold tens of thousands fewer objects, each parsed
    once."""
    from deckfollow.core.due_list import overdue_before
    from deckfollow.core.quote_index import OPEN_STAGES, QuoteRow

    cold = now - timedelta(days=cold_days)
    late = overdue_before(now)
    built: list[QuoteRow] = []
    phones: list[str] = []
    times: dict[str, datetime] = {}
    amounts: dict[int, Decimal] = {}
    shared: dict[object, Any] = {}
    # Looked up and parsed in the loop, not by a helper per value: four times and an amount
    # a row, and a call each was a fifth of the board's read at start.
    known_time, known_amount, share = times.get, amounts.get, shared.setdefault
    parse, day, stages = datetime.fromisoformat, date.fromisoformat, _STAGES
    next_of, open_stages, add, add_phones = nexts.get, OPEN_STAGES, built.append, phones.append
    # Each row made from its values in field order, without the named tuple's own
    # constructor (keyword arguments and defaults: a sixth of a read at start).
    make = tuple.__new__
    for (qid, cid, name, job, number, cents, currency, stage, received, first, last,
         changed, parked, phone, email, tz, office, home, version, owner) in raw:  # fmt: skip
        # Stored as naive UTC text, the way SQLAlchemy's SQLite DateTime writes it. Parsed
        # with the offset: several times faster than parsing and then replacing the zone.
        came = known_time(received)
        if came is None:
            came = times[received] = parse(received + "+00:00")
        moved = known_time(changed)
        if moved is None:
            moved = times[changed] = parse(changed + "+00:00")
        answered = None if first is None else known_time(first)
        if answered is None and first is not None:
            answered = times[first] = parse(first + "+00:00")
        touched = None if last is None else known_time(last)
        if touched is None and last is not None:
            touched = times[last] = parse(last + "+00:00")
        amount = None if cents is None else known_amount(cents)
        if amount is None and cents is not None:
            amount = amounts[cents] = (Decimal(int(cents)) * _CENT).quantize(_CENT)
        stage = stages[stage]
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
                qid, cid, name, job, number, amount, currency, stage, came, answered, touched,
                moved, None if parked is None else day(parked), phone, email, tz,
                stage in open_stages and (touched or came) < cold,  # going_cold
                nxt,  # next_follow_up
                nxt is not None and nxt.due_at < late,  # overdue (`is_overdue`)
                version,
                owner,
            ))
        )  # fmt: skip
    return built, phones


_SENTINEL = datetime(1111, 11, 11, tzinfo=UTC)


def render_board_sql() -> str:
    """The text of `storage/board_sql.py`, compiled from the core's statements.

    Run `python -m deckfollow.storage.quick_board > deckfollow/storage/board_sql.py` after
    changing what the board reads or how the rules pick a follow-up.
    """
    import warnings

    from sqlalchemy.dialects import sqlite

    from deckfollow.core.board import (
        RECENT_PARAM,
        next_follow_ups_statement,
        quote_rows_statement,
    )

    def compiled(stmt: object) -> str:
        with warnings.catch_warnings():
            # The rules' CASE ends in ELSE NULL on purpose; SQLAlchemy warns about any NULL.
            warnings.simplefilter("ignore")
            return str(
                stmt.compile(  # type: ignore[attr-defined]
                    dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}
                )
            )

    quotes = quote_rows_statement(board_only=True).params({RECENT_PARAM: _SENTINEL})
    sentinel = f"'{_SENTINEL.replace(tzinfo=None).isoformat(sep=' ', timespec='microseconds')}'"
    quotes_sql = compiled(quotes)
    assert quotes_sql.count(sentinel) == 1, "the board's cut-off must appear once"
    quotes_sql = quotes_sql.replace(sentinel, "?")
    all_sql = compiled(quote_rows_statement(board_only=False))
    off = quote_rows_statement(board_only=False, off_board=True).params({RECENT_PARAM: _SENTINEL})
    off_sql = compiled(off)
    assert off_sql.count(sentinel) == 1, "the board's cut-off must appear once"
    off_sql = off_sql.replace(sentinel, "?")
    follow_ups_sql = compiled(next_follow_ups_statement())
    return (
        '"""The board\'s SQL for SQLite, generated from `core.board` by\n'
        "`python -m deckfollow.storage.quick_board > deckfollow/storage/board_sql.py`;\n"
        'do not edit by hand (a test compares it with the core\'s statements)."""\n\n'
        f'REVISION = "{schema.HEAD}"\n\n'
        f"NEXT_FOLLOW_UPS = {_as_python(follow_ups_sql)}\n\n"
        f"BOARD_QUOTES = {_as_python(quotes_sql)}\n\n"
        f"ALL_QUOTES = {_as_python(all_sql)}\n\n"
        f"OFF_BOARD_QUOTES = {_as_python(off_sql)}\n"
    )


def _as_python(sql: str) -> str:
    """A string literal of `sql` in short lines, as the formatter leaves it."""
    import json
    import textwrap

    pieces: list[str] = []
    lines = sql.split("\n")
    for number, line in enumerate(lines):
        end = "\n" if number < len(lines) - 1 else ""
        chunks = textwrap.wrap(
            line, 84, drop_whitespace=False, break_on_hyphens=False, break_long_words=False
        ) or [""]
        chunks[-1] += end
        pieces.extend(chunks)
    return "(\n" + "".join(f"    {json.dumps(chunk)}\n" for chunk in pieces) + ")"


if __name__ == "__main__":
    print(render_board_sql(), end="")
