"""What demo customers say: consent given and refused, agreements, replies, notes."""

from __future__ import annotations

from dataclasses import dataclass

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

# What a customer said about the post when they gave their address (a card, the quote).
POST_GRANT_WORDS: tuple[str, ...] = (
    "Happy to get the quote in the post at that address.",
    "Post is fine, that's the house.",
    "You can post anything to that address.",
)

# What a customer says when they close one channel: the words fit the channel closed (the
# ledger is evidence), and they say it on a channel that still suits them.
REVOKE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "text": (
        ("Please stop texting me, call if you need to.", "call"),
        ("No more texts please.", "text"),
        ("Can you stop the texts? Email me instead.", "email"),
    ),
    "email": (
        ("Take me off the email list.", "email"),
        ("Please stop emailing, I'll call you if I need anything.", "email"),
        ("No more emails thanks, text is fine.", "text"),
    ),
    "call": (
        ("Please don't call, I can't answer at work. Text me.", "text"),
        ("No phone calls please, email is best.", "email"),
        ("Stop ringing me please, I'll text you when we're ready.", "text"),
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
