"""The holiday calendars load once the window is up, before the owner opens Today: Today's
first look at a follow-up (may it be sent now, on a public holiday?) no longer loads every
country's calendar while the window lays the page out."""

from __future__ import annotations

from datetime import datetime

from deckfollow.storage.database import Database
from tests.ui.fresh_start import start_afresh


def test_the_calendars_are_loaded_once_the_window_is_up(db: Database, now: datetime) -> None:
    found = start_afresh(db, now, "board")
    assert not found["calendars_at_first"]
    # Loaded by the start itself: the owner never left the pipeline.
    assert found["still_on_page"]
