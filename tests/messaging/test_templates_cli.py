"""`deckfollow templates list|show` on a real database file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from deckfollow.core.leads import LeadCreated
from deckfollow.storage.database import Database
from tests.cli.helpers import run_cli


def test_list_and_show_for_a_customer(
    db: Database, db_path: Path, now: datetime, customer: LeadCreated
) -> None:
    db.close()
    at = ["--db", str(db_path), "--now", now.isoformat()]
    listed = run_cli(*at, "templates", "list", "--kind", "card")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].split()[:2] == ["card", "card_thank_you_quote"]

    data = json.loads(run_cli(*at, "templates", "list", "--json").stdout)
    assert {d["kind"] for d in data} == {"call_script", "voicemail", "text", "email", "card"}

    shown = run_cli(
        *at,
        "templates",
        "show",
        "email_follow_up",
        "--customer",
        str(customer.customer_id),
        "--quote",
        str(customer.quote_id),
    )
    # No follow-up given: no reason to state, so it is not ready and says why.
    assert shown.returncode == 3
    assert "Subject: Your quote Q-1042 from Carpenter Decks" in shown.stdout
    assert "The reason I'm writing is [reason?]." in shown.stdout
    assert "Not ready to send: no value for: reason" in shown.stderr

    sample = run_cli(*at, "templates", "show", "card_birthday", "--sample")
    assert sample.returncode == 0
    assert "Dear Grace,\n\nHappy birthday!" in sample.stdout

    missing = run_cli(*at, "templates", "show", "no_such_template")
    assert missing.returncode == 2  # a wrong key is bad input
    assert "no template 'no_such_template'" in missing.stderr
