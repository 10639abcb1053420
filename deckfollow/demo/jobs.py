"""The trade jobs a demo business quotes, where enquiries come from, why quotes are lost."""

from __future__ import annotations

from dataclasses import dataclass


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
