"""What the demo's notes, reasons and agreements say, in the owner's words."""

from __future__ import annotations

from datetime import date

from deckfollow.core.enums import (
    Channel,
    Outcome,
    Stage,
)

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


WORD_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}


OPEN_REASONS = {
    Stage.QUOTED: (
        "Check they received the {job} quote and answer questions",
        "Walk through the {job} quote options",
        "Confirm the colour choice for the {job}",
    ),
    Stage.FOLLOWING_UP: (
        "Check if the bank approved the {job} budget",
        "Offer a start date for the {job}",
        "See if the {job} quote still fits their plans",
        "Answer their questions about the {job} materials",
    ),
}


CALL_NOTES = {
    Outcome.VOICEMAIL: ("Left a voicemail with my mobile number",),
    Outcome.NO_ANSWER: ("No answer", "No answer; rang out"),
}


REACHED_QUOTE = (
    "Went through the quote; they're still comparing",
    "Answered questions about footings and drainage",
    "They like the design; waiting on one more quote",
    "Talked through timing and access for the job",
    "Still keen; sorting out the finance",
)


REACHED_SALE = {
    0: ("Thanked them for going ahead; start date confirmed",),
    2: (
        "Asked how it's going; they passed our number to a neighbour",
        "Happy with the work; asked them for a Google review",
    ),
    3: (
        "Checked in: it's holding up well; reminded them of the seasonal care",
        "All good; they might want a pergola next year",
    ),
}


REACHED_PARKED = ("Timing's better now; they asked for an updated quote",)


# What a done plan step left in the timeline: (cadence key, step position) → (subject, note).
STEP_NOTES: dict[tuple[str, int], tuple[str | None, str]] = {
    ("after_quote", 0): (None, "Texted to check the quote arrived; offered to answer questions"),
    ("after_quote", 2): (
        "Photos of a {job} we finished last month",
        "Sent photos of a similar job, with my mobile number",
    ),
    ("after_quote", 3): (None, "Posted a handwritten thank-you card"),
    ("after_quote", 5): (None, "Texted our current lead time"),
    ("after_quote", 6): ("Looking after your {job}", "Sent a care guide for the materials"),
    ("after_quote", 8): (None, "Texted how long the quoted prices hold"),
    ("after_quote", 9): (
        "The best months to build",
        "Sent photos of a recent job nearby and the best months to build",
    ),
    ("after_quote", 11): (None, "Posted a card: still here whenever the job is back on"),
    ("after_sale", 1): (None, "Texted to check access and timing for the start"),
    ("parked", 1): ("Your updated {job} quote", "Sent the refreshed quote at current prices"),
    ("birthday", 0): (None, "Posted a birthday card"),
    ("anniversary", 0): (None, "Posted an anniversary card with the yearly care reminder"),
}


GENERIC_NOTES = {
    Channel.TEXT: (
        "Texted to see if they had any questions about the quote",
        "Texted a photo of a similar job",
    ),
    Channel.EMAIL: (
        "Emailed a short check-in with my mobile number",
        "Emailed photos of a recent job nearby",
    ),
}


WON_NOTES = (
    (Channel.CALL, "Accepted the quote; deposit on its way"),
    (Channel.EMAIL, "Signed and returned the quote; deposit paid"),
    (Channel.TEXT, "Happy to go ahead, when can you start?"),
)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day_text(day: date) -> str:
    """ "Mon 14 Dec" whatever the machine's locale."""
    return f"{DAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1]}"


def when_said(delta: int, day: date, part: str) -> str:
    """How a customer names a day `delta` days ahead: "tomorrow arvo", "next Thursday"."""
    name = DAYS[day.weekday()]
    if delta <= 0:
        near = {"morning": "this morning", "arvo": "this arvo", "evening": "this evening"}
        return near.get(part, "today at lunchtime" if part == "lunchtime" else "today")
    base = "tomorrow" if delta == 1 else name if delta <= 6 else f"next {name}"
    if part == "lunchtime":
        return f"{base} at lunchtime"
    return f"{base} {part}" if part else base


def sentences(text: str) -> str:
    """Capitalise each sentence (a day named first reads "Tomorrow at lunchtime works")."""
    return ". ".join(s[:1].upper() + s[1:] for s in text.split(". "))


def hour_said(hour: int) -> str:
    return str(hour - 12 if hour > 12 else hour)
