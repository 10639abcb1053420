"""Commands run beside the open app: the app's write-ahead log stays where it is.

POSIX locks belong to a process, so a plain open() and close() of the database file in the
app (once: the start check read the file's first bytes that way) silently dropped the app's
SQLite locks; the next command to close the database then took itself for the last user,
folded the log in and deleted it under the app, which went on writing into a deleted file.
These tests run the real app (offscreen) or a process holding the database exactly as the
app does, and the real commands beside it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"

COMMANDS = [
    ("due", "--json"),
    ("remind", "--once"),
    ("export", "--out", "{tmp}/export.json"),
    ("check",),
    ("backup",),
]

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="reads a process's open files from /proc"
)


def _log_files(pid: int) -> list[str]:
    """The write-ahead logs the process has open, as the kernel names them."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if "-wal" in target:
            found.append(target)
    return found


def _demo(db_path: Path) -> None:
    r = run_cli("--db", str(db_path), "demo", "--customers", "12", "--quotes", "16", "--seed", "3")
    assert r.returncode == 0, r.stderr


def _run_commands_beside(db_path: Path, tmp_path: Path, pid: int) -> None:
    for command in COMMANDS:
        args = [a.format(tmp=tmp_path) for a in command]
        r = run_cli("--db", str(db_path), "--now", NOW, *args)
        assert r.returncode in (0, 1), (args, r.stderr)  # due/remind: 1 is "nothing due"
        assert "Traceback" not in r.stderr
        logs = _log_files(pid)
        assert logs == [f"{db_path}-wal"], f"after {args[0]}: {logs}"


# What the app does with the database before and while the user works: the start check
# on a worker thread, the quick board read, the checked open, the daily backup (which
# checks the file again in the same process), then a write after the commands ran.
HOLDER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from sqlalchemy import text
from deckfollow.storage.backup_rotation import auto_backup
from deckfollow.storage.integrity import check_integrity, open_checked
from deckfollow.storage.quick_board import read_board

path = Path(sys.argv[1])
check_integrity(path)
read_board(path, now=datetime.now(UTC))
db = open_checked(str(path))
with db.reading() as s:
    s.execute(text("SELECT count(*) FROM customer")).all()
auto_backup(path, now=datetime.now(UTC))
check_integrity(path)
print("ready", flush=True)
for line in sys.stdin:
    with db.unit_of_work() as s:
        s.execute(
            text("UPDATE customer SET notes = :n WHERE id = (SELECT min(id) FROM customer)"),
            {"n": line.strip()},
        )
    print("saved", flush=True)
"""


def test_commands_beside_a_process_holding_the_database_lose_none_of_its_writes(
    db_path: Path, tmp_path: Path
):
    _demo(db_path)
    app = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdin is not None and app.stdout is not None
    try:
        assert app.stdout.readline().strip() == "ready"
        _run_commands_beside(db_path, tmp_path, app.pid)
        app.stdin.write("written after the commands\n")
        app.stdin.flush()
        assert app.stdout.readline().strip() == "saved"
        os.kill(app.pid, signal.SIGKILL)  # a crash: only what is on disk counts
        app.wait()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        app.stdin.close()
        app.stdout.close()
    with sqlite3.connect(db_path) as conn:
        notes = {r[0] for r in conn.execute("SELECT notes FROM customer")}
    assert "written after the commands" in notes


@pytest.mark.slow
def test_commands_beside_the_open_app_never_delete_its_log(db_path: Path, tmp_path: Path):
    _demo(db_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [sys.executable, "-m", "deckfollow", "--db", str(db_path), "gui"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Up and holding the database, with its first daily backup (and the second check
        # of the file that comes with it) done.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            daily = list((db_path.parent / "backups").glob("*-daily-*.db"))
            if daily and _log_files(app.pid):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the app did not open its database and take its daily backup")
        _run_commands_beside(db_path, tmp_path, app.pid)
    finally:
        app.kill()
        app.wait()
        if app.stderr is not None:
            app.stderr.close()
