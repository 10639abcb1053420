"""Shared test set-up: offscreen Qt, an isolated data folder, a frozen clock, real SQLite files."""

from __future__ import annotations

import os

# Must be set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deckfollow.storage.database import Database, open_database
from tests import examples as _profiles  # noqa: F401  (registers the Hypothesis profiles)

# `pg_url` (a real PostgreSQL server per module) and `pg` (an emptied business after each test).
pytest_plugins = ["tests.postgres_fixtures"]

# A fixed "now" for the core: Sunday 22 Nov 2026, 22:00 UTC (Monday 09:00 in Sydney).
FROZEN_NOW = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)


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


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "deckfollow.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A freshly migrated, real SQLite database file."""
    database = open_database(str(db_path))
    yield database
    database.close()
