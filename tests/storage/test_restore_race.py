"""A restore raced against other writers: nothing a command reported as saved vanishes.

Three real commands start together behind a barrier, each in its own process: `restore`
of an older backup, an `import` of a CSV and a `consent stop`. Before, the restore deleted
the write-ahead log and renamed a file over the database, so an import running beside it
printed "Imported 200" and lost every row, and a reported stop could vanish. Now every
outcome is one of: the change is in the restored database, or it is in the copy the
restore kept of the data it replaced (a do-not-contact is in the restored data either
way, spec rule 9), or the command said the database was busy and saved nothing.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from deckfollow.core.leads import NewLead, add_lead
from deckfollow.storage.backup_catalogue import list_backups
from deckfollow.storage.backup_copies import backup_to
from deckfollow.storage.database import open_database
from tests.conftest import Prebuilt

NOW = "2026-11-22T22:00:00Z"
IMPORTED = 200


@dataclass
class RaceFigures:
    trials: int = 0
    imports_reported: int = 0
    imports_refused_busy: int = 0
    stops_reported: int = 0
    stops_refused_busy: int = 0
    restores_done: int = 0
    restores_refused_busy: int = 0
    lost: list[str] = field(default_factory=list)
    raw_errors: list[str] = field(default_factory=list)


def _command(
    argv: list[str], barrier: multiprocessing.synchronize.Barrier, delay: float, out: Path
) -> int:
    """Fork a child that waits at the barrier, then runs one command in-process."""
    pid = os.fork()
    if pid:
        return pid
    try:  # pragma: no cover - runs in the child
        # Its own stream, not pytest's captured one (which the parent never sees).
        said = open(out, "w", encoding="utf-8")  # noqa: SIM115 - flushed before _exit below
        sys.stdout = sys.stderr = said
        from deckfollow.cli.main import main

        barrier.wait(timeout=60)
        time.sleep(delay)
        code = main(argv)
        said.flush()
        os._exit(code)
    except BaseException:  # pragma: no cover
        import traceback

        traceback.print_exc()
        os._exit(70)


def _emails(path: Path, table_filter: str = "") -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute(f"SELECT email FROM customer {table_filter}") if r[0]}


def _stopped(path: Path, email: str) -> bool:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT do_not_contact FROM customer WHERE email = ?", (email,))
        found = row.fetchone()
        return bool(found and found[0])


def _one_trial(work: Path, rng: random.Random, figures: RaceFigures, prebuilt: Prebuilt) -> None:
    work.mkdir()
    db_path = prebuilt.migrated(work / "deckfollow.db")
    now = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
    db = open_database(str(db_path))
    with db.unit_of_work() as s:
        ids = [
            add_lead(s, NewLead(f"Kept {i}", email=f"kept{i}@example.com"), now=now).customer_id
            for i in range(8)
        ]
    saved = backup_to(db, work / "older.db")
    with db.unit_of_work() as s:
        add_lead(s, NewLead("Entered Since", email="since@example.com"), now=now)
    db.close()
    csv_path = work / "contacts.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "Email"])
        for i in range(IMPORTED):
            w.writerow([f"Imported {i}", f"imported{i}@example.com"])

    base = ["--db", str(db_path), "--now", NOW]
    jobs = {
        "restore": [*base, "restore", str(saved), "--yes"],
        "import": [*base, "import", str(csv_path)],
        "stop": [*base, "consent", "stop", "--customer", str(ids[3]), "--source", "phone call"],
    }
    barrier = multiprocessing.Barrier(len(jobs))
    pids = {
        name: (_command(argv, barrier, rng.uniform(0, 0.4), work / f"{name}.out"))
        for name, argv in jobs.items()
    }
    codes = {}
    for name, pid in pids.items():
        _, status = os.waitpid(pid, 0)
        codes[name] = os.waitstatus_to_exitcode(status)
    said = {name: (work / f"{name}.out").read_text(encoding="utf-8") for name in jobs}
    figures.trials += 1
    for name, text in said.items():
        if "Traceback" in text or "sqlite3." in text or "OperationalError" in text:
            figures.raw_errors.append(f"{work.name} {name}: {text[-300:]}")
        elif codes[name] != 0 and "busy" not in text:
            figures.raw_errors.append(f"{work.name} {name} failed: {text[-300:]}")

    restored = codes["restore"] == 0
    figures.restores_done += restored
    figures.restores_refused_busy += not restored
    kept = [b.path for b in list_backups(db_path) if b.reason == "restore"]
    final = _emails(db_path)
    before_restore = _emails(kept[0]) if kept else set()
    imported = {f"imported{i}@example.com" for i in range(IMPORTED)}
    if codes["import"] == 0:
        figures.imports_reported += 1
        assert f"{IMPORTED} imported." in said["import"], said["import"]
        if not (imported <= final or imported <= before_restore):
            figures.lost.append(f"{work.name}: the imported rows")
    else:
        figures.imports_refused_busy += 1
        if final & imported:
            figures.lost.append(f"{work.name}: an import that said nothing was saved saved rows")
    if codes["stop"] == 0:
        figures.stops_reported += 1
        if not _stopped(db_path, f"kept{3}@example.com"):
            figures.lost.append(f"{work.name}: the reported do-not-contact")
    else:
        figures.stops_refused_busy += 1
    if restored:
        # The older data is back, and what it replaced is kept.
        assert "since@example.com" not in final
        assert "since@example.com" in before_restore


def restore_race(root: Path, trials: int, *, seed: int, prebuilt: Prebuilt) -> RaceFigures:
    rng = random.Random(seed)
    figures = RaceFigures()
    for n in range(trials):
        _one_trial(root / f"trial-{n}", rng, figures, prebuilt)
    return figures


def test_a_restore_beside_an_import_and_a_stop_loses_nothing_either_reported(
    tmp_path: Path, prebuilt: Prebuilt
):
    figures = restore_race(tmp_path, 10, seed=20, prebuilt=prebuilt)
    print(f"\nrestore race: {figures}")
    assert figures.lost == []
    assert figures.raw_errors == []
    assert figures.restores_done >= 5  # the restore really ran beside the others
    assert figures.imports_reported + figures.stops_reported >= 5
