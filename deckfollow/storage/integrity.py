"""The integrity check on start: is this file a sound deckfollow database we may write to?

The check opens the file read-only (a read-only connection never checkpoints the write-ahead
log into the main file), so a damaged file is never written to. The full check runs SQLite's
`integrity_check` (a damaged index passes `quick_check`, and the app would then write into
it), reads the schema revision, runs the CHECK rules and `foreign_key_check`; a file that
fails is reported together with the newest backup that passes the same check.

The full check reads every page, so its cost grows with the file (about half a second on
28 MB, 13 s on 100,000 quotes). The app runs the cheap check before it opens the file and
the full one once the data is on screen (every write waits for it; before a migration it
runs first); `deckfollow check` runs it, and so does a backup before it is called verified.
Every other command runs the cheap check: SQLite reads the header and the schema, the
schema revision is read, and `quick_check` runs only on a file small enough for it to cost
a few milliseconds.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deckfollow.core.errors import StorageError
from deckfollow.storage import schema
from deckfollow.storage.backup_catalogue import BackupInfo, list_backups
from deckfollow.storage.uri import sqlite_file_uri

if TYPE_CHECKING:
    from deckfollow.storage.database import Database

MAX_PROBLEMS = 20

# Up to this size the cheap check also runs `quick_check` (about 3 ms a megabyte here).
QUICK_CHECK_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class IntegrityReport:
    """The outcome of the check, in words a user can act on."""

    path: Path
    problems: tuple[str, ...] = ()
    revision: str | None = None
    too_new: bool = False
    foreign_key_problems: int = 0
    latest_good_backup: BackupInfo | None = None
    notes: tuple[str, ...] = field(default=())
    unreadable: bool = False  # no permission to read it: not damage, and nothing to restore

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged(self) -> bool:
        """Damaged in a way a backup can mend (not merely too new or not readable here)."""
        return not self.ok and not self.too_new and not self.unreadable

    def summary(self) -> str:
        if self.ok:
            rev = f"schema {self.revision}" if self.revision else "empty database"
            return f"{self.path}: integrity check passed ({rev})"
        if self.unreadable:
            return f"{self.path}: cannot read the file (permission denied); it was not checked"
        if self.too_new and len(self.problems) == 1:
            return f"{self.path}: {self.problems[0]}; it was not changed"
        lines = [f"{self.path} is damaged and will not be changed:"]
        lines += [f"  - {p}" for p in self.problems]
        if self.latest_good_backup is not None:
            b = self.latest_good_backup
            lines.append(
                f"Latest good backup: {b.path} ({b.description}, "
                f"{b.taken_at:%Y-%m-%d %H:%M} UTC, {b.size_text})"
            )
        else:
            lines.append("No good backup was found beside it.")
        return "\n".join(lines)


class CorruptDatabaseError(StorageError):
    """The database failed its integrity check; `report` says why and offers a backup.

    Its message is one line (for the command line); `report.summary()` has the detail.
    """

    def __init__(self, report: IntegrityReport) -> None:
        first = report.problems[0] if report.problems else "it failed its integrity check"
        more = len(report.problems) - 1
        line = f"{report.path} is damaged, so it was not changed: {first}"
        if more > 0:
            line += f" (and {more} more problem{'s' * (more != 1)})"
        good = report.latest_good_backup
        if good is not None:
            line += f"; the newest good backup is {good.path}"
        super().__init__(line)
        self.report = report


def _lenient_text(raw: bytes) -> str:
    # A damaged page can hold any bytes where text was: report them, never crash on them.
    return raw.decode("utf-8", errors="replace")


def connect_read_only(path: Path, *, any_thread: bool = False) -> sqlite3.Connection:
    """Open a SQLite file so that nothing is written to it or created beside it.

    With no write-ahead log beside the file (a closed database, a backup) it is opened as
    immutable, so SQLite creates no -wal/-shm files; otherwise the log is read too, since
    it holds committed changes. The file is only ever opened through SQLite: a plain
    open() and close() of a database file in a process that has it open through SQLite
    would silently drop that process's locks on it (POSIX locks belong to the process), and
    another program could then delete the write-ahead log from under it.

    With `any_thread` the connection may be closed from another thread than the one that
    uses it (never at the same time).
    """
    immutable = not Path(f"{path}-wal").exists()
    uri = sqlite_file_uri(path, mode="ro", **({"immutable": "1"} if immutable else {}))
    conn = sqlite3.connect(uri, uri=True, check_same_thread=not any_thread)
    conn.text_factory = _lenient_text
    return conn


def _sqlite_problem(exc: sqlite3.Error | UnicodeDecodeError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        # SQLite's own message quoted a damaged name from the schema.
        return "SQLite cannot read it: its schema holds damaged text"
    if "not a database" in str(exc):
        return "the file is not a SQLite database (its first bytes are wrong)"
    return f"SQLite cannot read it: {exc}"


def quick_check(path: Path, *, full: bool = False) -> list[str]:
    """SQLite's quick_check problems for the file (empty when sound).

    `full` runs `integrity_check` instead, which also compares every index with its table:
    slower, and the one to trust before calling a copy verified.
    """
    try:
        conn = connect_read_only(path)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return [f"cannot open the file: {exc}"]
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return [_sqlite_problem(exc)]
    finally:
        conn.close()
    # SQLite puts several findings in one row, under a "*** in database main ***" line.
    problems = [
        line.strip()
        for r in rows
        for line in str(r[0]).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return [] if problems == ["ok"] else problems


def _check_clauses(sql: str) -> list[str]:
    """The expressions of the CHECK constraints in a CREATE TABLE statement."""
    found: list[str] = []
    upper = sql.upper()
    i = 0
    while (i := upper.find("CHECK", i)) != -1:
        before = upper[i - 1] if i else " "
        i += len("CHECK")
        if before.isalnum() or before == "_" or (i < len(upper) and upper[i].isalnum()):
            continue  # part of a longer name
        start = sql.find("(", i)
        if start == -1 or sql[i:start].strip():
            continue
        depth, j, quote = 0, start, ""
        while j < len(sql):
            ch = sql[j]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"`[":
                quote = "]" if ch == "[" else ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    found.append(sql[start + 1 : j])
                    break
            j += 1
        i = j
    return found


def _check_constraint_problems(conn: sqlite3.Connection) -> list[str]:
    """Rows that break a CHECK constraint. SQLite's integrity_check skips these on a file
    opened read-only (it does not load CHECK constraints there), so the check runs them."""
    problems = []
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'"
    ).fetchall()
    for table, sql in tables:
        for expr in _check_clauses(str(sql)):
            bad = conn.execute(f'SELECT count(*) FROM "{table}" WHERE NOT ({expr})').fetchone()
            if bad and bad[0]:
                n = bad[0]
                rows = f"{n} row in {table} breaks" if n == 1 else f"{n} rows in {table} break"
                problems.append(f"{rows} the rule CHECK ({expr})")
    return problems


def _revision_and_fk(path: Path, *, full: bool = True) -> tuple[list[str], str | None, bool, int]:
    """Problems with the schema revision and, when `full`, the CHECK rules and the links."""
    problems: list[str] = []
    conn = connect_read_only(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                problems.append("it holds tables but is not a deckfollow database")
            return problems, None, False, 0
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
        if revision is not None and "\ufffd" in revision:
            return ["its schema revision is damaged (not readable text)"], None, False, 0
        too_new = revision is not None and revision not in schema.REVISIONS
        if revision is None:
            problems.append("its schema revision is missing")
        elif too_new:
            problems.append(
                f"it was written by a newer version of deckfollow (schema {revision}); "
                "update deckfollow to open it"
            )
        if not full:
            return problems, revision, too_new, 0
        problems += _check_constraint_problems(conn)
        fk = conn.execute("PRAGMA foreign_key_check").fetchmany(MAX_PROBLEMS)
        if fk:
            sample = ", ".join(f"{r[0]} row {r[1]} -> {r[2]}" for r in fk[:3])
            rows = (
                "1 row points at a record that does not exist"
                if len(fk) == 1
                else f"{len(fk)} rows point at records that do not exist"
            )
            problems.append(f"{rows} ({sample})")
        return problems, revision, too_new, len(fk)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return [_sqlite_problem(exc)], None, False, 0
    finally:
        conn.close()


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup of `db_path` that passes the quick check."""
    for info in list_backups(db_path):
        if not quick_check(info.path) and not _revision_and_fk(info.path)[0]:
            return info
    return None


