"""The real commands on real databases, each against a bare baseline run alternately with it.

Every figure is reported at 1k, 20k and 100k quotes so the growth shows; the goals apply at
their own sizes:
- `due --json` at 1k and 100k against a bare script that runs the identical SQL (the
  statement the command sends, captured) and writes the identical JSON (checked): ≤ 2×.
- Any command on a 1k database (`due --json`, `consent show`, `settings show`, `customer list
  --json`, `customer show`, `quote list --json`): ≤ 0.4 s of CPU.
- `cards --due-within 60` at 100k against plain ReportLab cards and envelopes of the same
  count: ≤ 3×.
- `export --format json` at 100k: peak memory ≤ 200 MB, time ≤ 1.5× a bare sqlite3 → JSON dump.

Times are CPU seconds of each process (the machine is shared). Both sides run from compiled
bytecode, as an installed app does: PYTHONDONTWRITEBYTECODE, if set, is dropped for them.
The businesses are generated once (about 150 s for 100k here) into `.bench-cache/` and reused.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event

from deckfollow.storage import schema
from tests.bench.report import record

pytestmark = pytest.mark.bench

ROOT = Path(__file__).parents[2]
CACHE = ROOT / ".bench-cache"
NOW = "2026-11-22T22:00Z"
ROUNDS = 3
SIZES = [1_000, 20_000, 100_000]
# Compiled bytecode is written and reused, as in an installed app.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system seconds of the process
    peak_mb: float
    out: Path


# Starts the measured process from a small Python rather than from this test process: a
# child's peak memory counts every page of the process it was forked from, so forked from
# pytest (about 110 MB here) every command would "peak" at pytest's size.
_LAUNCH = r"""
import json, os, subprocess, sys
report, argv = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(argv)
_, status, usage = os.wait4(proc.pid, 0)
with open(report, "w") as fh:
    json.dump([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss], fh)
"""


def _run(argv: list[str], out: Path) -> Run:
    """Run a process to completion; its own CPU time and peak memory from wait4."""
    report = out.with_suffix(".usage")
    started = time.perf_counter()
    with out.open("wb") as stdout, out.with_suffix(".err").open("wb") as stderr:
        subprocess.run(
            [sys.executable, "-c", _LAUNCH, str(report), *argv],
            stdout=stdout,
            stderr=stderr,
            cwd=ROOT,
            env=_ENV,
            check=True,
        )
    wall = time.perf_counter() - started
    code, cpu, maxrss_kb = json.loads(report.read_text())
    err = out.with_suffix(".err").read_text(errors="replace")
    assert code == 0, f"{argv}: exit {code}: {err[-500:]}"
    return Run(wall, cpu, maxrss_kb / 1024, out)


def _deckfollow(db: Path, *args: str, out: Path) -> Run:
    return _run([sys.executable, "-m", "deckfollow", "--db", str(db), "--now", NOW, *args], out)


def demo_file(quotes: int) -> Path:
    """A demo business of `quotes` quotes made by the real `demo` command, cached."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-{quotes}-seed7-{schema.HEAD}.db"
    if path.exists():
        return path
    tmp = CACHE / f".gen-{quotes}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    customers = str(max(quotes * 2 // 5, 1))
    started = time.perf_counter()
    _deckfollow(
        tmp,
        *("demo", "--customers", customers, "--quotes", str(quotes), "--seed", "7"),
        out=CACHE / f".gen-{quotes}.log",
    )
    took = time.perf_counter() - started
    record("commands", f"demo {quotes} quotes generated once for .bench-cache", took, "s")
    tmp.rename(path)
    return path


# --- due --json -------------------------------------------------------------------------

_BARE_DUE = r"""
import json, pickle, sqlite3, sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
db, job = sys.argv[1], sys.argv[2]
with open(job, "rb") as fh:
    sql, params, as_of = pickle.load(fh)
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
zones = {}
items = []
for (fid, cid, name, qid, number, job_, due, channel, reason, basis, words,
     cell, office, home, email, tzname, first_reply) in con.execute(sql, params):
    tz = zones.get(tzname) or zones.setdefault(tzname, ZoneInfo(tzname))
    at = datetime.fromisoformat(due).replace(tzinfo=UTC)
    items.append({
        "id": fid, "customer": name, "customer_id": cid, "quote": number, "quote_id": qid,
        "job": job_, "due_at": at.astimezone(tz).isoformat(), "timezone": tzname,
        "channel": channel, "reason": reason, "basis": basis, "agreed_words": words,
        "overdue": at < as_of, "first_reply": bool(first_reply),
    })
json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
"""


