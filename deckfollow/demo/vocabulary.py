"""The words and places demo data is made of: names, suburbs, trade jobs, what customers say.

Kept apart from the generator so the generator reads as the story of a business and this
file as its cast.
"""

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


FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "AU": (
        "Jack",
        "Olivia",
        "Liam",
        "Charlotte",
        "Noah",
        "Mia",
        "Cooper",
        "Isla",
        "Hamish",
        "Chloe",
        "Lachlan",
        "Zoe",
        "Mitchell",
        "Grace",
        "Bree",
        "Dimitri",
        "Siobhan",
        "Priya",
        "Minh",
        "Renée",
        "Lukas",
        "Aroha",
        "Matías",
        "Zoë",
    ),
    "US": (
        "James",
        "Emma",
        "Michael",
        "Sophia",
        "Ethan",
        "Ava",
        "Daniel",
        "Madison",
        "Tyler",
        "Harper",
        "Marcus",
        "Jasmine",
        "Carlos",
        "Brianna",
        "Wei",
        "Aaliyah",
        "José",
        "Núria",
        "Chloé",
        "Andrés",
        "Björn",
        "Kayla",
    ),
    "GB": (
        "Oliver",
        "Amelia",
        "George",
        "Isla",
        "Harry",
        "Poppy",
        "Alfie",
        "Freya",
        "Rhys",
        "Niamh",
        "Callum",
        "Eilidh",
        "Łukasz",
        "Agnieszka",
        "Siân",
        "Dafydd",
        "Zoë",
    ),
    "NZ": ("Nikau", "Aroha", "Tama", "Mereana", "Finn", "Ruby", "Wiremu", "Anahera", "Hēmi"),
    "IE": (
        "Seán",
        "Aoife",
        "Conor",
        "Niamh",
        "Cian",
        "Siobhán",
        "Darragh",
        "Ciara",
        "Oisín",
        "Róisín",
        "Eoin",
        "Sinéad",
        "Patrick",
        "Emma",
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "AU": (
        "Smith",
        "Nguyen",
        "Williams",
        "Brown",
        "Wilson",
        "Taylor",
        "Papadopoulos",
        "O'Brien",
        "Kelly",
        "Murphy",
        "Tran",
        "Rossi",
        "MacKenzie",
        "Singh",
        "Walsh",
        "Costa",
        "Müller",
    ),
    "US": (
        "Johnson",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martínez",
        "Anderson",
        "Thomas",
        "Jackson",
        "Lee",
        "Peña",
        "Kowalski",
        "Nguyen",
        "O'Connor",
        "Schröder",
        "Kim",
    ),
    "GB": (
        "Jones",
        "Evans",
        "Hughes",
        "Patel",
        "Wright",
        "Robinson",
        "Thompson",
        "Wójcik",
        "Campbell",
        "Ahmed",
        "Fraser",
        "Llewellyn",
        "Nowak",
        "Brennan",
    ),
    "NZ": ("Ngata", "Parata", "Walker", "Tane", "Henare", "Cooper", "Sørensen", "Ruatapu"),
    "IE": (
        "Murphy",
        "Kelly",
        "O'Sullivan",
        "Walsh",
        "Byrne",
        "Ryan",
        "O'Brien",
        "Doyle",
        "McCarthy",
        "Gallagher",
        "Kavanagh",
        "Fitzgerald",
    ),
}


# A Canadian business's customers carry the same names as its neighbours'; a New Zealand
# one's are Māori and Pākehā alike.
FIRST_NAMES["CA"] = FIRST_NAMES["US"]
LAST_NAMES["CA"] = LAST_NAMES["US"]
FIRST_NAMES["NZ"] = FIRST_NAMES["NZ"] + FIRST_NAMES["AU"]
LAST_NAMES["NZ"] = LAST_NAMES["NZ"] + LAST_NAMES["AU"]


