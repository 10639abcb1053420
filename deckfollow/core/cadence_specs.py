"""Cadences as plain data: steps, the day a plan counts from, and the built-in plans.

A cadence is a named plan of follow-ups, each step with its day, channel and reason.
The UI edits these values; `core.cadence_library` stores them, `core.cadence_placement`
places their steps, `core.cadence_runs` runs them for a customer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deckfollow.core.enums import CadenceAnchor, Channel

# What day 0 of a cadence is (kept under its old name for readability).
Anchor = CadenceAnchor


@dataclass(frozen=True)
class StepSpec:
    offset_days: int
    channel: Channel
    reason: str
    at_hour: int | None = None
    template_key: str | None = None


@dataclass(frozen=True)
class CadenceSpec:
    """A cadence as plain data (what the UI edits and the built-ins are written in)."""

    key: str
    name: str
    description: str
    steps: tuple[StepSpec, ...]
    anchor: Anchor = Anchor.START
    repeat_yearly: bool = False
    repeat_last_every_days: int | None = None
    builtin: bool = False
    id: int | None = field(default=None, compare=False)


# Reasons are the owner's note of why (the Today list shows them); scripts turn them to
# the customer ("The reason I'm calling is to check whether …", "them" becoming "you").
BUILTIN: tuple[CadenceSpec, ...] = (
    CadenceSpec(
        "after_quote",
        "After a quote",
        "Twelve touches over six months after a quote goes out: text, call, email and a "
        "handwritten card, each with a real reason.",
        (
            StepSpec(
                1,
                Channel.TEXT,
                "Check the quote arrived and offer to answer questions "
                "while it's fresh (ask where to text photos)",
                10,
            ),
            StepSpec(
                3,
                Channel.CALL,
                "Walk through the quote and hear what matters most to them about the job",
                17,
            ),
            StepSpec(
                7,
                Channel.EMAIL,
                "Send photos of a similar job we finished, with my cell number to call or text",
            ),
            StepSpec(10, Channel.CARD, "Handwritten thank-you for the chance to quote"),
            StepSpec(
                14,
                Channel.CALL,
                "Check whether the materials or the timing raised any questions",
                17,
            ),
            StepSpec(21, Channel.TEXT, "Share our current lead time so you can plan around it", 10),
            StepSpec(
                35,
                Channel.EMAIL,
                "Saw this and thought of you: a care guide for the materials in your quote",
            ),
            StepSpec(
                50,
                Channel.CALL,
                "See whether their plans or budget changed, so the quote still fits",
                17,
            ),
            StepSpec(
                70,
                Channel.TEXT,
                "Let you know until when the quoted prices hold, or offer to refresh them",
                10,
            ),
            StepSpec(
                100, Channel.EMAIL, "The best months to build, with photos of a recent job nearby"
            ),
            StepSpec(
                140,
                Channel.CALL,
                "Ask whether to keep the quote open or park it until the time suits them",
                17,
            ),
            StepSpec(
                180,
                Channel.CARD,
                "Saw-this-and-thought-of-you card: still here whenever the job is back on the list",
            ),
        ),
        builtin=True,
    ),
    CadenceSpec(
        "after_sale",
        "After the sale",
        "Thank-you call the night of the sale, a check the next day, a referral call at "
        "three weeks, then a check-in about every three months.",
        (
            StepSpec(0, Channel.CALL, "Thank you for choosing us, and confirm the start date", 18),
            StepSpec(
                1,
                Channel.TEXT,
                "Check everything is clear for the start: access, "
                "timing, anything you're unsure of",
                10,
            ),
            StepSpec(
                21,
                Channel.CALL,
                "Ask how it's going and whether friends or neighbours could use the same",
                17,
            ),
            StepSpec(
                111,
                Channel.CALL,
                "Hear how the work is holding up and remind them of the seasonal care",
                17,
            ),
        ),
        repeat_last_every_days=91,
        builtin=True,
    ),
    CadenceSpec(
        "parked",
        "Parked: revisit",
        "Come back on the date you agreed to try again, with an up-to-date quote.",
        (
            StepSpec(
                0,
                Channel.CALL,
                "We agreed to try again about now: ask if the timing is better "
                "and whether to update the quote",
                10,
            ),
            StepSpec(
                2, Channel.EMAIL, "Send the refreshed quote with current prices and my cell number"
            ),
        ),
        anchor=Anchor.PARKED_UNTIL,
        builtin=True,
    ),
    CadenceSpec(
        "birthday",
        "Birthday card",
        "A handwritten birthday card every year, posted a week early so it arrives on time.",
        (StepSpec(-7, Channel.CARD, "Happy birthday card (posted to arrive on the day)"),),
        anchor=Anchor.BIRTHDAY,
        repeat_yearly=True,
        builtin=True,
    ),
    CadenceSpec(
        "anniversary",
        "Anniversary card",
        "A card each year on the anniversary of the job (start it on the day of the sale).",
        (
            StepSpec(
                358,
                Channel.CARD,
                "Anniversary card: a year since we built it, with a reminder about its yearly care",
            ),
        ),
        repeat_yearly=True,
        builtin=True,
    ),
)
