"""Where demo businesses are: each country's places, owner, phones and money."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Place:
    suburb: str
    region: str
    postcode: str
    timezone: str
    # The local landline prefix after the country code (the area code and, where the
    # area is large, the exchange digits of the suburb): "2 99" is Manly's (02) 99xx.
    area: str


@dataclass(frozen=True)
class Market:
    """One country the demo business has customers in."""

    country: str
    currency: str
    places: tuple[Place, ...]
    # Local mobile prefixes (after the country code) and how many digits follow them.
    mobile_prefixes: tuple[str, ...]
    mobile_rest: int
    landline_prefixes: tuple[str, ...]
    landline_rest: int
    calling_code: str
    email_domains: tuple[str, ...]
    price_factor: Decimal
    streets: tuple[str, ...] = ()
    # US houses carry three- or four-digit numbers; elsewhere they count from 1.
    house_numbers: tuple[int, int] = (1, 240)
    company_suffixes: tuple[str, ...] = ("Holdings",)
    # "AU", "US" or "GB": which wording of a job (decking, worktops, sq ft) the market reads.
    wording: str = "AU"
    # A business based here has most customers in this region; the rest of `places` are
    # the out-of-area exceptions (a holiday home interstate).
    home_region: str = ""
    # The country just across the border, for the odd customer from there.
    neighbour: str = ""
    # The demo business based here: its owner settings, as the owner would enter them.
    owner: tuple[tuple[str, str], ...] = ()
    # Mobiles are geographic (North America): they carry the place's area code.
    geographic_mobiles: bool = False


MARKETS: tuple[Market, ...] = (
    Market(
        country="AU",
        currency="AUD",
        places=(
            Place("Balmain", "NSW", "2041", "Australia/Sydney", "2 9"),
            Place("Leichhardt", "NSW", "2040", "Australia/Sydney", "2 9"),
            Place("Mosman", "NSW", "2088", "Australia/Sydney", "2 9"),
            Place("Drummoyne", "NSW", "2047", "Australia/Sydney", "2 9"),
            Place("Manly", "NSW", "2095", "Australia/Sydney", "2 9"),
            Place("Parramatta", "NSW", "2150", "Australia/Sydney", "2 9"),
            Place("Cronulla", "NSW", "2230", "Australia/Sydney", "2 9"),
            Place("Newtown", "NSW", "2042", "Australia/Sydney", "2 9"),
            Place("Castle Hill", "NSW", "2154", "Australia/Sydney", "2 9"),
            Place("Brunswick", "VIC", "3056", "Australia/Melbourne", "3 9"),
            Place("St Kilda", "VIC", "3182", "Australia/Melbourne", "3 9"),
            Place("Geelong", "VIC", "3220", "Australia/Melbourne", "3 5"),
            Place("Paddington", "QLD", "4064", "Australia/Brisbane", "7 3"),
            Place("Noosa Heads", "QLD", "4567", "Australia/Brisbane", "7 5"),
            Place("Fremantle", "WA", "6160", "Australia/Perth", "8 9"),
            Place("Glenelg", "SA", "5045", "Australia/Adelaide", "8 8"),
            Place("Sandy Bay", "TAS", "7005", "Australia/Hobart", "3 6"),
        ),
        mobile_prefixes=("412", "413", "422", "438", "447", "401", "468"),
        mobile_rest=6,
        landline_prefixes=("2 9", "3 9", "7 3", "8 9"),
        landline_rest=7,
        calling_code="61",
        email_domains=("bigpond.com", "gmail.com", "outlook.com.au", "optusnet.com.au"),
        price_factor=Decimal("1.0"),
        streets=(
            "Ocean St",
            "Beach Rd",
            "Church St",
            "Victoria Ave",
            "Jacaranda Cres",
            "Banksia Way",
            "Harbour View Tce",
            "Wattle St",
            "Pittwater Rd",
            "Bellevue Pde",
            "Gum Tree Cl",
            "Military Rd",
        ),
        company_suffixes=("Holdings", "Property Group", "Family Trust"),
        home_region="NSW",
        neighbour="NZ",
        owner=(
            ("business_name", "Harbourside Decks & Outdoor"),
            ("owner_name", "Sam Carter"),
            ("owner_phone", "+61412555019"),
            ("business_address", "14 Wharf Rd, Balmain NSW 2041"),
            ("default_country", "AU"),
            ("owner_region", "NSW"),
            ("owner_timezone", "Australia/Sydney"),
            ("currency", "AUD"),
        ),
    ),
    Market(
        country="US",
        currency="USD",
        places=(
            Place("Austin", "TX", "78704", "America/Chicago", "512"),
            Place("Round Rock", "TX", "78664", "America/Chicago", "512"),
            Place("Cedar Park", "TX", "78613", "America/Chicago", "512"),
            Place("Georgetown", "TX", "78626", "America/Chicago", "512"),
            Place("Pflugerville", "TX", "78660", "America/Chicago", "512"),
            Place("Lakeway", "TX", "78734", "America/Chicago", "512"),
            Place("Naperville", "IL", "60540", "America/Chicago", "630"),
            Place("Boulder", "CO", "80302", "America/Denver", "303"),
            Place("Scottsdale", "AZ", "85251", "America/Phoenix", "480"),
            Place("Portland", "OR", "97214", "America/Los_Angeles", "503"),
            Place("San Diego", "CA", "92103", "America/Los_Angeles", "619"),
            Place("Raleigh", "NC", "27608", "America/New_York", "919"),
            Place("Brookline", "MA", "02446", "America/New_York", "617"),
            Place("Savannah", "GA", "31401", "America/New_York", "912"),
        ),
        # Area codes matching the places above; the exchange and line are drawn at random.
        mobile_prefixes=("512", "630", "303", "480", "503", "619", "919", "617", "912"),
        mobile_rest=7,
        landline_prefixes=("512", "630", "303", "480", "503", "619", "919", "617", "912"),
        landline_rest=7,
        calling_code="1",
        email_domains=("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "comcast.net"),
        price_factor=Decimal("0.7"),
        streets=(
            "Elm St",
            "Maple Dr",
            "Oak Ridge Rd",
            "Hillcrest Ave",
            "Cedar Ln",
            "Willow Ct",
            "Park Ave",
            "Lakeview Dr",
            "Sunset Blvd",
            "Magnolia Way",
            "Chestnut St",
        ),
        house_numbers=(100, 4999),
        company_suffixes=("Properties LLC", "Rentals LLC", "Holdings"),
        wording="US",
        home_region="TX",
        neighbour="CA",
        owner=(
            ("business_name", "Hill Country Decks & Patios"),
            ("owner_name", "Dana Whitfield"),
            ("owner_phone", "+15125550147"),
            ("business_address", "2210 S Lamar Blvd, Austin TX 78704"),
            ("default_country", "US"),
            ("owner_region", "TX"),
            ("owner_timezone", "America/Chicago"),
            ("currency", "USD"),
        ),
        geographic_mobiles=True,
    ),
    Market(
        country="GB",
        currency="GBP",
        places=(
            Place("Harrogate", "North Yorkshire", "HG1 2RQ", "Europe/London", "1423"),
            Place("Didsbury", "Manchester", "M20 6RL", "Europe/London", "161 4"),
            Place("Clifton", "Bristol", "BS8 4AA", "Europe/London", "117 9"),
            Place("Headingley", "West Yorkshire", "LS6 3HN", "Europe/London", "113 2"),
            Place("Roundhay", "West Yorkshire", "LS8 2JT", "Europe/London", "113 2"),
            Place("Chapel Allerton", "West Yorkshire", "LS7 3PD", "Europe/London", "113 2"),
            Place("Horsforth", "West Yorkshire", "LS18 5NX", "Europe/London", "113 2"),
            Place("Ilkley", "West Yorkshire", "LS29 9DZ", "Europe/London", "1943"),
            Place("Otley", "West Yorkshire", "LS21 3AB", "Europe/London", "1943"),
            Place("Morningside", "Edinburgh", "EH10 4AX", "Europe/London", "131 4"),
        ),
        mobile_prefixes=("7700", "7711", "7723", "7890", "7946", "7412"),
        mobile_rest=6,
        landline_prefixes=("113 4", "161 4", "117 9", "131 2"),
        landline_rest=6,
        calling_code="44",
        email_domains=("btinternet.com", "gmail.com", "hotmail.co.uk", "sky.com"),
        price_factor=Decimal("0.5"),
        streets=(
            "High Street",
            "Station Road",
            "Mill Lane",
            "Church Lane",
            "Victoria Road",
            "The Crescent",
            "Park Road",
            "Queens Drive",
            "Orchard Close",
            "Manor Way",
        ),
        company_suffixes=("Lettings Ltd", "Property Ltd", "Holdings"),
        wording="GB",
        home_region="West Yorkshire",
        neighbour="IE",
        owner=(
            ("business_name", "Ridings Garden Rooms & Decking"),
            ("owner_name", "Tom Ashworth"),
            ("owner_phone", "+447946312045"),
            ("business_address", "38 Otley Road, Headingley, Leeds LS6 3HN"),
            ("default_country", "GB"),
            ("owner_region", "West Yorkshire"),
            ("owner_timezone", "Europe/London"),
            ("currency", "GBP"),
        ),
    ),
    Market(
        country="NZ",
        currency="NZD",
        places=(
            Place("Ponsonby", "Auckland", "1011", "Pacific/Auckland", "9 3"),
            Place("Grey Lynn", "Auckland", "1021", "Pacific/Auckland", "9 3"),
            Place("Devonport", "Auckland", "0624", "Pacific/Auckland", "9 4"),
            Place("Remuera", "Auckland", "1050", "Pacific/Auckland", "9 5"),
            Place("Takapuna", "Auckland", "0622", "Pacific/Auckland", "9 4"),
            Place("Karori", "Wellington", "6012", "Pacific/Auckland", "4 4"),
            Place("Merivale", "Canterbury", "8014", "Pacific/Auckland", "3 3"),
        ),
        mobile_prefixes=("21", "22", "27"),
        mobile_rest=7,
        landline_prefixes=("9 3", "4 4", "3 3"),
        landline_rest=6,
        calling_code="64",
        email_domains=("xtra.co.nz", "gmail.com", "outlook.co.nz"),
        price_factor=Decimal("1.05"),
        streets=(
            "Kowhai St",
            "Rimu Rd",
            "Ponsonby Rd",
            "Hill St",
            "Seaview Tce",
            "Totara Ave",
            "Karaka Lane",
        ),
        company_suffixes=("Holdings", "Family Trust", "Properties Ltd"),
        home_region="Auckland",
        neighbour="AU",
        owner=(
            ("business_name", "Waitematā Decks & Pergolas"),
            ("owner_name", "Hemi Walker"),
            ("owner_phone", "+64215550182"),
            ("business_address", "112 Jervois Road, Herne Bay, Auckland 1011"),
            ("default_country", "NZ"),
            ("owner_region", "Auckland"),
            ("owner_timezone", "Pacific/Auckland"),
            ("currency", "NZD"),
        ),
    ),
    Market(
        country="CA",
        currency="CAD",
        places=(
            Place("Leslieville", "ON", "M4M 1H4", "America/Toronto", "416"),
            Place("The Beaches", "ON", "M4E 2V7", "America/Toronto", "416"),
            Place("Etobicoke", "ON", "M8V 1K2", "America/Toronto", "416"),
            Place("Oakville", "ON", "L6J 3L6", "America/Toronto", "905"),
            Place("Mississauga", "ON", "L5H 1K9", "America/Toronto", "905"),
            Place("Markham", "ON", "L3P 1X6", "America/Toronto", "905"),
            Place("Kitsilano", "BC", "V6K 2G8", "America/Vancouver", "604"),
            Place("Kanata", "ON", "K2K 1X7", "America/Toronto", "613"),
        ),
        mobile_prefixes=("416", "647", "905", "437"),
        mobile_rest=7,
        landline_prefixes=("416", "905"),
        landline_rest=7,
        calling_code="1",
        email_domains=("gmail.com", "rogers.com", "sympatico.ca", "outlook.com", "bell.net"),
        price_factor=Decimal("0.95"),
        streets=(
            "Queen St E",
            "Maple Ave",
            "Lakeshore Rd",
            "Kingston Rd",
            "Birch Cres",
            "Elmwood Dr",
            "Pine Ridge Rd",
            "Church St",
            "Balsam Ave",
        ),
        house_numbers=(10, 2400),
        company_suffixes=("Properties Inc.", "Holdings Ltd", "Rentals Inc."),
        wording="US",
        home_region="ON",
        neighbour="US",
        owner=(
            ("business_name", "Lakeshore Decks & Fences"),
            ("owner_name", "Jordan Tremblay"),
            ("owner_phone", "+14165550163"),
            ("business_address", "1180 Queen St E, Toronto ON M4M 1L1"),
            ("default_country", "CA"),
            ("owner_region", "ON"),
            ("owner_timezone", "America/Toronto"),
            ("currency", "CAD"),
        ),
        geographic_mobiles=True,
    ),
    Market(
        country="IE",
        currency="EUR",
        places=(
            Place("Ranelagh", "Dublin", "D06 F2X3", "Europe/Dublin", "1 49"),
            Place("Clontarf", "Dublin", "D03 K2W1", "Europe/Dublin", "1 83"),
            Place("Howth", "Dublin", "D13 R7C4", "Europe/Dublin", "1 83"),
            Place("Dún Laoghaire", "Dublin", "A96 H2P6", "Europe/Dublin", "1 28"),
            Place("Malahide", "Dublin", "K36 E9X2", "Europe/Dublin", "1 84"),
            Place("Bray", "Wicklow", "A98 K7N3", "Europe/Dublin", "1 28"),
            Place("Salthill", "Galway", "H91 T2C8", "Europe/Dublin", "91 5"),
        ),
        mobile_prefixes=("83", "85", "86", "87", "89"),
        mobile_rest=7,
        landline_prefixes=("1 49", "1 83"),
        landline_rest=5,
        calling_code="353",
        email_domains=("eircom.net", "gmail.com", "hotmail.com", "icloud.com"),
        price_factor=Decimal("0.6"),
        streets=(
            "Main Street",
            "Seafield Road",
            "Castle Avenue",
            "Church Road",
            "Strand Road",
            "Grove Park",
            "Abbey Road",
            "Sandford Road",
        ),
        company_suffixes=("Holdings Ltd", "Property Ltd", "Lettings Ltd"),
        wording="GB",
        home_region="Dublin",
        neighbour="GB",
        owner=(
            ("business_name", "Liffey Decking & Garden Rooms"),
            ("owner_name", "Ciarán Byrne"),
            ("owner_phone", "+353875550148"),
            ("business_address", "27 Ranelagh Road, Dublin 6, D06 F2X3"),
            ("default_country", "IE"),
            ("owner_region", "Dublin"),
            ("owner_timezone", "Europe/Dublin"),
            ("currency", "EUR"),
        ),
    ),
)
# The names `--country` takes (UK for Great Britain, as owners say it).
COUNTRY_CHOICES = {
    "AU": "AU",
    "US": "US",
    "UK": "GB",
    "GB": "GB",
    "NZ": "NZ",
    "CA": "CA",
    "IE": "IE",
}


def market_of(country: str) -> Market | None:
    """The demo's market for a country code (UK or GB for Great Britain)."""
    code = COUNTRY_CHOICES.get(country.upper())
    return next((m for m in MARKETS if m.country == code), None)
