"""Money reads as money on a computer left at the bare "C" locale, from the first paint on:
"$12,490.49" and "US$12,490.49", never "12490.49US$"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from deckfollow.core.customers import NewCustomer, add_customer
from deckfollow.core.enums import Stage
from deckfollow.core.pipeline import move_stage
from deckfollow.core.quotes import NewQuote, QuoteEdit, create_quote
from deckfollow.core.settings import save_setting
from deckfollow.storage.database import Database

_ROOT = Path(__file__).resolve().parents[2]

# Runs the way the app starts with the pipeline as the last page: the quotes read straight
# from the file are painted before the owner's settings (country, currency) are read.
_FIRST_PAINT = """
import json, sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from deckfollow.ui.app import make_application
app = make_application(["deckfollow"])
from deckfollow.core.enums import Stage
from deckfollow.storage.quick_board import read_index
from deckfollow.ui.formatting import money_text, use_sensible_locale
from deckfollow.ui.main_window import MainWindow
from deckfollow.ui.quote_list.page import AMOUNT, QuoteListPage
now = datetime.fromisoformat(sys.argv[2])
window = MainWindow(None, clock=lambda: now)
index = read_index(Path(sys.argv[1]), now=now)
window.preview_board(index, complete=True)
page = QuoteListPage()
page.set_index(index)
seen = {
    "column": window.board.columns[Stage.QUOTED].money.text(),
    "list": sorted(page.model.index(r, AMOUNT).data() for r in range(page.model.rowCount())),
}
use_sensible_locale("AU")  # the owner's settings are read: an Australian business
seen["au"] = [money_text(Decimal("12490.49"), c) for c in ("AUD", "USD")]
print(json.dumps(seen))
"""


@pytest.fixture
def business(db: Database, now: datetime) -> Database:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "US")
        customer = add_customer(s, NewCustomer("Aaliyah Anderson"), now=now).customer_id
        for amount, currency in (("12490.49", "USD"), ("980", "AUD")):
            made = create_quote(
                s,
                NewQuote(
                    customer_id=customer,
                    fields=QuoteEdit(amount=Decimal(amount), currency=currency),
                ),
                now=now,
            )
            move_stage(s, made.quote_id, Stage.QUOTED, now=now)
    return db


def test_money_on_a_bare_c_locale_reads_as_money_from_the_first_paint(
    business: Database, db_path: Path, now: datetime
) -> None:
    business.close()
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(_ROOT)
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT, str(db_path), now.isoformat()],
        env=env,
        cwd=_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Before the settings are read the computer says nothing: English as in the US.
    assert seen["list"] == ["$12,490.49", "A$980.00"]
    assert seen["column"] == "$12k · A$980"
    # Then the owner's country decides which dollar is "$".
    assert seen["au"] == ["$12,490.49", "US$12,490.49"]
