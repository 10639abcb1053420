"""A second start on the same database hands over: the running one is asked to show itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from deckfollow.storage.instance_lock import AlreadyRunningError, acquire_instance_lock
from deckfollow.ui.backups import HandoverServer, ask_running_instance_to_show

RUNNING = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from deckfollow.storage.instance_lock import acquire_instance_lock
from deckfollow.ui.backups import HandoverServer

app = QCoreApplication([])
lock = acquire_instance_lock(sys.argv[1])
server = HandoverServer(Path(sys.argv[1]))
def shown():
    print("window shown", flush=True)
    QTimer.singleShot(200, app.quit)
server.show_requested.connect(shown)
print("running" if server.listening else "no socket", flush=True)
QTimer.singleShot(60000, app.quit)
app.exec()
"""


def test_second_start_is_refused_and_hands_over_to_the_running_one(qtbot: QtBot, db_path: Path):
    first = subprocess.Popen(
        [sys.executable, "-c", RUNNING, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "running"
        with pytest.raises(AlreadyRunningError):
            acquire_instance_lock(db_path)
        assert ask_running_instance_to_show(db_path)
        assert first.stdout.readline().strip() == "window shown"
        assert first.wait(timeout=30) == 0
    finally:
        first.kill()
        first.wait()
        if first.stdout is not None:
            first.stdout.close()
    # Nobody is running now: asking gets no answer, and the lock is free.
    assert not ask_running_instance_to_show(db_path, timeout_ms=500)
    with acquire_instance_lock(db_path):
        server = HandoverServer(db_path)
        assert server.listening
        server.close()
