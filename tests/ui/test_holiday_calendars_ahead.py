"""The holiday calendars load once the window is up, before the owner opens Today: Today's
first look at a follow-up (may it be sent now, on a public holiday?) no longer loads every
country's calendar while the window lays the page out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import Database

_START = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from deckfollow.ui.app import make_application, run_gui

make_application()
QSettings().setValue("main/last_page", "board")
first = "holidays.countries" in sys.modules

def watch():
    if "holidays.countries" in sys.modules or watch.turns > 3000:
        window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "today"))
        on_board = window.stack.currentWidget() is window.board
        print(first, "holidays.countries" in sys.modules, on_board)
        QApplication.instance().quit()
    else:
        watch.turns += 1
        QTimer.singleShot(10, watch)

watch.turns = 0
QTimer.singleShot(0, watch)
run_gui(sys.argv[1])
"""


def test_the_calendars_are_loaded_once_the_window_is_up(db: Database, now: datetime) -> None:
    with db.unit_of_work() as session:
        generate_demo(session, customers=20, quotes=40, seed=3, now=now, country="AU")
    db.close()
    assert db.path is not None
    done = subprocess.run(
        [sys.executable, "-c", _START, str(db.path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout.split()[-3:] == ["False", "True", "True"], done.stdout + done.stderr
