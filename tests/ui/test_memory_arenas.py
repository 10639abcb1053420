"""The app's C allocator keeps one arena on Linux (glibc): what one thread frees, the next
can reuse, instead of each of the app's threads keeping its own free memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deckfollow.ui.platform import memory

# Five threads alive at once, each allocating (blocks big enough to bypass Python's own
# allocator), then the arenas glibc made, counted from malloc_info's report.
_THREADS_ALLOCATE = """
import ctypes, sys, threading
from deckfollow.ui.platform.memory import limit_arenas

if sys.argv[1] == "limited":
    assert limit_arenas()
all_in = threading.Barrier(6)

def work():
    held = [bytearray(4096) for _ in range(64)]
    all_in.wait()
    del held

threads = [threading.Thread(target=work) for _ in range(5)]
for thread in threads:
    thread.start()
all_in.wait()
for thread in threads:
    thread.join()
libc = ctypes.CDLL("libc.so.6")
libc.open_memstream.restype = ctypes.c_void_p
buffer, size = ctypes.c_char_p(), ctypes.c_size_t()
stream = ctypes.c_void_p(libc.open_memstream(ctypes.byref(buffer), ctypes.byref(size)))
libc.malloc_info(0, stream)
libc.fclose(stream)
print(ctypes.string_at(buffer, size.value).count(b"<heap nr="))
"""


def _arenas_after_five_threads(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_ALLOCATE, mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    return int(done.stdout)


@pytest.mark.skipif(memory._glibc() is None, reason="glibc's arenas only")
def test_threads_share_the_arena_once_limited() -> None:
    assert _arenas_after_five_threads("as is") >= 6  # one each, and the main thread's
    assert _arenas_after_five_threads("limited") == memory.ARENAS


def test_elsewhere_the_limit_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_libc", [])
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memory.limit_arenas() is False
    assert memory._libc == []  # no C library was even loaded