@dataclass(frozen=True)
class Job:
    """A kind of job with a plausible price range (in AUD; other markets scale it).

    `details` are as an Australian or New Zealand customer writes them; `us` and `gb` give
    the title and details as an American or British customer would (wood deck, worktops,
    square feet), None where the Australian words read the same there.
    """

    title: str
    low: int
    high: int
    details: tuple[str, ...]
    us: tuple[str, tuple[str, ...]] | None = None
    gb: tuple[str, tuple[str, ...]] | None = None

    def wording(self, market: str) -> tuple[str, tuple[str, ...]]:
        """(title, details) in the words of a market ("AU", "US" or "GB")."""
        local = {"US": self.us, "GB": self.gb}.get(market)
        return local if local is not None else (self.title, self.details)


JOBS: tuple[Job, ...] = (
    Job(
        "Hardwood deck",
        9_000,
        38_000,
        (
            "spotted gum, 24 m²",
            "merbau, 40 m² with steps",
            "blackbutt, wrap-around",
            "two-level with balustrade",
        ),
        us=(
            "Wood deck",
            ("cedar, 16 × 20 ft", "ipe, 400 sq ft with stairs", "redwood, wrap-around"),
        ),
        gb=("Hardwood decking", ("iroko, 24 m²", "balau, 40 m² with steps", "oak, wrap-around")),
    ),
    Job(
        "Composite deck",
        11_000,
        45_000,
        ("Trex, 30 m²", "ModWood around the pool", "rooftop, 18 m²"),
        us=("Composite deck", ("Trex, 320 sq ft", "TimberTech around the pool")),
        gb=("Composite decking", ("Millboard, 30 m²", "around the hot tub, 22 m²")),
    ),
    Job(
        "Deck restoration",
        1_800,
        6_500,
        ("sand and oil, 35 m²", "replace 12 boards, re-stain"),
        us=("Deck refinishing", ("sand and stain, 380 sq ft", "replace 12 boards, re-stain")),
    ),
    Job(
        "Paved patio",
        6_000,
        24_000,
        ("sandstone, 28 m²", "porcelain pavers, 40 m²", "brick herringbone"),
        us=("Paver patio", ("flagstone, 300 sq ft", "brick herringbone, 430 sq ft")),
        gb=("Patio", ("Indian sandstone, 28 m²", "porcelain paving, 40 m²")),
    ),
    Job(
        "Pergola",
        7_500,
        32_000,
        ("flat roof, Colorbond", "louvred, motorised", "timber, attached to house"),
        us=("Pergola", ("cedar, freestanding", "louvered, motorized", "attached to the house")),
        gb=("Pergola", ("oak frame, freestanding", "louvred, motorised")),
    ),
    Job(
        "Timber fence",
        3_500,
        14_000,
        ("paling, 30 m", "horizontal slat, 22 m", "lapped and capped, 45 m"),
        us=("Wood fence", ("cedar privacy, 100 ft", "horizontal slat, 72 ft", "picket, 150 ft")),
        gb=("Garden fence", ("close-board, 30 m", "horizontal slatted, 22 m")),
    ),
    Job(
        "Pool fence",
        4_000,
        16_000,
        ("frameless glass", "aluminium, compliant gate"),
        us=("Pool fence", ("frameless glass", "aluminum, self-closing gate")),
        gb=("Glass balustrade", ("frameless glass, terrace", "stainless posts, 12 m")),
    ),
    Job(
        "Bathroom renovation",
        18_000,
        48_000,
        ("full strip-out, walk-in shower", "ensuite, floor-to-ceiling tiles"),
        us=(
            "Bathroom remodel",
            ("full gut, walk-in shower", "primary bath, floor-to-ceiling tile"),
        ),
        gb=(
            "Bathroom refit",
            ("full strip-out, walk-in shower", "en suite, floor-to-ceiling tiles"),
        ),
    ),
    Job(
        "Kitchen renovation",
        22_000,
        75_000,
        ("new cabinets and benchtops", "island bench, stone tops"),
        us=("Kitchen remodel", ("new cabinets and countertops", "island, quartz countertops")),
        gb=("Kitchen refit", ("new units and worktops", "island, quartz worktops")),
    ),
    Job(
        "Roof replacement",
        15_000,
        42_000,
        ("tile to Colorbond, 180 m²", "re-roof and gutters"),
        us=("Roof replacement", ("asphalt shingles, 24 squares", "tear-off and new gutters")),
        gb=("Re-roof", ("natural slate, 120 m²", "strip and re-tile, new fascias")),
    ),
    Job(
        "Roof repairs",
        900,
        5_500,
        ("re-point ridge caps", "replace cracked tiles, leak"),
        us=("Roof repair", ("flashing around the chimney", "replace damaged shingles, leak")),
        gb=("Roof repairs", ("re-point the ridge tiles", "replace slipped slates, leak")),
    ),
    Job(
        "Gutter replacement",
        2_200,
        7_800,
        ("quad gutter, 40 m", "leaf guard and downpipes"),
        us=("Gutter replacement", ("seamless aluminum, 140 ft", "gutter guards and downspouts")),
        gb=("Guttering", ("new uPVC guttering, 40 m", "cast-iron repairs and downpipes")),
    ),
    Job(
        "Retaining wall",
        5_000,
        26_000,
        ("sleeper wall, 15 m", "besser block, 1.2 m high"),
        us=("Retaining wall", ("timber, 50 ft", "concrete block, 4 ft high")),
        gb=("Retaining wall", ("sleeper wall, 15 m", "block and render, 1.2 m high")),
    ),
    Job(
        "Landscaping",
        4_500,
        30_000,
        ("native garden and irrigation", "turf and garden beds"),
        us=("Landscaping", ("native plantings and irrigation", "sod and garden beds")),
        gb=("Garden landscaping", ("new lawn and borders", "raised beds and a path")),
    ),
    Job(
        "Carport",
        8_000,
        22_000,
        ("double, skillion roof", "gable roof to match house"),
        us=("Carport", ("two-car, metal roof", "gable roof to match the house")),
        gb=("Carport", ("oak frame, double", "timber, lean-to")),
    ),
    Job(
        "Exterior painting",
        6_000,
        21_000,
        ("two-storey weatherboard", "render and trims"),
        us=("Exterior painting", ("two-story clapboard", "stucco and trim")),
        gb=("Exterior decorating", ("rendered semi, masonry paint", "windows, doors and fascias")),
    ),
    Job(
        "Granny flat",
        90_000,
        160_000,
        ("two-bedroom, 60 m²",),
        us=("Accessory dwelling unit", ("two-bedroom ADU, 650 sq ft",)),
        gb=("Single-storey extension", ("kitchen extension, 25 m²",)),
    ),
)

