"""The command line writes days and times on the owner's clock: 12-hour in the United States
and Australia, 24-hour in Britain, days without a leading zero, in `quote list` and in the
report PDF's "generated" line alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.printing.poppler import text

NOW = "2026-12-05T22:00:00Z"


@pytest.mark.parametrize(
    ("country", "zone", "generated"),
    [
        ("US", "America/Chicago", "generated 5 Dec 2026 4:00 PM"),
        ("AU", "Australia/Sydney", "generated 6 Dec 2026 9:00 am"),
        ("GB", "Europe/London", "generated 5 Dec 2026 22:00"),
    ],
)
def test_quote_list_and_the_report_pdf_read_the_owners_clock(
    tmp_path: Path, country: str, zone: str, generated: str
) -> None:
    db = str(tmp_path / "owner.db")

    def cli(*args: str) -> str:
        done = run_cli("--db", db, "--now", NOW, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("settings", "set", "business", "Harbour Decks")
    cli("settings", "set", "country", country)
    cli("settings", "set", "timezone", zone)
    customer = cli("customer", "add", "--name", "Mia Chen").split()[-1].strip(".")
    cli("quote", "add", "--customer", customer, "--amount", "4850.00", "--sent", "2026-12-01")

    listed = cli("quote", "list")
    assert "sent 1 Dec 2026" in listed, listed  # not "01 Dec 2026"
    assert not re.search(r"\b0\d [A-Z][a-z]{2} \d{4}", listed)

    pdf = tmp_path / "report.pdf"
    cli("report", "--pdf", str(pdf))
    written = " ".join(text(pdf).split())
    assert generated in written, written
