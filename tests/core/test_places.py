"""What a new owner's computer says about where they are, and the lists settings check against."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckfollow.core import timezones
from deckfollow.core.places import (
    country_code,
    country_of_zone,
    currency_code,
    currency_for,
    region_code,
    regions_of,
)
from deckfollow.core.settings import load_settings, save_owner_settings
from deckfollow.storage.database import Database


def test_without_tz_or_etc_localtime_the_zone_comes_from_tzlocal_as_on_windows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tzlocal

    monkeypatch.delenv("TZ", raising=False)
    # No /etc/localtime naming a zone (Windows keeps it in the registry).
    monkeypatch.setattr(timezones, "Path", lambda _p: tmp_path / "localtime")
    # What tzlocal itself reads on this machine is not the question here (and its cache
    # depends on what ran before): only that its answer is used.
    monkeypatch.setattr(tzlocal, "reload_localzone", lambda: None)
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Australia/Perth")
    assert timezones.system_timezone() == "Australia/Perth"
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: None)
    assert timezones.system_timezone() == "UTC"


def test_each_settings_read_sees_the_computer_s_zone_as_it_is_now(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The zone list is kept for the run; the computer's zone itself is read afresh."""
    with db.reading() as s:
        assert load_settings(s).owner_timezone == "Australia/Sydney"  # $TZ, as set for tests
    monkeypatch.setenv("TZ", "Europe/London")
    with db.reading() as s:
        assert load_settings(s).owner_timezone == "Europe/London"
    import tzlocal

    monkeypatch.delenv("TZ")
    monkeypatch.setattr(timezones, "Path", lambda _p: tmp_path / "localtime")
    monkeypatch.setattr(tzlocal, "reload_localzone", lambda: None)
    for zone in ("Australia/Perth", "America/Chicago", "Not/AZone"):
        monkeypatch.setattr(tzlocal, "get_localzone_name", lambda z=zone: z)
        with db.reading() as s:
            assert load_settings(s).owner_timezone == (zone if "AZone" not in zone else "UTC")
    with db.unit_of_work() as s:
        save_owner_settings(s, {"owner_timezone": "Asia/Tokyo", "default_country": "JP"})
    with db.reading() as s:
        chosen = load_settings(s)
    assert (chosen.owner_timezone, chosen.default_country, chosen.currency) == (
        "Asia/Tokyo",
        "JP",
        "JPY",
    )


@pytest.mark.parametrize(
    ("lang", "country"),
    [
        ("en_AU.UTF-8", "AU"),
        ("English_Australia.1252", "AU"),  # Windows' own spelling
        ("en_GB", "GB"),
        ("fr_CA.UTF-8@euro", "CA"),
        ("C.UTF-8", None),
    ],
)
def test_the_locale_names_the_country(lang: str, country: str | None) -> None:
    assert timezones._locale_country(lang) == country


def test_a_bare_c_locale_falls_back_to_the_zone_not_to_a_silent_us(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    assert timezones.system_country() == "NZ"


def test_countries_currencies_and_regions() -> None:
    assert [country_code(t) for t in ("uk", "Australia", "nz", "Narnia")] == [
        "GB",
        "AU",
        "NZ",
        None,
    ]
    assert country_of_zone("Australia/Perth") == "AU"
    assert (currency_for("IE"), currency_for("AU"), currency_for("AQ")) == ("EUR", "AUD", None)
    assert (currency_code("nzd"), currency_code("XBT")) == ("NZD", None)
    assert ("NSW", "New South Wales") in regions_of("AU")
    assert [region_code("AU", t) for t in ("nsw", "Queensland", "Ohio")] == ["NSW", "QLD", None]
    assert region_code("FR", "Bretagne") == "Bretagne", "a region elsewhere is the owner's words"