SOURCES = (
    "website form",
    "phone call",
    "referral",
    "Google",
    "Facebook",
    "neighbour saw the job",
    "Houzz",
    "home show",
    "van signage",
)
# How an enquiry from each source arrives (a web form comes in as an email).
SOURCE_CHANNELS: dict[str, tuple[str, ...]] = {
    "website form": ("email",),
    "Google": ("email", "call"),
    "Facebook": ("text", "email"),
    "Houzz": ("email",),
    "phone call": ("call",),
    "referral": ("call", "text"),
    "neighbour saw the job": ("call", "text"),
    "home show": ("email", "call"),
    "van signage": ("call", "text"),
    "repeat customer": ("call", "text", "email"),
}
REPEAT_SOURCE = "repeat customer"

# Why a quote was lost, and the touch that told the owner so: (direction, channel, note).
LOST_REASONS: dict[str, tuple[str, str, str]] = {
    "went with a cheaper quote": (
        "inbound",
        "text",
        "Thanks for the quote, we've gone with a cheaper one this time.",
    ),
    "decided to wait until next year": (
        "outbound",
        "call",
        "They've decided to wait until next year; happy to hear from us then",
    ),
    "did it themselves": ("outbound", "call", "They're doing it themselves; offered advice"),
    "budget cut after the valuation": (
        "inbound",
        "email",
        "The valuation came in low, so we can't go ahead for now. Thanks for your time.",
    ),
    "a friend in the trade is doing it": (
        "outbound",
        "call",
        "A friend in the trade is doing it for them",
    ),
    "no reply after three tries": (
        "outbound",
        "text",
        "Last check-in sent; closing the quote after three tries without a reply",
    ),
    "chose another builder's design": (
        "inbound",
        "email",
        "We've decided to go with another builder's design. Thanks for coming out.",
    ),
    "moving house": ("inbound", "call", "They're selling up and moving; the job is off"),
}
NO_REPLY = "no reply after three tries"
# A quote whose whole six-month plan went unanswered, or part of it before the owner closed it.
LOST_AFTER_PLAN = "no reply in six months of follow-ups"
NO_REPLY_TO_PLAN = "no reply to any of our follow-ups"
UNANSWERED = (NO_REPLY, LOST_AFTER_PLAN, NO_REPLY_TO_PLAN)

