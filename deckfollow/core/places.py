"""Countries, their states or regions, and currencies: the reference lists settings check against.

Country names and which country a time zone belongs to come from the tz database's own
tables (shipped with `tzdata`); states and regions from the `holidays` package, which the
allowed-hours rules already use, so a region that passes here is one they understand.
"""

from __future__ import annotations

from functools import cache

# ISO 4217 codes in use (funds and precious-metal codes left out: nobody quotes a deck in gold).
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
ZWG
"""
CURRENCIES = frozenset(_ISO_4217.split())

# The euro countries, then the others whose currency a quote is likely to be in. A
# country missing here has no default: the owner is asked, never given US dollars.
_EURO = "AD AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MC ME MT NL PT SI SK SM VA XK"
_CURRENCY_OF = {
    **dict.fromkeys(_EURO.split(), "EUR"),
    "AU": "AUD", "CX": "AUD", "CC": "AUD", "NF": "AUD", "KI": "AUD", "NR": "AUD", "TV": "AUD",
    "NZ": "NZD", "CK": "NZD", "NU": "NZD", "TK": "NZD", "PN": "NZD",
    "US": "USD", "PR": "USD", "GU": "USD", "VI": "USD", "AS": "USD", "MP": "USD", "EC": "USD",
    "SV": "USD", "PA": "USD", "TL": "USD", "FM": "USD", "MH": "USD", "PW": "USD",
    "GB": "GBP", "IM": "GBP", "JE": "GBP", "GG": "GBP",
    "CA": "CAD", "CH": "CHF", "LI": "CHF", "DK": "DKK", "GL": "DKK", "FO": "DKK",
    "NO": "NOK", "SE": "SEK", "IS": "ISK", "PL": "PLN", "CZ": "CZK", "HU": "HUF", "RO": "RON",
    "BG": "BGN", "ZA": "ZAR", "NA": "NAD", "IN": "INR", "SG": "SGD", "MY": "MYR", "HK": "HKD",
    "JP": "JPY", "CN": "CNY", "KR": "KRW", "TW": "TWD", "PH": "PHP", "ID": "IDR", "TH": "THB",
    "VN": "VND", "MX": "MXN", "BR": "BRL", "AR": "ARS", "CL": "CLP", "CO": "COP", "PE": "PEN",
    "IL": "ILS", "AE": "AED", "SA": "SAR", "QA": "QAR", "TR": "TRY", "EG": "EGP", "KE": "KES",
    "NG": "NGN", "GH": "GHS", "FJ": "FJD", "PG": "PGK", "WS": "WST", "TO": "TOP", "UA": "UAH",
    "RS": "RSD", "MA": "MAD", "PK": "PKR", "BD": "BDT", "LK": "LKR", "NP": "NPR",
}  # fmt: skip

# Names people write for a country that the ISO list spells otherwise.
_ALIASES = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "USA": "US",
    "UNITED STATES OF AMERICA": "US",
    "AMERICA": "US",
}


def _tz_table(name: str) -> list[list[str]]:
    import importlib.resources  # here: most commands never read these tables

    text = importlib.resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def country_names() -> dict[str, str]:
    """Every ISO 3166 country code with its English name ("AU": "Australia")."""
    names = {row[0]: row[1] for row in _tz_table("iso3166.tab") if len(row) >= 2}
    # The zone database's short form ("Britain (UK)") is not how its people name it.
    return names | {code: name for code, name in _NAMED_AS_SAID.items() if code in names}


_NAMED_AS_SAID = {"GB": "United Kingdom"}


@cache
def _zone_countries() -> dict[str, str]:
    return {row[2]: row[0] for row in _tz_table("zone.tab") if len(row) >= 3}


def country_of_zone(tzname: str) -> str | None:
    """The country an IANA zone lies in ("Australia/Perth" -> "AU"), if it is one country's."""
    return _zone_countries().get(tzname)


def country_code(text: str) -> str | None:
    """An ISO country code from a code or an English name ("uk", "Australia"); None if neither."""
    key = " ".join(text.replace(".", "").split()).upper()
    if not key:
        return None
    names = country_names()
    if key in names:
        return key
    if key in _ALIASES:
        return _ALIASES[key]
    for code, name in names.items():
        if name.upper() == key:
            return code
    return None


def currency_for(country: str) -> str | None:
    """The currency a business in `country` quotes in, when it is known."""
    return _CURRENCY_OF.get(country.upper())


def currency_code(text: str) -> str | None:
    """An ISO 4217 code ("aud" -> "AUD"), or None."""
    key = text.strip().upper()
    return key if key in CURRENCIES else None


# Countries whose states are a short, well-known list that people write as codes; elsewhere
# a region is the owner's own words (a French "Bretagne" is not refused for lack of "53").
_LISTED_REGIONS = frozenset({"AU", "US", "CA"})


@cache
def regions_of(country: str) -> tuple[tuple[str, str], ...]:
    """The states or regions of a country as (code, name), or () where they are free text."""
    if country.upper() not in _LISTED_REGIONS:
        return ()
    import holidays

    cal = holidays.country_holidays(country.upper())
    names: dict[str, str] = {}
    for alias, code in getattr(cal, "subdivisions_aliases", {}).items():
        names.setdefault(code, alias)  # the English name comes first
    return tuple((code, names.get(code, code)) for code in cal.subdivisions if " " not in code)


def region_code(country: str, text: str) -> str | None:
    """The region's code in `country` from its code or name ("new south wales" -> "NSW").

    Countries with no known regions take any text; None means a name that is not one of
    the country's known regions.
    """
    value = " ".join(text.split())
    known = regions_of(country)
    if not value or not known:
        return value
    import holidays

    aliases = holidays.country_holidays(country.upper()).subdivisions_aliases
    spelled = {name.upper(): code for name, code in aliases.items()}
    for code, _name in known:
        if value.upper() == code.upper():
            return code
    return spelled.get(value.upper())
