"""The welcome's country, zone and currency: from the computer when it says, else asked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from deckfollow.ui.place_fields import CHOOSE_COUNTRY, computer_place
from deckfollow.ui.welcome import WelcomeChoice, WelcomeDialog


@pytest.fixture
def silent_computer(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A machine with a "C" locale in UTC, as many fresh installs and containers are."""
    for var in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    return computer_place(QLocale.c())


def test_a_computer_that_names_no_country_gets_no_silent_us_or_utc(
    silent_computer: dict[str, str],
) -> None:
    assert silent_computer == {"default_country": "", "owner_timezone": "", "currency": ""}


def test_a_computer_in_australia_prefills_sydney_and_dollars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    monkeypatch.setenv("TZ", "UTC")  # the zone says nothing; the locale does
    assert computer_place(QLocale.c()) == {
        "default_country": "AU",
        "owner_timezone": "Australia/Sydney",
        "currency": "AUD",
    }


def test_the_welcome_asks_for_the_country_before_it_starts(
    qtbot: QtBot, silent_computer: dict[str, str]
) -> None:
    dialog = WelcomeDialog(can_import=False, place=silent_computer)
    qtbot.addWidget(dialog)
    place = dialog.place
    assert place.country.currentText() == CHOOSE_COUNTRY
    assert (place.timezone.currentText(), place.currency.currentText()) == ("", "")
    assert dialog.hint.text().startswith("This computer does not say where it is")

    dialog.empty_button.click()
    assert dialog.result() == 0, "nothing starts on a guessed country"
    assert dialog.error.text().startswith("country: choose the country your business is in")
    assert "country" not in dialog.valid_details()

    place.country.setCurrentIndex(place.country.findData("NZ"))
    assert (place.timezone.currentText(), place.currency.currentText()) == (
        "Pacific/Auckland",
        "NZD",
    )
    assert place.country.findText(CHOOSE_COUNTRY) == -1, "once chosen, no empty choice left"
    assert dialog.hint.text().startswith("Your time zone and currency follow your country")
    dialog.owner_phone.setText("021 555 0199")  # read as dialled in New Zealand
    dialog.empty_button.click()
    assert dialog.choice is WelcomeChoice.EMPTY and dialog.result() == 1
    assert dialog.valid_details()["default_country"] == "NZ"
