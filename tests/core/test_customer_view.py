"""What the customer panel shows, read as plain data in one go."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deckfollow.core.customer_view import customer_view, quote_customer
from deckfollow.core.customers import update_customer
from deckfollow.core.enums import Stage
from deckfollow.core.errors import NotFoundError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.trash import trash_quote
from deckfollow.storage.database import Database


def test_the_panel_gets_the_form_the_open_quote_consent_and_timeline(db: Database, now: datetime):
    with db.unit_of_work() as s:
        first = add_lead(s, NewLead("Ada Lovelace", phone="+61412000111", job="Pergola"), now=now)
        later = add_lead(
            s,
            NewLead("Ada Lovelace", job="Deck", customer_id=first.customer_id),
            now=now + timedelta(minutes=1),
        )
    with db.unit_of_work() as s:
        update_customer(s, first.customer_id, {"suburb": "Rozelle"}, now=now)
    with db.reading() as s:
        view = customer_view(s, first.customer_id, None, now=now)
        chosen = customer_view(s, first.customer_id, first.quote_id, now=now)
    assert view.contact.fields["display_name"] == "Ada Lovelace"
    assert view.contact.fields["suburb"] == "Rozelle" and view.contact.version >= 1
    assert view.quote is not None and view.quote.id == later.quote_id  # the newest open one
    assert view.quote.job == "Deck" and view.quote.stage is Stage.LEAD
    assert chosen.quote is not None and chosen.quote.job == "Pergola"
    assert view.consent.name == "Ada Lovelace"
    assert view.history  # the first replies planned for the leads


def test_a_quote_in_the_trash_is_not_found(db: Database, now: datetime):
    with db.unit_of_work() as s:
        lead = add_lead(s, NewLead("Ada Lovelace", phone="+61412000111"), now=now)
    with db.unit_of_work() as s:
        assert quote_customer(s, lead.quote_id) == lead.customer_id
        trash_quote(s, lead.quote_id, now=now)
    with db.reading() as s, pytest.raises(NotFoundError):
        quote_customer(s, lead.quote_id)
