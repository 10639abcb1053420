"""A small business to run commands against: one customer, one quote, one follow-up, one plan."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent_ledger import grant_consent
from deckfollow.core.enums import Channel, ConsentChannel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting
from deckfollow.messaging.template_library import seed_builtin_templates
from deckfollow.storage.database import open_database
from tests.conftest import FROZEN_NOW

OWNER = {
    "business_name": "Harbour Decks",
    "owner_name": "Sam Reid",
    "owner_phone": "+61 400 111 222",
    "owner_timezone": "Australia/Sydney",
    "default_country": "AU",
}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The business's database file (copy it before use) and its records' ids."""
    path = tmp_path_factory.mktemp("business") / "business.db"
    db = open_database(str(path))
    try:
        with db.unit_of_work() as s:
            seed_builtin_cadences(s)
            seed_builtin_templates(s)
            for key, value in OWNER.items():
                save_setting(s, key, value)
            lead = add_lead(
                s,
                NewLead(
                    "Mia Chen",
                    phone="+61 412 345 679",
                    email="mia@example.com",
                    note="Deck 5x4m in spotted gum",
                    country="AU",
                    timezone="Australia/Sydney",
                    answered=True,  # the one follow-up is the email below
                ),
                now=FROZEN_NOW,
            )
            grant_consent(
                s,
                lead.customer_id,
                ConsentChannel.EMAIL,
                source="web form",
                words="Email me the quote",
                now=FROZEN_NOW,
            )
            fu = schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(FROZEN_NOW + timedelta(hours=2), Channel.EMAIL, "Check it arrived"),
                now=FROZEN_NOW,
            )
            run = start_cadence(
                s, lead.customer_id, "after_quote", quote_id=lead.quote_id, now=FROZEN_NOW
            )
            ids = {
                "customer": lead.customer_id,
                "quote": lead.quote_id,
                "follow_up": fu.id,
                "run": run.id,
            }
    finally:
        db.close()
    return path, ids
