"""One running deckfollow per database: a second one is refused by name; a killed one frees it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from deckfollow.storage.instance_lock import (
    AlreadyRunningError,
    acquire_instance_lock,
    lock_path_for,
    read_holder,
)

HOLD = """
import sys, time
from deckfollow.storage.instance_lock import acquire_instance_lock
lock = acquire_instance_lock(sys.argv[1])
print("locked", flush=True)
time.sleep(120)
"""

TRY = """
import sys
from deckfollow.storage.instance_lock import AlreadyRunningError, acquire_instance_lock
try:
    acquire_instance_lock(sys.argv[1])
except AlreadyRunningError as exc:
    print(exc)
    sys.exit(3)
print("got it")
"""


def _holder(db_path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_is_refused_naming_the_first_and_a_killed_holder_frees_the_lock(
    db_path: Path,
):
    first = _holder(db_path)
    try:
        second = subprocess.run(
            [sys.executable, "-c", TRY, str(db_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 3
        assert f"already running with {db_path.name}" in second.stdout
        assert f"process {first.pid} on this computer" in second.stdout
        with pytest.raises(AlreadyRunningError) as info:
            acquire_instance_lock(db_path)
        assert info.value.holder is not None
        assert (info.value.holder.pid, info.value.holder.host) == (first.pid, socket.gethostname())
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert first.stdout is not None
        first.stdout.close()
    # The lock file is still there, with the dead process's details, but it does not block.
    assert lock_path_for(db_path).exists()
    with acquire_instance_lock(db_path) as lock:
        assert lock.held
        holder = read_holder(lock_path_for(db_path))
        assert holder is not None and holder.pid == os.getpid()
    assert read_holder(lock_path_for(db_path)) is None  # released: no stale name left


def test_released_lock_can_be_taken_again_and_server_databases_are_not_locked(db_path: Path):
    lock = acquire_instance_lock(str(db_path))
    lock.release()
    lock.release()  # twice is harmless
    with acquire_instance_lock(str(db_path)):
        pass
    server = acquire_instance_lock("postgresql://team@db.example/deckfollow")
    assert not server.held
    server.release()


@pytest.mark.parametrize("link", ["symlink", "hard link", "symlinked folder"])
def test_a_second_name_for_the_same_file_is_the_same_database(
    db_path: Path, tmp_path: Path, link: str
):
    db_path.write_bytes(b"")  # the business exists: a link to it can be made
    other = tmp_path / "elsewhere"
    other.mkdir()
    if link == "symlink":
        second = other / "shortcut.db"
        second.symlink_to(db_path)
    elif link == "hard link":
        second = other / "same-file.db"
        os.link(db_path, second)
    else:
        (tmp_path / "via").symlink_to(db_path.parent)
        second = tmp_path / "via" / db_path.name
    holder = _holder(db_path)
    try:
        r = subprocess.run(
            [sys.executable, "-c", TRY, str(second)], capture_output=True, text=True, check=False
        )
        assert r.returncode == 3, r.stdout + r.stderr
        assert f"(process {holder.pid} on this computer" in r.stdout
        with pytest.raises(AlreadyRunningError):
            acquire_instance_lock(second)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    with acquire_instance_lock(second):  # the holder is gone: either name opens it again
        pass