def check_integrity(path: Path, *, find_backup: bool = True, full: bool = True) -> IntegrityReport:
    """Check the SQLite file at `path` read-only; a missing file is a (passing) new database.

    `full=False` is the cheap check of every command (see the module's note): header,
    schema and revision always, `quick_check` only on a small file.
    """
    path = path.expanduser()
    if not path.exists():
        return IntegrityReport(path, notes=("no database yet; a new one will be created",))
    if not os.access(path, os.R_OK):
        return IntegrityReport(path, ("cannot read the file: permission denied",), unreadable=True)
    if path.stat().st_size == 0 and list_backups(path):
        # An empty file where backups show a database was: cut short by a full disk or a
        # failed copy, not a new start; treating it as new would hide the backups.
        problems = ["the file is empty (0 bytes), though backups of it exist"]
        return IntegrityReport(path, tuple(problems), latest_good_backup=latest_good_backup(path))
    if full or path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
        problems = quick_check(path, full=full)
    else:
        problems = []  # the header and the schema are read with the revision below
    revision: str | None = None
    too_new = False
    fk_count = 0
    if not problems:
        more, revision, too_new, fk_count = _revision_and_fk(path, full=full)
        problems += more
    good = latest_good_backup(path) if problems and find_backup else None
    return IntegrityReport(path, tuple(problems), revision, too_new, fk_count, good)


