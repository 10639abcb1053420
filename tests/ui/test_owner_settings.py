"""Settings › Your business: what the welcome asked, changeable later."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from deckfollow.core.settings import load_settings
from deckfollow.storage.database import Database
from deckfollow.ui.operations import Operations
from deckfollow.ui.owner_settings import OwnerSettingsDialog
from tests.ui.waiting import settle


def test_changes_are_saved_and_used(qtbot: QtBot, db: Database) -> None:
    with db.reading() as session:
        dialog = OwnerSettingsDialog(Operations(db), load_settings(session))
    qtbot.addWidget(dialog)
    dialog.owner_name.setText("Dana Whitfield")
    dialog.owner_phone.setText("021 555 0199")
    dialog.country.setCurrentIndex(dialog.country.findData("NZ"))
    assert dialog.currency.currentText() == "NZD", "a new country brings its own currency"
    dialog.timezone.setCurrentText("Pacific/Chatham")
    dialog.weekly_cap.setValue(3)
    dialog.save()
    settle(qtbot, dialog)
    with db.reading() as session:
        saved = load_settings(session)
    # A local mobile is read in the owner's (new) country and kept in full.
    assert (saved.owner_name, saved.owner_phone) == ("Dana Whitfield", "+64215550199")
    assert (saved.default_country, saved.owner_timezone, saved.weekly_cap) == (
        "NZ",
        "Pacific/Chatham",
        3,
    )
    assert saved.currency == "NZD"


def test_a_zone_that_does_not_exist_is_refused_and_nothing_saved(
    qtbot: QtBot, db: Database
) -> None:
    with db.reading() as session:
        before = load_settings(session)
    dialog = OwnerSettingsDialog(Operations(db), before)
    qtbot.addWidget(dialog)
    dialog.owner_name.setText("Changed Name")
    dialog.timezone.setCurrentText("Mars/Olympus")
    dialog.save()
    settle(qtbot, dialog)
    assert "not an IANA time zone" in dialog.error.text()
    with db.reading() as session:
        assert load_settings(session) == before
