"""Watching which thread runs SQL: the GUI's tests fail when one runs on the GUI thread.

The GUI may not import SQLAlchemy, so the hook lives here, beside the engine it watches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

StatementWatcher = Callable[[str], None]


def watch_statements(watcher: StatementWatcher) -> Callable[[], None]:
    """Call `watcher(sql)` before every statement any engine executes, on the thread that
    executes it; returns the function that stops watching."""

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        watcher(statement)

    event.listen(Engine, "before_cursor_execute", before)
    return lambda: event.remove(Engine, "before_cursor_execute", before)
