"""The C allocator kept to the memory the app uses, on Linux (glibc); nothing elsewhere.

glibc gives each thread that allocates an arena of its own (up to eight per processor
core), and memory freed into one arena is never handed to another. The app allocates on
several threads — the window, the database thread reading the quotes, the board's read
ahead, the integrity check, the daily backup — and which arena ends up holding what depends
on timing: on 100,000 quotes six arenas kept about 20 MB free that no other thread could
reuse, and the app's peak moved by several megabytes from one start to the next. One arena
keeps what one thread frees reusable by all: the interpreter's lock serialises nearly all
of the app's allocations anyway, and the window's stalls and keystrokes measured the same
with one arena as with two or six, its peak 7 MB lower than with two and steady.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

__all__ = ["ARENAS", "limit_arenas"]

# glibc's mallopt parameter for the most arenas it makes (malloc.h).
_M_ARENA_MAX = -8
ARENAS = 1

_libc: list[Any] = []


def _glibc() -> Any | None:
    """The C library when it is glibc (musl and the other systems have no arenas to tune)."""
    if not sys.platform.startswith("linux"):
        return None
    if not _libc:
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.gnu_get_libc_version  # noqa: B018  # glibc's own: absent from musl
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            _libc.append(None)
        else:
            mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            mallopt.restype = ctypes.c_int
            _libc.append(libc)
    return _libc[0]


def limit_arenas(arenas: int = ARENAS) -> bool:
    """At most `arenas` allocator arenas from now on (call before the app's threads start:
    a thread keeps the arena it already has). True when the allocator took the limit."""
    libc = _glibc()
    if libc is None or arenas < 1:
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))