def check_before_opening(path: Path, *, full: bool = False) -> tuple[IntegrityReport, bool]:
    """The check to run before the app opens `path`, and whether it was the full one.

    The cheap check, unless `full` is asked for or the file needs a migration (which writes
    to it, so only to a file the full check passed). A missing or empty database needs no
    later check either; otherwise the full check is still owed once the data is on screen.
    """
    report = check_integrity(path, full=full)
    if full or report.revision is None:
        return report, True
    if not report.damaged and report.revision != schema.HEAD:
        return check_integrity(path), True
    return report, False


def open_checked(target: str, *, create: bool = True, full: bool = True) -> Database:
    """Check a database file, then open it; a damaged file raises CorruptDatabaseError.

    `full=False` runs the cheap check (a command's). A server database (URL) is opened
    without the file check: its server guards its own integrity.
    """
    from deckfollow.storage.database import open_database
    from deckfollow.storage.location import is_url

    if not is_url(target):
        report = check_integrity(Path(target), full=full)
        if report.damaged:
            raise CorruptDatabaseError(report)
    return open_database(target, create=create)


class OwedCheck:
    """The full check still owed to a file opened after the cheap one.

    Made the moment the file opens, before anything could write to it: from then until the
    check has passed, every write through `db` waits for it (`Database.write_gate`) and is
    refused if it finds damage, so nothing is ever written over damage it then reports.
    `run` does the check (on a thread of its own); `abandon` lets a waiting write go with
    an error, nothing saved, when the app closes before the check ran.
    """

    # A write waiting this long for a check nobody has started (a window closed before its
    # data showed, with a change made before the file opened) starts it, so it never waits
    # for ever and the change is not lost.
    STARTS_ITSELF_AFTER_S = 2.0

    def __init__(self, db: Database) -> None:
        import threading
        from concurrent.futures import Future

        assert db.path is not None, "a server database guards its own integrity"
        self.path = db.path
        self._db = db
        self._report: Future[IntegrityReport] = Future()
        self._begun = False
        self._lock = threading.Lock()
        db.write_gate = self._gate

    def _gate(self) -> None:
        from concurrent.futures import TimeoutError as NotYet

        try:
            report = self._report.result(timeout=self.STARTS_ITSELF_AFTER_S)
        except NotYet:
            self.start()
            report = self._report.result()
        if report.damaged:
            raise CorruptDatabaseError(report)
        self._db.write_gate = None  # checked once: later writes go straight on

    def start(self) -> None:
        """Run the check on a thread of its own, unless it runs or ran already."""
        import threading

        if self._claim():
            threading.Thread(target=self._check_quietly, name="integrity", daemon=True).start()

    def run(self) -> IntegrityReport:
        """The full check; its report (or its error) also answers every waiting write. If it
        runs already (or ran), its report once it is done: the file is checked once."""
        if not self._claim():
            return self._report.result()
        return self._check()

    def _claim(self) -> bool:
        with self._lock:
            begun, self._begun = self._begun, True
        return not begun

    def _check_quietly(self) -> None:
        import contextlib

        with contextlib.suppress(BaseException):  # the report holds it for the waiting write
            self._check()

    def _check(self) -> IntegrityReport:
        try:
            report = check_integrity(self.path)
        except BaseException as exc:
            if not self._report.done():
                self._report.set_exception(exc)
            raise
        if not self._report.done():
            self._report.set_result(report)
        return report

    def abandon(self) -> None:
        """The app closes before the check ran: a write still waiting fails, nothing saved."""
        if not self._report.done():
            self._report.set_exception(
                StorageError(f"{self.path} closed before its check finished; nothing was saved")
            )
