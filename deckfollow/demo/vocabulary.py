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
    weight: int
    places: tuple[Place, ...]
    # Local mobile prefixes (after the country code) and how many digits follow them.
    mobile_prefixes: tuple[str, ...]
    mobile_rest: int
    landline_prefixes: tuple[str, ...]
    landline_rest: int
    calling_code: str
    email_domains: tuple[str, ...]
    price_factor: Decimal


MARKETS: tuple[Market, ...] = (
    Market(
        country="AU",
        currency="AUD",
        weight=45,
        places=(
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
    ),
    Market(
        country="US",
        currency="USD",
        weight=35,
        places=(
            Place("Austin", "TX", "78704", "America/Chicago", "512"),
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
    ),
    Market(
        country="GB",
        currency="GBP",
        weight=15,
        places=(
            Place("Harrogate", "North Yorkshire", "HG1 2RQ", "Europe/London", "1423"),
            Place("Didsbury", "Manchester", "M20 6RL", "Europe/London", "161 4"),
            Place("Clifton", "Bristol", "BS8 4AA", "Europe/London", "117 9"),
            Place("Headingley", "Leeds", "LS6 3HN", "Europe/London", "113 2"),
            Place("Morningside", "Edinburgh", "EH10 4AX", "Europe/London", "131 4"),
        ),
        mobile_prefixes=("7700", "7711", "7723", "7890", "7946", "7412"),
        mobile_rest=6,
        landline_prefixes=("113 4", "161 4", "117 9", "131 2"),
        landline_rest=6,
        calling_code="44",
        email_domains=("btinternet.com", "gmail.com", "hotmail.co.uk", "sky.com"),
        price_factor=Decimal("0.5"),
    ),
    Market(
        country="NZ",
        currency="NZD",
        weight=5,
        places=(
            Place("Ponsonby", "Auckland", "1011", "Pacific/Auckland", "9 3"),
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
    ),
)

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
        "Nguyen",
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
    "NZ": ("Nikau", "Aroha", "Tama", "Mereana", "Finn", "Ruby", "Wiremu", "Anahera", "Jüri"),
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
}

STREET_NAMES = (
    "Ocean St",
    "Beach Rd",
    "Church St",
    "Victoria Ave",
    "Park Lane",
    "Elm St",
    "Maple Dr",
    "High St",
    "Station Rd",
    "Hillcrest Ave",
    "Jacaranda Cres",
    "Banksia Way",
    "Oak Ridge Rd",
    "Mill Lane",
    "Harbour View Tce",
)


@dataclass(frozen=True)
class Job:
    """A kind of job with a plausible price range (in AUD; other markets scale it)."""

    title: str
    low: int
    high: int
    details: tuple[str, ...]


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
    ),
    Job(
        "Composite deck",
        11_000,
        45_000,
        ("Trex, 30 m²", "ModWood around the pool", "rooftop, 18 m²"),
    ),
    Job("Deck restoration", 1_800, 6_500, ("sand and oil, 35 m²", "replace 12 boards, re-stain")),
    Job(
        "Paved patio",
        6_000,
        24_000,
        ("sandstone, 28 m²", "porcelain pavers, 40 m²", "brick herringbone"),
    ),
    Job(
        "Pergola",
        7_500,
        32_000,
        ("flat roof, colorbond", "louvred, motorised", "timber, attached to house"),
    ),
    Job(
        "Timber fence", 3_500, 14_000, ("paling, 30 m", "horizontal slat, 22 m", "colorbond, 45 m")
    ),
    Job("Pool fence", 4_000, 16_000, ("frameless glass", "aluminium, compliant gate")),
    Job(
        "Bathroom renovation",
        18_000,
        48_000,
        ("full strip-out, walk-in shower", "ensuite, floor-to-ceiling tiles"),
    ),
    Job(
        "Kitchen renovation",
        22_000,
        75_000,
        ("new cabinets and benchtops", "island bench, stone tops"),
    ),
    Job("Roof replacement", 15_000, 42_000, ("tile to colorbond, 180 m²", "re-roof and gutters")),
    Job("Roof repairs", 900, 5_500, ("re-point ridge caps", "replace cracked tiles, leak")),
    Job("Gutter replacement", 2_200, 7_800, ("quad gutter, 40 m", "leaf guard and downpipes")),
    Job("Retaining wall", 5_000, 26_000, ("sleeper wall, 15 m", "besser block, 1.2 m high")),
    Job("Landscaping", 4_500, 30_000, ("native garden and irrigation", "turf and garden beds")),
    Job("Carport", 8_000, 22_000, ("double, skillion roof", "gable roof to match house")),
    Job("Exterior painting", 6_000, 21_000, ("two-storey weatherboard", "render and trims")),
    Job("Granny flat", 90_000, 160_000, ("two-bedroom, 60 m²",)),
)

SOURCES = (
    "website form",
    "phone call",
    "referral",
    "Google",
    "Facebook",
    "repeat customer",
    "neighbour saw the job",
    "Houzz",
    "home show",
    "van signage",
)

LOST_REASONS = (
    "went with a cheaper quote",
    "decided to wait until next year",
    "did it themselves",
    "budget cut after the valuation",
    "builder's mate did it",
    "no reply after three tries",
    "chose composite from another supplier",
    "moving house",
)

# What customers said when they agreed to be contacted again (the field notes' "OK to …?").
AGREED_WORDS = (
    "Yes, ring me Thursday after 4, I'll have talked to my wife by then.",
    "Text me Monday morning, I'm on site all week.",
    "Email is best, send it over and call Friday.",
    "Happy for you to check in after the 15th when the bank gets back to us.",
    "Call me in the evening, not before 6.",
    "OK to follow up next week, we're comparing two quotes.",
    "Sure, give me a bell Wednesday.",
    "Check back after school holidays.",
)

# What a customer says when they close one channel: the words fit the channel closed
# (the ledger is evidence, and "take me off the email list" does not stop calls).
REVOKE_WORDS: dict[str, tuple[str, str, str]] = {
    "text": (
        "Please stop texting me, call if you need to.",
        "No more texts please.",
        "Don't text this number, it's my work phone.",
    ),
    "email": (
        "Take me off the email list.",
        "Please stop emailing, I'll call you if I need anything.",
        "No more emails thanks, text is fine.",
    ),
    "call": (
        "Don't ring my work number.",
        "Please don't call, I can't answer at work. Text me.",
        "No phone calls please, email is best.",
    ),
}

DNC_WORDS = (
    "We've gone with someone else, please don't contact us again.",
    "Remove my details, thanks.",
    "Not interested, stop calling.",
)

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
    "Son plays footy on Saturdays",
    "New baby due in March",
    "Works night shifts at the hospital",
)
