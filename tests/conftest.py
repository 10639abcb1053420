"""Shared test set-up: offscreen Qt, an isolated data folder, a frozen clock, real SQLite files."""

from __future__ import annotations

import os

# Must be set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import sqlite3
from collections.abc import Callable, Hashable, Iterator
from contextlib import closing
from copy import deepcopy as copy_of
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, cast

import pytest

from deckfollow.core.clock_format import ClockStyle, set_clock_style
from deckfollow.storage.database import Database, open_database
from tests import examples as _profiles  # noqa: F401  (registers the Hypothesis profiles)

# `pg_url` (a real PostgreSQL server per module) and `pg` (an emptied business after each test).
pytest_plugins = ["tests.postgres_fixtures"]

# A fixed "now" for the core: Sunday 22 Nov 2026, 22:00 UTC (Monday 09:00 in Sydney).
FROZEN_NOW = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)

T = TypeVar("T")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the items
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On parallel workers (`-n`, `--dist loadgroup`), the tests of a module that share a
    module-wide fixture (a PostgreSQL server, a demo business, a built template) run on one
    worker, so it is built once rather than once per worker; every other test goes wherever
    a worker is free."""
    if not config.getoption("loadgroup", False):
        return
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        defs = item._fixtureinfo.name2fixturedefs.values()
        if any(d[-1].scope in ("module", "package", "class") for d in defs if d):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else ""))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the real user's data folder, config or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("DECKFOLLOW_DB", raising=False)
    monkeypatch.setenv("TZ", "Australia/Sydney")


@pytest.fixture(autouse=True)
def _core_clock_style() -> Iterator[None]:
    """Each test starts with the core writing times in its default style: a window or a
    command that set the owner's clock must not change the next test's wording."""
    yield
    set_clock_style(ClockStyle())


class Prebuilt:
    """Databases built once per run and copied for each test that asks: a test changes only
    its own copy, and building (migrating, generating a demo) is paid once, not per test."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._files: dict[Hashable, Path] = {}
        self._filled: dict[Hashable, tuple[Path, object]] = {}
        self._made = 0

    def _place(self, name: str) -> Path:
        self._made += 1
        folder = self._folder / str(self._made)
        folder.mkdir()
        return folder / name

    def file(self, key: Hashable, build: Callable[[Path], object], to: Path) -> Path:
        """A copy at `to` of the SQLite file `build(path)` makes; built once for each key."""
        source = self._files.get(key)
        if source is None:
            source = self._place(to.name)
            build(source)
            self._files[key] = source
        for suffix in ("-wal", "-shm"):  # a closed database leaves none: nothing to carry
            if Path(f"{source}{suffix}").exists():
                raise AssertionError(f"{source} is still open: close it in its build")
        shutil.copy(source, to)  # with its permissions (the app makes it owner-only)
        return to

    def migrated(self, to: Path) -> Path:
        """A new database file at `to`, as opening a missing file makes it."""
        return self.file("migrated", lambda path: open_database(str(path)).close(), to)

    def fill(self, db: Database, key: Hashable, build: Callable[[Database], T]) -> T:
        """Run `build(db)` on an open, new SQLite database; a later call with the same key
        puts the same rows into its database without running `build` again (team-mode
        databases on PostgreSQL always run it). Returns what `build` returned."""
        if not db.is_sqlite or db.path is None:
            return build(db)
        made = self._filled.get(key)
        if made is None:
            result = build(db)
            source = self._place("filled.db")
            with closing(sqlite3.connect(source)) as copy, db.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert isinstance(raw, sqlite3.Connection)
                raw.backup(copy)
            self._filled[key] = (source, result)
            return copy_of(result)
        source, kept = made
        with closing(sqlite3.connect(source)) as copy, db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            copy.backup(raw)
        db.wrote = True  # as after `build`: closing refreshes the planner's statistics
        return cast(T, copy_of(kept))


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> Prebuilt:
    return Prebuilt(tmp_path_factory.mktemp("prebuilt"))


@pytest.fixture
def short_tmp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new empty folder with a short path, for a test that expects a path whole in a
    one-line error: such lines cut any word over 80 characters to its ends, and `tmp_path`
    on a parallel worker (`.../popen-gw0/test_long_name0/`) can be longer than that."""
    return tmp_path_factory.mktemp("t")


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "deckfollow.db"


@pytest.fixture
def db(db_path: Path, prebuilt: Prebuilt) -> Iterator[Database]:
    """A freshly migrated, real SQLite database file (a copy of one migrated per run)."""
    if not db_path.exists():
        prebuilt.migrated(db_path)
    database = open_database(str(db_path))
    yield database
    database.close()
