"""Qt's Python types are made the first time code asks for one; two threads making them at
once crashed the app at start now and then (about one start in seven on a busy machine).
So the start loads Qt (any `deckfollow.ui` module, PySide6) on the GUI thread only, and
only its Qt-free code on the database and read-ahead threads. Checked in a fresh
interpreter, where nothing is loaded yet, for each page an owner may have left open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import deckfollow.ui as ui_package
from deckfollow.storage.database import Database
from deckfollow.ui.start_modules import (
    GUI_FOR_THE_PAGES,
    GUI_FOR_THE_REST,
    QT_FREE_FOR_THE_BOARD,
    QT_FREE_FOR_THE_DETAILS,
    QT_FREE_FOR_THE_PAGES,
    QT_FREE_FOR_THE_REST,
)
from tests.ui.fresh_start import start_afresh


def _qt(name: str) -> bool:
    top = name.partition(".")[0]
    return top in ("PySide6", "shiboken6") or name.startswith("deckfollow.ui")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The GUI's modules compiled, in a folder of their own (this machine may not keep
    compiled files, as a user's does)."""
    folder = tmp_path_factory.mktemp("compiled")
    gui = Path(ui_package.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(gui)],
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPYCACHEPREFIX": str(folder)},
    )
    return folder


@pytest.mark.parametrize("page", ["board", "today", "customers"])
def test_the_start_loads_qt_on_the_gui_thread_only(
    db: Database, now: datetime, page: str, compiled: Path
) -> None:
    found = start_afresh(db, now, page, PYTHONPYCACHEPREFIX=str(compiled))
    off = found["off_the_gui_thread"]
    # The other threads did load modules (SQLAlchemy, the rules): the watch saw them.
    assert any(name.startswith("sqlalchemy") for name, _ in off)
    assert [f"{name} on {thread}" for name, thread in off if _qt(name)] == []
    # The pages' modules loaded before the pages are built, one per turn: together, within
    # the building, they held the window 40 ms at once on a big business.
    assert found["loaded_building_pages"] == []
    # The GUI thread ran the GUI's modules from code read ahead on another thread, and
    # stopped serving it once the start was over.
    assert {"deckfollow.ui.customer_detail", "deckfollow.ui.backups"} <= set(found["served"])
    assert not found["still_serving"]


_IMPORTS = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_by(*modules: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS, *modules],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(done.stdout))


def test_what_other_threads_load_ahead_is_qt_free() -> None:
    everything = (
        QT_FREE_FOR_THE_BOARD + QT_FREE_FOR_THE_PAGES + QT_FREE_FOR_THE_DETAILS
    ) + QT_FREE_FOR_THE_REST
    assert sorted(m for m in _loaded_by(*everything) if _qt(m)) == []


@pytest.mark.parametrize(
    ("ahead", "gui"),
    [
        (QT_FREE_FOR_THE_BOARD, ("deckfollow.ui.board",)),
        (QT_FREE_FOR_THE_PAGES, GUI_FOR_THE_PAGES),
        (QT_FREE_FOR_THE_PAGES + QT_FREE_FOR_THE_DETAILS, ("deckfollow.ui.customer_detail",)),
        (QT_FREE_FOR_THE_PAGES + QT_FREE_FOR_THE_REST, GUI_FOR_THE_REST),
    ],
    ids=["board", "pages", "details", "rest"],
)
def test_what_loads_ahead_leaves_the_gui_thread_only_its_own_modules(
    ahead: tuple[str, ...], gui: tuple[str, ...]
) -> None:
    """The slow part of a page's loading is its Qt-free code: all of it loads ahead, on
    another thread, so the GUI thread's imports stay a few milliseconds each."""
    before = _loaded_by("deckfollow.ui.app", "deckfollow.ui.main_window", *ahead)
    added = _loaded_by("deckfollow.ui.app", "deckfollow.ui.main_window", *ahead, *gui) - before
    rules = sorted(m for m in added if m.startswith("deckfollow.") and not _qt(m))
    assert not rules, f"load ahead too: {rules}"
