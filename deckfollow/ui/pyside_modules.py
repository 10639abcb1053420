"""Modules are named to PySide as they are found, so it never reads their source.

PySide replaces Python's `__import__` and, after each import, asks of every module it has
not seen whether it uses PySide: it reads the module's whole source (`inspect.getsource`)
and looks for the word "PySide6", to know which of its optional `__feature__` switches
apply there. deckfollow never uses those switches, so the answer is the same for every
module: the default selection. Reading the sources cost about 0.3 ms a module on the
start's way to a usable window (some 80 modules), more for SQLAlchemy's big ones on the
database thread, and the lines read stayed in `linecache` (about 30 MB once everything
had loaded).

A finder placed first on `sys.meta_path` sees each module's name before it is loaded and
gives it that default in PySide's own table, then lets the usual finders find it; the first
time it sees the table, it also enters every module loaded before (each is checked when
next imported by name, `os` and `re` by nearly every module). A module
that does `from __feature__ import ...` still gets its switches: that import sets its own
entry, whatever stood there before.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["name_modules_ahead", "naming_modules_ahead"]

# PySide's module of the switches, and its table: module name → selection (0: the default,
# no switches; -1: a module it found not using PySide, where no switch applies either).
_FEATURE_MODULE = "shibokensupport.feature"
_DEFAULT_SELECTION = 0


class _NameAhead:
    """A finder that finds nothing: it only enters each name it is asked for."""

    _seeded: dict[str, int] | None = None  # the table the modules loaded before went into

    @classmethod
    def find_spec(
        cls,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        feature = sys.modules.get(_FEATURE_MODULE)
        table = getattr(feature, "pyside_feature_dict", None)
        if isinstance(table, dict):
            if cls._seeded is not table:
                cls._seeded = table
                for name in list(sys.modules):
                    table.setdefault(name, _DEFAULT_SELECTION)
            table.setdefault(fullname, _DEFAULT_SELECTION)
        return None


def name_modules_ahead() -> None:
    """Place the finder first (once); every module imported from now on is named ahead."""
    if not naming_modules_ahead():
        sys.meta_path.insert(0, _NameAhead)


def naming_modules_ahead() -> bool:
    """Whether the finder is in place."""
    return _NameAhead in sys.meta_path
