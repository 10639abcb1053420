"""The app started in a fresh interpreter, where nothing is loaded yet, on a small demo
business with a page left open, until its whole start has run (the last step loads the
holiday calendars; the reminders have started): what it did, as the tests read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from typing import Any

from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database

# Notes every module whose loading starts on a thread other than the GUI thread, and
# those the pages' building loads, and quits once the start is over, printing what it found.
_START = """
import importlib.abc, json, sys, threading
from_other_threads = []
building_pages = []

class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if threading.current_thread() is not threading.main_thread():
            from_other_threads.append([name, threading.current_thread().name])
        elif building:
            building_pages.append(name)
        return None

building = False
sys.meta_path.insert(0, Watch())
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from deckfollow.ui.app import make_application, run_gui
from deckfollow.ui.main_window import MainWindow

def attach(self, db, attach=MainWindow.attach):
    global building
    building = True
    try:
        attach(self, db)
    finally:
        building = False

MainWindow.attach = attach

make_application()
page = sys.argv[2]
QSettings().setValue("main/last_page", page)
calendars_at_first = "holidays.countries" in sys.modules

def watch():
    windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "reminders")]
    calendars = getattr(sys.modules.get("holidays.countries"), "__spec__", None)
    done = calendars is not None and not getattr(calendars, "_initializing", False)
    if windows and done and windows[0].ops.is_idle() or watch.turns > 6000:
        loaders = {n: getattr(getattr(m, "__spec__", None), "loader", None)
                   for n, m in list(sys.modules.items())}
        served = sorted(n for n, loader in loaders.items() if type(loader).__name__ == "_Served")
        still = [f for f in sys.meta_path if type(f).__name__ == "PrefetchedCode"]
        on_page = bool(windows) and windows[0].stack.currentWidget() is windows[0].page(page)
        print(json.dumps({
            "started": bool(windows and done),
            "calendars_at_first": calendars_at_first,
            "still_on_page": on_page,
            "off_the_gui_thread": from_other_threads,
            "loaded_building_pages": building_pages,
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


def start_afresh(db: Database, now: datetime, page: str, **env: str) -> dict[str, Any]:
    """Fill `db` with a small demo business, start the app on it with `page` left open
    (in the environment given on top of this one) and say what the start did."""
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
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["started"], done.stderr
    return found
