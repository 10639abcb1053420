"""Every command's fixed cost stays small: parsing the command line loads no database layer.

Each command module registers its arguments only; the work's imports (SQLAlchemy, the
models, phone numbers) happen inside its `run`, so `--help`, a typo and bad input answer at
once, and a command pays only for what it uses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("sqlalchemy", "phonenumbers", "email_validator", "reportlab", "PySide6")


def test_building_every_commands_parser_loads_nothing_heavy() -> None:
    probe = (
        "import sys\n"
        "from deckfollow.cli.main import build_parser\n"
        "build_parser()\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_the_due_list_loads_no_phone_or_email_library() -> None:
    probe = (
        "import sys\n"
        "import deckfollow.core.due, deckfollow.core.settings, deckfollow.storage.integrity\n"
        "print(sorted(m for m in ('phonenumbers', 'email_validator') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_a_holiday_calendar_is_read_only_when_a_date_is_asked() -> None:
    """Showing a customer's hours loads no holiday calendars (the package loads every
    country's); asking about a date does, and answers for the customer's state."""
    probe = (
        "import sys\n"
        "from datetime import date\n"
        "from deckfollow.core.contact_hours import holiday_checker\n"
        "is_holiday = holiday_checker('AU', 'NSW')\n"
        "print('holidays' in sys.modules)\n"
        "print(is_holiday(date(2026, 12, 25)), is_holiday(date(2026, 12, 23)))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.split("\n")[:2] == ["False", "True False"]


def test_the_due_list_of_a_file_is_read_without_sqlalchemy(tmp_path: Path) -> None:
    """`deckfollow due` on a SQLite file at the current schema answers with sqlite3 alone."""
    from deckfollow.storage.database import open_database

    db = tmp_path / "due.db"
    open_database(str(db)).close()
    probe = (
        "import sys\n"
        "from deckfollow.cli.main import main\n"
        f"code = main(['--db', {str(db)!r}, '--now', '2026-11-22T22:00Z', 'due', '--json'])\n"
        "print(code, 'sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
    assert r.stderr.strip() == "0 False"


def test_help_fits_the_terminal_without_loading_shutil() -> None:
    """argparse sizes its help to the terminal by importing `shutil` (and the compression
    modules with it) for every argument added: 4 ms of every command's start. The width is
    read as `shutil` reads it, and the help still fits the terminal it is shown in."""
    import os

    probe = (
        "import sys\n"
        "from deckfollow.cli.main import build_parser\n"
        "text = build_parser().format_help()\n"
        "print('shutil' in sys.modules)\n"
        "print(text)\n"
    )
    for columns in (60, 120):
        r = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "COLUMNS": str(columns)},
        )
        loaded, _, text = r.stdout.partition("\n")
        assert loaded == "False"
        assert max(len(line) for line in text.splitlines()) <= columns - 2
        described = "Follow up every quote, only in ways each customer agreed to."
        assert (described in text.splitlines()) == (columns == 120)
