"""States, provinces and regions as address books write them, and the zones they lie in.

"N.S.W.", "nsw", "New South Wales" and "new  south wales" are one state; so are "Calif.",
"CA" and "California". Codes are the subdivision codes of the `holidays` package, so a
recognised state also picks its public holidays.
"""

from __future__ import annotations

import re
import unicodedata

# Spellings (letters only, lower case) -> code, per country.
_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "AU": {
        "NSW": ("nsw", "newsouthwales"),
        "VIC": ("vic", "vict", "victoria"),
        "QLD": ("qld", "qland", "queensland"),
        "SA": ("sa", "sthaust", "southaust", "southaustralia"),
        "WA": ("wa", "westaust", "westernaust", "westernaustralia", "westaustralia"),
        "TAS": ("tas", "tasm", "tasmania"),
        "NT": ("nt", "nterr", "northernterritory", "northterritory"),
        "ACT": ("act", "australiancapitalterritory", "capitalterritory"),
    },
    "US": {
        "AL": ("al", "ala", "alabama"),
        "AK": ("ak", "alaska"),
        "AZ": ("az", "ariz", "arizona"),
        "AR": ("ar", "ark", "arkansas"),
        "CA": ("ca", "cal", "calif", "california"),
        "CO": ("co", "colo", "colorado"),
        "CT": ("ct", "conn", "connecticut"),
        "DE": ("de", "del", "delaware"),
        "DC": ("dc", "districtofcolumbia", "washingtondc"),
        "FL": ("fl", "fla", "florida"),
        "GA": ("ga", "georgia"),
        "HI": ("hi", "hawaii"),
        "ID": ("id", "ida", "idaho"),
        "IL": ("il", "ill", "illinois"),
        "IN": ("in", "ind", "indiana"),
        "IA": ("ia", "iowa"),
        "KS": ("ks", "kan", "kans", "kansas"),
        "KY": ("ky", "kentucky"),
        "LA": ("la", "louisiana"),
        "ME": ("me", "maine"),
        "MD": ("md", "maryland"),
        "MA": ("ma", "mass", "massachusetts"),
        "MI": ("mi", "mich", "michigan"),
        "MN": ("mn", "minn", "minnesota"),
        "MS": ("ms", "miss", "mississippi"),
        "MO": ("mo", "missouri"),
        "MT": ("mt", "mont", "montana"),
        "NE": ("ne", "neb", "nebr", "nebraska"),
        "NV": ("nv", "nev", "nevada"),
        "NH": ("nh", "newhampshire"),
        "NJ": ("nj", "newjersey"),
        "NM": ("nm", "newmexico"),
        "NY": ("ny", "newyork", "newyorkstate"),
        "NC": ("nc", "northcarolina"),
        "ND": ("nd", "northdakota"),
        "OH": ("oh", "ohio"),
        "OK": ("ok", "okla", "oklahoma"),
        "OR": ("or", "ore", "oreg", "oregon"),
        "PA": ("pa", "penn", "penna", "pennsylvania"),
        "RI": ("ri", "rhodeisland"),
        "SC": ("sc", "southcarolina"),
        "SD": ("sd", "southdakota"),
        "TN": ("tn", "tenn", "tennessee"),
        "TX": ("tx", "tex", "texas"),
        "UT": ("ut", "utah"),
        "VT": ("vt", "vermont"),
        "VA": ("va", "virginia"),
        "WA": ("wa", "wash", "washington", "washingtonstate"),
        "WV": ("wv", "wva", "westvirginia"),
        "WI": ("wi", "wis", "wisc", "wisconsin"),
        "WY": ("wy", "wyo", "wyoming"),
        "PR": ("pr", "puertorico"),
        "GU": ("gu", "guam"),
        "VI": ("vi", "usvirginislands", "virginislands"),
        "AS": ("as", "americansamoa"),
        "MP": ("mp", "northernmarianaislands"),
    },
    "CA": {
        "AB": ("ab", "alta", "alberta"),
        "BC": ("bc", "britishcolumbia", "colombiebritannique"),
        "MB": ("mb", "man", "manitoba"),
        "NB": ("nb", "newbrunswick", "nouveaubrunswick"),
        "NL": ("nl", "nfld", "newfoundland", "newfoundlandandlabrador", "labrador"),
        "NS": ("ns", "novascotia", "nouvelleecosse"),
        "NT": ("nt", "nwt", "northwestterritories"),
        "NU": ("nu", "nunavut"),
        "ON": ("on", "ont", "ontario"),
        "PE": ("pe", "pei", "princeedwardisland"),
        "QC": ("qc", "pq", "que", "quebec"),
        "SK": ("sk", "sask", "saskatchewan"),
        "YT": ("yt", "yukon", "yukonterritory"),
    },
    "NZ": {
        "AUK": ("auk", "auckland"),
        "BOP": ("bop", "bayofplenty"),
        "CAN": ("can", "canterbury"),
        "CIT": ("cit", "chathams", "chathamislands", "chathamisland"),
        "GIS": ("gis", "gisborne"),
        "HKB": ("hkb", "hawkesbay"),
        "MBH": ("mbh", "marlborough"),
        "MWT": ("mwt", "manawatu", "manawatuwhanganui", "manawatuwanganui"),
        "NSN": ("nsn", "nelson"),
        "NTL": ("ntl", "northland"),
        "OTA": ("ota", "otago"),
        "STL": ("stl", "southland"),
        "TAS": ("tas", "tasman"),
        "TKI": ("tki", "taranaki"),
        "WGN": ("wgn", "wellington"),
        "WKO": ("wko", "waikato"),
        "WTC": ("wtc", "westcoast"),
    },
}
_LOOKUP = {
    country: {s: code for code, spellings in states.items() for s in spellings}
    for country, states in _SPELLINGS.items()
}

