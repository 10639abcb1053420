"""Which modules the start loads ahead of need, and on which thread.

Qt's Python types are made the first time a module asks for one, and making two at once
on two threads crashed the app at start now and then (the board's module loading on the
read-ahead thread while the window's module loaded on the GUI thread). So what touches Qt
(`deckfollow.ui`, PySide6) is imported on the GUI thread only. The slow part of loading a
page is its Qt-free code (SQLAlchemy, the models, the rules), which loads on the database
thread first; each page's own module is then a few milliseconds, one per turn of the
window's event loop.
"""

from __future__ import annotations

import importlib

from deckfollow.ui.garbage import set_aside, while_building

# The board's Qt-free modules, loaded beside its read ahead (the read is SQLite's own
# work, without the interpreter's lock): one after the other they held the board back.
QT_FREE_FOR_THE_BOARD = (
    "deckfollow.core.clock",
    "deckfollow.core.clock_format",
    "deckfollow.core.currency_signs",
    "deckfollow.core.quote_index",
)

# What the pages need once the database is open, loaded on the database thread while the
# window already answers (on the GUI thread they froze it for seconds).
QT_FREE_FOR_THE_PAGES = (
    *QT_FREE_FOR_THE_BOARD,
    "deckfollow.storage.database",
    "deckfollow.core.models",
    "deckfollow.core.board",
    "deckfollow.core.settings",
    "deckfollow.core.today",
    "deckfollow.core.unit_of_work",
    "deckfollow.core.customer_merge",
    "deckfollow.core.customer_search",
    "deckfollow.exchange.ledger_export",
    "deckfollow.messaging.inbound",
)

# The pages' GUI modules, imported on the GUI thread one per turn once the database has
# opened and before the pages are built (together, within the building, they held the
# window 40 ms at once on a big business: PySide makes each Qt class and enum a module
# first asks for). A package brings its modules with it: 1-15 ms a turn.
GUI_FOR_THE_PAGES = (
    "deckfollow.ui.board",  # read ahead with its quotes, unless another page was left open
    "deckfollow.ui.consent",
    "deckfollow.ui.today_page",
    "deckfollow.ui.customers",
    "deckfollow.ui.quote_list",
    "deckfollow.ui.team.live",
    "deckfollow.ui.team.server_banner",
    "deckfollow.ui.reports.holder",
)

# The Customers page opens the details panel beside its first customer at once: for a user
# who left it open, the panel's code (a fifth of a second) loads before the data shows.
QT_FREE_FOR_THE_DETAILS = (
    "deckfollow.core.customer_view",
    "deckfollow.core.winning",
    "deckfollow.messaging.email_account",
    "deckfollow.messaging.screens",
    "deckfollow.messaging.template_editing",
    "segno",  # the phone hand-off's QR code
)

# What the rest of the start needs (the details panel, reports, menus, reminders, backups,
# the welcome), loaded once the page on screen shows its data.
QT_FREE_FOR_THE_REST = (
    *QT_FREE_FOR_THE_DETAILS,
    "deckfollow.core.backup_shelf",
    "deckfollow.core.cadence_library",
    "deckfollow.core.reports_behind",
    "deckfollow.core.reports_members",
    "deckfollow.core.trash_actions",
    "deckfollow.messaging.imap",
    "deckfollow.messaging.template_library",
    "deckfollow.messaging.watch",
    "deckfollow.reminders.autostart",
    "deckfollow.reminders.check",
    "deckfollow.reminders.notify",
    "deckfollow.reminders.notify_choice",
    "deckfollow.reminders.quick_snooze",
)

# The GUI modules of the rest, imported on the GUI thread one per turn once their Qt-free
# code has loaded (each takes 1-25 ms there; the Reports page's 50 ms of report code is
# Qt-free and loads with the rest's).
GUI_FOR_THE_REST = (
    "deckfollow.ui.customer_detail",
    "deckfollow.ui.reports.page",
    "deckfollow.ui.features",
    "deckfollow.ui.backups",
    "deckfollow.ui.reminders.controller",
    "deckfollow.ui.welcome",
)


# The lists `load_qt_free` has finished loading.
_LOADED: set[tuple[str, ...]] = set()


def load_qt_free(modules: tuple[str, ...]) -> None:
    """Import `modules` (none of which touches Qt) on the calling thread; what they make
    lives as long as the app and is set aside, never walked by a collection."""
    with while_building():
        for name in modules:
            importlib.import_module(name)
        set_aside()
    _LOADED.add(modules)


def has_loaded(modules: tuple[str, ...]) -> bool:
    """`modules` have finished loading (on another thread: the GUI thread waits for this
    rather than on the import's lock, where it would stop answering)."""
    return modules in _LOADED


def load_gui_module(name: str) -> None:
    """Import a GUI module, on the GUI thread."""
    importlib.import_module(name)
    set_aside()