# What a customer wrote on the enquiry form about how to reach them, by preferred channel.
GRANT_WORDS: dict[str, tuple[str, ...]] = {
    "text": (
        "Best to text first, I can't always answer at work.",
        "Text me please, I'm in meetings most of the day.",
    ),
    "call": ("Call me on my mobile any time.", "Happy to take a call, mornings are best."),
    "email": ("Email is easiest, I check it every evening.", "Please email the quote."),
    "any": ("Call or text me on my mobile, email the quote.", "Phone or email, either is fine."),
    "no email": ("Call or text me on my mobile.", "Ring or text, I don't do email."),
}

# What a customer says when they close one channel: the words fit the channel closed (the
# ledger is evidence), and they say it on a channel that still suits them.
REVOKE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "text": (
        ("Please stop texting me, call if you need to.", "phone call"),
        ("No more texts please.", "text message"),
        ("Can you stop the texts? Email me instead.", "email"),
    ),
    "email": (
        ("Take me off the email list.", "email"),
        ("Please stop emailing, I'll call you if I need anything.", "email"),
        ("No more emails thanks, text is fine.", "text message"),
    ),
    "call": (
        ("Please don't call, I can't answer at work. Text me.", "text message"),
        ("No phone calls please, email is best.", "email"),
        ("Stop ringing me please, I'll text you when we're ready.", "text message"),
    ),
}

# "Please don't contact me" and the way it reached the owner (a channel of ours).
# "lost": said while their quote was open (it closed the quote); "customer": said by a
# past customer or a contact with no quote in play.
DNC_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "lost": (
        ("We've gone with someone else, please don't contact us again.", "text"),
        ("Remove my details please, we won't be going ahead.", "email"),
        ("Not interested, stop calling.", "call"),
    ),
    "customer": (
        ("Please take us off your list, we don't need any more check-ins.", "email"),
        ("No more calls or cards please.", "text"),
        ("Please stop contacting me.", "call"),
    ),
}

CONTACT_RULES = (
    "evenings only",
    "not sun",
    "mornings only",
    "mon-fri 17:00-20:00",
    "daytime only",
)
BEST_TIMES = ("any 17:00-19:00", "any 08:00-09:30", "sat 09:00-12:00")

FAMILY_NOTES = (
    "Two kids, dog called Biscuit",
    "Wife Sarah runs the books",
    "Retired teacher, loves roses",
    "Son plays football on Saturdays",
    "Expecting their first baby",
    "Works night shifts at the hospital",
    "Keen gardener; mind the veggie patch",
    "Grandkids visit every school holidays",
)

# What the owner jotted down about a customer's place (shown in their details).
CUSTOMER_NOTES = (
    "Side access only through the garage",
    "Dog in the back yard; ring before coming through the gate",
    "Owns the rental next door as well",
    "Steep driveway; park on the street",
    "Heritage overlay on the street; check council rules first",
    "Referred by a neighbour we built for",
    "Works from home; happy for us to drop samples round",
)