def _due_statement(db_path: Path, folder: Path) -> Path:
    """The statement `due` sends to SQLite, with its parameters, captured as it is sent."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from deckfollow.cli.context import parse_now
    from deckfollow.core.due import day_bounds, due_items
    from deckfollow.core.settings import load_settings
    from deckfollow.storage.database import open_database

    now = parse_now(NOW)
    sent: list[tuple[str, object]] = []
    db = open_database(str(db_path), create=False)

    def capture(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        sent.append((sql, params))

    try:
        with db.reading() as session:
            tz = load_settings(session).owner_timezone
            day = now.astimezone(ZoneInfo(tz)).date()
            event.listen(db.engine, "before_cursor_execute", capture)
            due_items(session, day=day, now=now, owner_tz=tz)
    finally:
        db.close()
    [(sql, params)] = [s for s in sent if "FROM follow_up" in s[0] and "ORDER BY" in s[0]]
    start, _ = day_bounds(day, tz)
    as_of: datetime = now if start <= now else start
    job = folder / "due-statement.pickle"
    job.write_bytes(pickle.dumps((sql, params, as_of)))
    return job


@pytest.mark.parametrize("quotes", SIZES)
def test_due_json_against_a_bare_script(tmp_path: Path, quotes: int) -> None:
    db = demo_file(quotes)
    job = _due_statement(db, tmp_path)
    bare_script = tmp_path / "bare_due.py"
    bare_script.write_text(_BARE_DUE)
    ours: list[Run] = []
    bare: list[Run] = []
    for n in range(ROUNDS):  # alternately, so a busy moment hits both sides
        ours.append(_deckfollow(db, "due", "--json", out=tmp_path / f"ours{n}.json"))
        bare.append(_run([sys.executable, str(bare_script), str(db), str(job)], tmp_path / "b"))
    said = json.loads(ours[0].out.read_text())
    assert said == json.loads(bare[0].out.read_text())  # the same rows, the same JSON
    cpu_ours = min(r.cpu for r in ours)
    cpu_bare = min(r.cpu for r in bare)
    label = f"due --json, {quotes} quotes ({len(said)} items)"
    record("commands", f"{label}: CPU", cpu_ours, "s")
    record("commands", f"{label}: bare script, same SQL and JSON: CPU", cpu_bare, "s")
    goal = "≤ 2" if quotes in (1_000, 100_000) else ""
    record("commands", f"{label}: ratio to bare", cpu_ours / cpu_bare, "x", goal)
    record("commands", f"{label}: wall (best of {ROUNDS})", min(r.wall for r in ours), "s")
    if quotes == 1_000:
        record("commands", "due --json on 1k: CPU", cpu_ours, "s", "≤ 0.4")


# The common read commands, each a real command on the real business: start, the cheap
# file check and their own reads (on a SQLite file, through sqlite3 without SQLAlchemy).
READ_COMMANDS = {
    "consent show": ("consent", "show", "--customer", "1"),
    "settings show": ("settings", "show"),
    "customer list --json": ("customer", "list", "--json"),
    "customer show": ("customer", "show", "1"),
    "quote list --json": ("quote", "list", "--json"),
}


@pytest.mark.parametrize("quotes", SIZES)
def test_a_command_costs_little_cpu(tmp_path: Path, quotes: int) -> None:
    db = demo_file(quotes)
    bare: list[Run] = []
    runs: dict[str, list[Run]] = {name: [] for name in READ_COMMANDS}
    for _ in range(ROUNDS):
        for name, argv in READ_COMMANDS.items():
            runs[name].append(_deckfollow(db, *argv, out=tmp_path / "c"))
        bare.append(_run([sys.executable, "-c", "import sqlite3, json"], tmp_path / "b"))
    goal = "≤ 0.4" if quotes == 1_000 else ""
    for name, done in runs.items():
        record("commands", f"{name}, {quotes} quotes: CPU", min(r.cpu for r in done), "s", goal)
    record("commands", "bare python -c 'import sqlite3, json': CPU", min(r.cpu for r in bare), "s")


# --- cards --------------------------------------------------------------------------------

_BARE_CARDS = r"""
import sys
from reportlab.lib.pagesizes import A6, landscape
from reportlab.pdfgen.canvas import Canvas
count, out = int(sys.argv[1]), sys.argv[2]
envelope = (229 * 72 / 25.4, 114 * 72 / 25.4)
c = Canvas(out, pagesize=A6)
for i in range(count):
    for page in ("front", "inside"):
        c.setPageSize(landscape(A6))
        c.setFont("Helvetica", 14)
        for line in range(6):
            c.drawString(30, 250 - line * 22, f"Dear customer {i}, thank you for the {page} job")
        c.showPage()
    c.setPageSize(envelope)
    c.setFont("Helvetica", 12)
    for line in range(4):
        c.drawString(330, 160 - line * 16, f"Customer {i} address line {line}")
    c.showPage()
