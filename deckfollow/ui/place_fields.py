"""Country, state or region, time zone and currency fields, pre-filled from this computer.

The welcome and Settings › Your business share them. The computer's locale (QLocale, which
reads the Windows and macOS regional settings as well as $LANG) gives the country and the
currency; the core's `system_timezone` (tzlocal) gives the zone. Nothing is silently
assumed: the owner sees every value before it is saved, and where the computer names no
country (a "C" locale in UTC) the owner chooses one before anything is saved.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QWidget

from deckfollow.core.country_zones import main_zone
from deckfollow.core.places import (
    CURRENCIES,
    country_names,
    country_of_zone,
    currency_for,
    regions_of,
)
from deckfollow.core.timezones import found_country, system_timezone


def computer_place(system: QLocale | None = None) -> dict[str, str]:
    """What this computer says: country, time zone and currency (plain values for the core).

    The country is "" when the computer names none; the zone and currency then wait for
    the owner's choice too (UTC and dollars would be a guess)."""
    system = system or QLocale.system()
    country = ""
    if system.territory() != QLocale.Country.AnyTerritory:
        country = QLocale.territoryToCode(system.territory())
    country = country if country in country_names() else (found_country() or "")
    zone = system_timezone()
    if country_of_zone(zone) is None:
        # "Etc/UTC" on a machine set up in Australia says nothing: suggest the country's zone.
        zone = (main_zone(country) or zone) if country else ""
    if not country:
        return {"default_country": "", "owner_timezone": zone, "currency": ""}
    currency = system.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    if currency not in CURRENCIES or QLocale.territoryToCode(system.territory()) != country:
        currency = currency_for(country) or currency
    return {"default_country": country, "owner_timezone": zone, "currency": currency}


CHOOSE_COUNTRY = "Choose your country…"


class PlaceFields:
    """The four combo boxes, kept consistent: a new country offers its own regions, zones
    and currency."""

    def __init__(self, parent: QWidget, *, country: str, region: str, zone: str, currency: str):
        self.country = QComboBox(parent)
        self.country.setEditable(False)
        names = country_names()
        if not country:
            self.country.addItem(CHOOSE_COUNTRY, "")
        for code, name in sorted(names.items(), key=lambda item: item[1]):
            self.country.addItem(f"{name} ({code})", code)
        self.region = QComboBox(parent)
        self.region.setEditable(True)
        self.timezone = QComboBox(parent)
        self.timezone.setEditable(True)
        self.timezone.addItems(sorted(z for z in available_timezones() if "/" in z))
        self.currency = QComboBox(parent)
        self.currency.setEditable(True)
        self.currency.addItems(sorted(CURRENCIES))
        for box, example in ((self.timezone, "Australia/Sydney"), (self.currency, "AUD")):
            line = box.lineEdit()
            if line is not None:
                line.setPlaceholderText(f"follows your country (e.g. {example})")
        self.country.setCurrentIndex(max(0, self.country.findData(country)))
        self._fill_regions(country, region)
        self.timezone.setCurrentText(zone)
        self.currency.setCurrentText(currency)
        self._last_country = country
        self.country.currentIndexChanged.connect(self._country_changed)

    def _fill_regions(self, country: str, region: str) -> None:
        self.region.clear()
        self.region.addItem("", "")
        for code, name in regions_of(country):
            self.region.addItem(f"{name} ({code})", code)
        line = self.region.lineEdit()
        if line is not None:
            line.setPlaceholderText(
                "Pick your state" if regions_of(country) else "Your state or region (optional)"
            )
        index = self.region.findData(region)
        if index > 0:
            self.region.setCurrentIndex(index)
        else:
            self.region.setCurrentText(region)

    def chosen(self) -> bool:
        """Whether a country is chosen (the computer may have named none)."""
        return bool(self.country.currentData())

    def _country_changed(self) -> None:
        country = str(self.country.currentData())
        if country and self.country.itemData(0) == "":
            # Once a country is chosen, "Choose your country…" is no longer a choice.
            self.country.blockSignals(True)
            self.country.removeItem(0)
            self.country.blockSignals(False)
        old = self._last_country
        self._last_country = country
        self._fill_regions(country, "")
        if country_of_zone(self.timezone.currentText()) != country:
            self.timezone.setCurrentText(main_zone(country) or self.timezone.currentText())
        if self.currency.currentText() in ("", currency_for(old) or ""):
            self.currency.setCurrentText(currency_for(country) or self.currency.currentText())

    def values(self) -> dict[str, str]:
        region = self.region.currentData() if self.region.currentIndex() > 0 else None
        text = self.region.currentText().strip()
        if region is None or self.region.itemText(self.region.currentIndex()) != text:
            region = text
        return {
            "default_country": str(self.country.currentData()),
            "owner_region": str(region),
            "owner_timezone": self.timezone.currentText().strip(),
            "currency": self.currency.currentText().strip(),
        }
