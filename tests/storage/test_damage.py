"""Random damage to the database file and its log: never passed, never a crash.

Seeded damages (bytes flipped, zeroed or cut off, in the header, in the pages and in the
write-ahead log) are applied to copies of a small business. For each, SQLite's own full
`integrity_check` on a separate copy says whether the file is damaged; `deckfollow check`
(run in-process, as a user would run it) must then report it, and must never crash on it:
a file that once decoded to bad text crashed every command with a UnicodeDecodeError.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deckfollow.cli.main import main
from tests.cli.helpers import run_cli
from tests.conftest import Prebuilt

PAGE = 4096


@dataclass
class DamageFigures:
    runs: int = 0
    damaged: int = 0
    reported: int = 0
    passed_damaged: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)


def _business(folder: Path) -> Path:
    """A small business whose latest changes still sit in the write-ahead log."""
    db_path = folder / "deckfollow.db"
    r = run_cli("--db", str(db_path), "demo", "--customers", "25", "--quotes", "40", "--seed", "5")
    assert r.returncode == 0, r.stderr
    keep_log_open = sqlite3.connect(db_path)  # so its close below does not fold the log in
    writer = sqlite3.connect(db_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE customer SET notes = 'called back ' || id")
    writer.execute("UPDATE quote SET job = job || ' (revised)'")
    writer.commit()
    shutil.copyfile(db_path, folder / "pristine.db")
    shutil.copyfile(f"{db_path}-wal", folder / "pristine.db-wal")
    writer.close()
    keep_log_open.close()
    return folder / "pristine.db"


def _damage(data: bytearray, rng: random.Random, where: str) -> str:
    size = len(data)
    if size == 0:
        return "empty"
    if where == "header":
        start, end = 0, min(100, size)
    elif where == "wal header":
        start, end = 0, min(32, size)
    else:
        start, end = (0, size) if where == "wal" else (min(100, size - 1), size)
    kind = rng.choice(["flip", "flip", "zero", "random", "truncate"])
    if kind == "truncate":
        cut = rng.randrange(start, size)
        del data[cut:]
        return f"{where}: cut at {cut}"
    at = rng.randrange(start, end)
    length = 1 if kind == "flip" else rng.choice([4, 16, 512, PAGE])
    for i in range(at, min(at + length, size)):
        if kind == "flip":
            data[i] ^= 1 << rng.randrange(8)
        elif kind == "zero":
            data[i] = 0
        else:
            data[i] = rng.randrange(256)
    return f"{where}: {kind} {length} at {at}"


def _sqlite_says_damaged(db_path: Path, scratch: Path) -> bool:
    """SQLite's own verdict, on a copy, with nothing of ours in between."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir()
    copy = scratch / "copy.db"
    shutil.copyfile(db_path, copy)
    if Path(f"{db_path}-wal").exists():
        shutil.copyfile(f"{db_path}-wal", f"{copy}-wal")
    try:
        conn = sqlite3.connect(copy)
        conn.text_factory = bytes
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT version_num FROM alembic_version").fetchall()
            return rows != [(b"ok",)]
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        # UnicodeDecodeError: SQLite's report quoted a damaged name from the schema.
        return True


def damage_run(
    root: Path, runs: int, *, seed: int, capsys: pytest.CaptureFixture[str]
) -> DamageFigures:
    rng = random.Random(seed)
    pristine = _business(root)
    wal = Path(f"{pristine}-wal")
    figures = DamageFigures()
    for n in range(runs):
        trial = root / f"trial-{n}"
        trial.mkdir()
        db_path = trial / "deckfollow.db"
        where = rng.choice(["header", "pages", "pages", "wal", "wal header"])
        target = Path(f"{db_path}-wal") if where.startswith("wal") else db_path
        shutil.copyfile(pristine, db_path)
        shutil.copyfile(wal, f"{db_path}-wal")
        data = bytearray(target.read_bytes())
        what = _damage(data, rng, where)
        target.write_bytes(bytes(data))
        damaged = _sqlite_says_damaged(db_path, root / "scratch")
        capsys.readouterr()
        try:
            code = main(["--db", str(db_path), "check"])
        except BaseException as exc:  # a crash of any kind is what is counted
            figures.crashed.append(f"{n} ({what}): {type(exc).__name__}: {exc}")
            continue
        said = capsys.readouterr()
        figures.runs += 1
        if code not in (0, 1) or "Traceback" in said.err:
            figures.crashed.append(f"{n} ({what}): exit {code} {said.err[-200:]}")
        if damaged:
            figures.damaged += 1
            if code == 0:
                figures.passed_damaged.append(f"{n} ({what}): {said.out.strip()}")
            else:
                figures.reported += 1
        shutil.rmtree(trial)
    return figures


def test_two_hundred_random_damages_are_all_reported_and_none_crashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    figures = damage_run(tmp_path, 300, seed=2026, capsys=capsys)
    with capsys.disabled():
        print(
            f"\ndamage: {figures.runs} runs, {figures.damaged} damaged by SQLite's verdict, "
            f"{figures.reported} reported, {len(figures.passed_damaged)} passed, "
            f"{len(figures.crashed)} crashed"
        )
    assert figures.crashed == []
    assert figures.passed_damaged == []
    assert figures.damaged >= 60  # the damage really hit the file, not only unused bytes


def _small_demo(db_path: Path) -> None:
    """Three customers with a few quotes: every table the commands read holds rows (the
    demo's default 1,500 quotes only made the damaged file slower to build)."""
    r = run_cli("--db", str(db_path), "demo", "--customers", "3", "--quotes", "6", "--seed", "1")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            ["UPDATE alembic_version SET version_num = CAST(x'30ff3033' AS TEXT)"],
            "its schema revision is damaged",
        ),
        (
            [
                "PRAGMA writable_schema = 1",
                "UPDATE sqlite_master SET name = CAST(x'73ff' AS TEXT), "
                "tbl_name = CAST(x'73ff' AS TEXT) WHERE name = 'setting'",
            ],
            "its schema holds damaged text",
        ),
    ],
)
def test_text_that_is_not_utf8_in_the_schema_is_damage_not_a_crash(
    tmp_path: Path,
    damage: list[str],
    problem: str,
    capsys: pytest.CaptureFixture[str],
    prebuilt: Prebuilt,
):
    db_path = prebuilt.file("small demo", _small_demo, tmp_path / "deckfollow.db")
    conn = sqlite3.connect(db_path)
    for statement in damage:
        conn.execute(statement)
    conn.commit()
    conn.close()
    for command in (["check"], ["due", "--json"], ["export", "--out", str(tmp_path / "x.json")]):
        capsys.readouterr()
        assert main(["--db", str(db_path), *command]) == 1
        said = capsys.readouterr()
        assert problem in said.out + said.err