# What customers say when they agree to be contacted again (the field notes' "OK to …?").
# Each fits its channel and fixes the time of day; {when} is the day as they said it
# ("Thursday", "tomorrow", "next Monday"), {h} an hour on the clock, {partner} who they
# decide with. `hours` are the local times the words may name; `markets` limit words to
# the customers who talk that way (None: everyone).


@dataclass(frozen=True)
class Agreement:
    channel: str
    words: str
    hours: tuple[tuple[int, int], ...]
    part: str = ""  # "", "morning", "arvo", "evening" or "lunchtime": how {when} is said
    markets: tuple[str, ...] | None = None
    weekdays: bool = False  # words about a working week ("I'm on site all week")


AGREEMENTS: tuple[Agreement, ...] = (
    Agreement(
        "call",
        "Yes, ring me {when} after {h}, I'll have talked to {partner} by then.",
        ((16, 0), (17, 0)),
        markets=("AU", "NZ", "GB", "IE"),
    ),
    Agreement(
        "call",
        "Sure, call me {when} after {h}, I'll have talked to {partner} by then.",
        ((16, 0), (17, 0)),
        markets=("US", "CA"),
    ),
    Agreement("call", "Call me {when}, not before 6.", ((18, 0),), part="evening"),
    Agreement(
        "call",
        "Best to call {when}, I'm on a break from half past 12.",
        ((12, 30),),
        part="lunchtime",
        weekdays=True,
    ),
    Agreement(
        "call",
        "Give me a bell {when}, I'm home from 3.",
        ((15, 0),),
        part="arvo",
        markets=("AU", "NZ"),
    ),
    Agreement(
        "call",
        "OK to call {when} around {h}, we'll have compared the quotes by then.",
        ((10, 0), (11, 0), (14, 0)),
    ),
    Agreement(
        "call", "Ring me {when} before I head out.", ((9, 0),), "morning", ("AU", "NZ", "GB", "IE")
    ),
    Agreement("text", "Text me {when}, I'm on site all week.", ((9, 30), (12, 0)), weekdays=True),
    Agreement(
        "text",
        "Flick me a text {when}, I'll have an answer by then.",
        ((9, 0),),
        part="morning",
        markets=("AU", "NZ"),
    ),
    Agreement("text", "Send me a text {when} after {h} and I'll let you know.", ((16, 0), (17, 0))),
    Agreement(
        "text",
        "Text is best, I can't take calls at work. {when} works.",
        ((12, 30),),
        part="lunchtime",
        weekdays=True,
    ),
    Agreement("email", "Email me {when}, I'll go through it with {partner} that night.", ((9, 0),)),
    Agreement(
        "email",
        "Email is best, I'm on site all day. Send it through {when}.",
        ((8, 30),),
        weekdays=True,
    ),
    Agreement("email", "Pop it in an email {when} and I'll read it that evening.", ((10, 0),)),
)
# For a follow-up agreed weeks ahead, people name a date and a reason to wait.
FAR_AGREEMENTS: dict[str, tuple[str, ...]] = {
    "call": (
        "Check back {when}, the bank should have come back to us by then.",
        "Happy for you to call {when}, we're away until then.",
    ),
    "text": ("Text me {when}, we'll be back from holidays.", "Send a text {when}, not before."),
    "email": (
        "Email me {when}, once the valuation is done.",
        "Send it through {when}, we'll have sorted the finance by then.",
    ),
}
PARTNERS = ("my wife", "my husband", "my partner", "the wife", "my daughter")

# A customer's reply that pauses their follow-up plan (rule 8), by the channel it came in.
REPLIES: dict[str, tuple[str, ...]] = {
    "text": (
        "Thanks, still waiting to hear from the bank. Will let you know.",
        "Got it, we're away till next week, can we pick this up then?",
        "Still keen, just sorting out the budget. Talk soon.",
    ),
    "email": (
        "Thanks for the photos. A couple of questions about drainage, we'll ring you.",
        "We're still comparing quotes and will be in touch by the end of the month.",
    ),
    "call": ("Rang back with questions about the start date and access for the truck",),
}
