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
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database
from deckfollow.ui.start_modules import (
    QT_FREE_FOR_THE_BOARD,
    QT_FREE_FOR_THE_DETAILS,
    QT_FREE_FOR_THE_PAGES,
    QT_FREE_FOR_THE_REST,
)

# Notes every module whose loading starts on a thread other than the GUI thread, starts
# the app with `page` left open, and quits once the whole start has run (its last step
# loads the holiday calendars; the reminders have started).
_START = """
import importlib.abc, json, sys, threading
from_other_threads = []

class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if threading.current_thread() is not threading.main_thread():
            from_other_threads.append([name, threading.current_thread().name])
        return None

sys.meta_path.insert(0, Watch())
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from deckfollow.ui.app import make_application, run_gui

make_application()
QSettings().setValue("main/last_page", sys.argv[2])

def watch():
    windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "reminders")]
    calendars = getattr(sys.modules.get("holidays.countries"), "__spec__", None)
    done = calendars is not None and not getattr(calendars, "_initializing", False)
    if windows and done and windows[0].ops.is_idle() or watch.turns > 6000:
        loaders = {n: getattr(getattr(m, "__spec__", None), "loader", None)
                   for n, m in list(sys.modules.items())}
        served = sorted(n for n, loader in loaders.items() if type(loader).__name__ == "_Served")
        still = [f for f in sys.meta_path if type(f).__name__ == "PrefetchedCode"]
        print(json.dumps({
            "off": from_other_threads,
            "started": bool(windows and done),
            "served": served,
            "still_serving": bool(still),
        }))
        QApplication.instance().quit()
    else:
        watch.turns += 1
        QTimer.singleShot(10, watch)

watch.turns = 0
QTimer.singleShot(0, watch)
run_gui(sys.argv[1])
"""


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
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    done = subprocess.run(
        [sys.executable, "-c", _START, str(db.path), page],
        check=False,  # its error output is in the assertion's message
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(compiled)},
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["started"], done.stderr
    # The other threads did load modules (SQLAlchemy, the rules): the watch saw them.
    assert any(name.startswith("sqlalchemy") for name, _ in found["off"])
    assert [f"{name} on {thread}" for name, thread in found["off"] if _qt(name)] == []
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
        (
            QT_FREE_FOR_THE_PAGES,
            ("deckfollow.ui.today_page", "deckfollow.ui.quote_list", "deckfollow.ui.customers"),
        ),
        (QT_FREE_FOR_THE_PAGES + QT_FREE_FOR_THE_DETAILS, ("deckfollow.ui.customer_detail",)),
        (
            QT_FREE_FOR_THE_PAGES + QT_FREE_FOR_THE_REST,
            (
                "deckfollow.ui.reports.page",
                "deckfollow.ui.backups",
                "deckfollow.ui.reminders.controller",
                "deckfollow.ui.welcome",
            ),
        ),
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