c.save()
"""


@pytest.mark.parametrize("quotes", SIZES)
def test_cards_against_plain_reportlab(tmp_path: Path, quotes: int) -> None:
    source = demo_file(quotes)
    db = tmp_path / "cards.db"
    shutil.copyfile(source, db)
    ours = _deckfollow(
        db, "cards", "--due-within", "60", "--out", str(tmp_path / "cards.pdf"), out=tmp_path / "o"
    )
    [wrote] = [ln for ln in ours.out.read_text().splitlines() if ln.startswith("Wrote ")]
    count = int(wrote.split()[1])
    script = tmp_path / "bare_cards.py"
    script.write_text(_BARE_CARDS)
    bare = _run([sys.executable, str(script), str(count), str(tmp_path / "b.pdf")], tmp_path / "b")
    label = f"cards --due-within 60, {quotes} quotes ({count} cards)"
    record("commands", f"{label}: CPU", ours.cpu, "s")
    record("commands", f"plain ReportLab, {count} cards + envelopes: CPU", bare.cpu, "s")
    goal = "≤ 3" if quotes == 100_000 else ""
    record("commands", f"{label}: ratio to plain ReportLab", ours.cpu / bare.cpu, "x", goal)
    assert count > quotes // 100  # a real batch, not a handful


# --- export --format json ----------------------------------------------------------------

_BARE_EXPORT = r"""
import json, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
tables = ["customer", "channel_consent", "consent_event", "quote", "touch", "follow_up",
          "cadence", "cadence_step", "cadence_run", "template", "setting", "suppression"]
with open(out, "w", encoding="utf-8") as fh:
    fh.write("{")
    for n, table in enumerate(tables):
        cur = con.execute(f"SELECT * FROM {table} ORDER BY rowid")
        cols = [d[0] for d in cur.description]
        fh.write(("," if n else "") + f"\n {json.dumps(table)}: [")
        for i, row in enumerate(cur):
            text = json.dumps(dict(zip(cols, row)), ensure_ascii=False, indent=1)
            fh.write(("," if i else "") + "\n  " + text.replace("\n", "\n  "))
        fh.write("\n ]")
    fh.write("\n}\n")
"""


@pytest.mark.parametrize("quotes", SIZES)
def test_export_json_is_streamed(tmp_path: Path, quotes: int) -> None:
    db = demo_file(quotes)
    script = tmp_path / "bare_export.py"
    script.write_text(_BARE_EXPORT)
    ours = _deckfollow(
        db, "export", "--format", "json", "--out", str(tmp_path / "x.json"), out=tmp_path / "o"
    )
    bare = _run([sys.executable, str(script), str(db), str(tmp_path / "b.json")], tmp_path / "b")
    at_goal = quotes == 100_000
    label = f"export --format json, {quotes} quotes"
    record("commands", f"{label}: peak memory", ours.peak_mb, "MB", "≤ 200" if at_goal else "")
    record("commands", f"{label}: CPU", ours.cpu, "s")
    record("commands", f"bare sqlite3 → JSON dump, {quotes} quotes: CPU", bare.cpu, "s")
    ratio = ours.cpu / bare.cpu
    record("commands", f"{label}: ratio to bare dump", ratio, "x", "≤ 1.5" if at_goal else "")
    size = (tmp_path / "x.json").stat().st_size / 1e6
    record("commands", f"{label}: file size", size, "MB")