_NAMES: dict[str, dict[str, str]] = {
    "AU": {
        "NSW": "New South Wales",
        "VIC": "Victoria",
        "QLD": "Queensland",
        "SA": "South Australia",
        "WA": "Western Australia",
        "TAS": "Tasmania",
        "NT": "the Northern Territory",
        "ACT": "the ACT",
    },
}

# The zones a state lies in: the first is where most of its people live. A second zone is
# listed where a real share of the state keeps it (Texas' El Paso, Florida's panhandle),
# not for a handful of border towns.
_REGION_ZONES: dict[str, dict[str, tuple[str, ...]]] = {
    "AU": {
        "NSW": ("Australia/Sydney",),
        "ACT": ("Australia/Sydney",),
        "VIC": ("Australia/Melbourne",),
        "QLD": ("Australia/Brisbane",),
        "SA": ("Australia/Adelaide",),
        "WA": ("Australia/Perth",),
        "TAS": ("Australia/Hobart",),
        "NT": ("Australia/Darwin",),
    },
    "US": {
        **{
            s: ("America/New_York",)
            for s in (
                *("CT", "DE", "DC", "GA", "ME", "MD", "MA", "NH", "NJ", "NY", "NC", "OH"),
                *("PA", "RI", "SC", "VT", "VA", "WV"),
            )
        },
        **{
            s: ("America/Chicago",)
            for s in ("AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "ND", "OK", "WI")
        },
        **{s: ("America/Denver",) for s in ("CO", "MT", "NM", "UT", "WY")},
        **{s: ("America/Los_Angeles",) for s in ("CA", "NV", "OR", "WA")},
        "AK": ("America/Anchorage",),
        "AZ": ("America/Phoenix",),
        "HI": ("Pacific/Honolulu",),
        "MI": ("America/Detroit",),
        "FL": ("America/New_York", "America/Chicago"),
        "ID": ("America/Boise", "America/Los_Angeles"),
        "IN": ("America/Indiana/Indianapolis", "America/Chicago"),
        "KY": ("America/New_York", "America/Chicago"),
        "NE": ("America/Chicago", "America/Denver"),
        "SD": ("America/Chicago", "America/Denver"),
        "TN": ("America/Chicago", "America/New_York"),
        "TX": ("America/Chicago", "America/Denver"),
        "PR": ("America/Puerto_Rico",),
        "GU": ("Pacific/Guam",),
        "VI": ("America/St_Thomas",),
        "AS": ("Pacific/Pago_Pago",),
        "MP": ("Pacific/Saipan",),
    },
    "CA": {
        "AB": ("America/Edmonton",),
        "BC": ("America/Vancouver",),
        "MB": ("America/Winnipeg",),
        "NB": ("America/Moncton",),
        "NL": ("America/St_Johns",),
        "NS": ("America/Halifax",),
        "NT": ("America/Yellowknife",),
        "NU": ("America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay"),
        "ON": ("America/Toronto",),
        "PE": ("America/Halifax",),
        "QC": ("America/Toronto",),
        "SK": ("America/Regina",),
        "YT": ("America/Whitehorse",),
    },
    "NZ": {"CIT": ("Pacific/Chatham",)},
}

# Australian zones -> the states that keep them (for public holidays when no state is known).
_AU_ZONE_STATES: dict[str, tuple[str, ...]] = {
    "Australia/Sydney": ("NSW", "ACT"),
    "Australia/NSW": ("NSW", "ACT"),
    "Australia/Canberra": ("ACT",),
    "Australia/ACT": ("ACT",),
    "Australia/Broken_Hill": ("NSW",),
    "Australia/Yancowinna": ("NSW",),
    "Australia/Lord_Howe": ("NSW",),
    "Australia/LHI": ("NSW",),
    "Australia/Melbourne": ("VIC",),
    "Australia/Victoria": ("VIC",),
    "Australia/Brisbane": ("QLD",),
    "Australia/Queensland": ("QLD",),
    "Australia/Lindeman": ("QLD",),
    "Australia/Adelaide": ("SA",),
    "Australia/South": ("SA",),
    "Australia/Perth": ("WA",),
    "Australia/West": ("WA",),
    "Australia/Eucla": ("WA",),
    "Australia/Hobart": ("TAS",),
    "Australia/Tasmania": ("TAS",),
    "Australia/Currie": ("TAS",),
    "Australia/Darwin": ("NT",),
    "Australia/North": ("NT",),
}

# A city written without its state (the state column left empty): the state it is in.
_AU_CITIES: dict[str, str] = {
    **dict.fromkeys(("perth", "fremantle", "joondalup", "mandurah", "bunbury", "geraldton"), "WA"),
    **dict.fromkeys(("kalgoorlie", "albany", "broome", "rockingham", "karratha"), "WA"),
    **dict.fromkeys(("darwin", "palmerston", "alicesprings", "katherine"), "NT"),
    **dict.fromkeys(("adelaide", "mountgambier", "whyalla", "murraybridge"), "SA"),
    **dict.fromkeys(("brisbane", "goldcoast", "sunshinecoast", "cairns", "townsville"), "QLD"),
    **dict.fromkeys(("toowoomba", "mackay", "rockhampton", "bundaberg", "ipswich"), "QLD"),
    **dict.fromkeys(("melbourne", "geelong", "ballarat", "bendigo", "shepparton"), "VIC"),
    **dict.fromkeys(("sydney", "newcastle", "wollongong", "parramatta", "wagga"), "NSW"),
    **dict.fromkeys(("waggawagga", "albury", "tamworth", "orange", "dubbo"), "NSW"),
    **dict.fromkeys(("canberra", "belconnen", "tuggeranong"), "ACT"),
    **dict.fromkeys(("hobart", "launceston", "devonport", "burnie"), "TAS"),
}
# Cities keeping another zone than their state's main one.
_CITY_ZONES: dict[str, dict[str, str]] = {
    "AU": {
        "brokenhill": "Australia/Broken_Hill",
        "lordhoweisland": "Australia/Lord_Howe",
        "lordhowe": "Australia/Lord_Howe",
        "eucla": "Australia/Eucla",
    },
    "US": {"elpaso": "America/Denver"},
}
_CITY_STATES: dict[str, dict[str, str]] = {
    "AU": {
        **_AU_CITIES,
        "brokenhill": "NSW",
        "lordhoweisland": "NSW",
        "lordhowe": "NSW",
        "eucla": "WA",
    },
    "US": {"elpaso": "TX"},
}


def _key(text: str | None) -> str:
    """Letters only, lower case, accents dropped: "N.S.W." -> "nsw", "Québec" -> "quebec"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode().lower())


def region_code(country: str | None, text: str | None) -> str | None:
    """The subdivision code for a state as written ("N.S.W." -> "NSW"), or None."""
    return _LOOKUP.get((country or "").upper(), {}).get(_key(text))


def region_name(country: str | None, code: str) -> str:
    """How a person names the state in a sentence ("Western Australia", "TX")."""
    return _NAMES.get((country or "").upper(), {}).get(code, code)


def region_zones(country: str | None, code: str | None) -> tuple[str, ...]:
    """The zones a state lies in, main first; () when the state is not known here."""
    if not code:
        return ()
    return _REGION_ZONES.get((country or "").upper(), {}).get(code, ())


def city_state(country: str | None, city: str | None) -> str | None:
    """The state a well-known city lies in, for rows whose state column is empty."""
    return _CITY_STATES.get((country or "").upper(), {}).get(_key(city))


def city_zone(country: str | None, city: str | None) -> str | None:
    """A city that keeps a zone of its own (Broken Hill, Eucla, El Paso)."""
    return _CITY_ZONES.get((country or "").upper(), {}).get(_key(city))


def states_of_zone(country: str | None, zone: str | None) -> tuple[str, ...]:
    """The states whose people may keep `zone` (AU: Sydney -> NSW and the ACT)."""
    code = (country or "").upper()
    if code == "AU":
        return _AU_ZONE_STATES.get(zone or "", ())
    return tuple(s for s, zones in _REGION_ZONES.get(code, {}).items() if zone in zones)


def country_regions(country: str | None) -> tuple[str, ...]:
    """Every state code known for the country."""
    return tuple(_SPELLINGS.get((country or "").upper(), {}))
