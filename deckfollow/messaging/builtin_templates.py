"""The built-in wording: the kinds of template each channel uses, and the words of every
built-in template (with the earlier words seeding brings up to date).

Words that need a value a customer may legitimately not have yet (a lead has no quote
amount) sit in optional `[[ … ]]` parts, so a script reads naturally without them.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckfollow.core.enums import Channel, TemplateKind

KIND_LABELS: dict[TemplateKind, str] = {
    TemplateKind.CALL_SCRIPT: "Call script",
    TemplateKind.VOICEMAIL: "Voicemail",
    TemplateKind.TEXT: "Text message",
    TemplateKind.EMAIL: "Email",
    TemplateKind.CARD: "Card",
}

# The kinds of wording each channel uses, the first being the usual one.
KINDS_FOR_CHANNEL: dict[Channel, tuple[TemplateKind, ...]] = {
    Channel.CALL: (TemplateKind.CALL_SCRIPT, TemplateKind.VOICEMAIL),
    Channel.TEXT: (TemplateKind.TEXT,),
    Channel.VIDEO: (TemplateKind.TEXT,),
    Channel.EMAIL: (TemplateKind.EMAIL,),
    Channel.CARD: (TemplateKind.CARD,),
    Channel.VISIT: (TemplateKind.CALL_SCRIPT,),
}

DEFAULT_KEY: dict[TemplateKind, str] = {
    TemplateKind.CALL_SCRIPT: "call_follow_up",
    TemplateKind.VOICEMAIL: "voicemail",
    TemplateKind.TEXT: "text_follow_up",
    TemplateKind.EMAIL: "email_follow_up",
    TemplateKind.CARD: "card_thank_you_quote",
}


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    name: str
    kind: TemplateKind
    body: str
    subject: str | None = None


_SIGNATURE = "{owner_name}\n{owner_business}\nCell: {owner_phone}"

BUILTIN_TEMPLATES: tuple[BuiltinTemplate, ...] = (
    BuiltinTemplate(
        "call_follow_up",
        "Call: follow up on a quote",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "Have you got a couple of minutes?\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "About the quote for {job}[[ ({quote_amount})]]:\n"
        "- What questions came up when you read it?\n"
        "- What matters most to you about the job: timing, materials or price?\n\n"
        "Before you hang up, agree the next step and its reason:\n"
        '"Is it OK if I check in again on ... in case anything else comes up?"\n\n'
        "If {first_name} isn't there: ask who else is involved in the decision, "
        "and when is a good time to call back.",
    ),
    BuiltinTemplate(
        "call_lead",
        "Call: first reply to an enquiry",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "Thanks for getting in touch about the {job}. Have you got a couple of minutes?\n\n"
        "[[The reason I'm calling is {reason}.\n\n]]"
        "- What would you like done, and by when?\n"
        "- Can I come and measure up? If it's easier, text a few photos to {owner_phone}.\n"
        "- Are you getting other quotes? (No problem either way: it helps me plan.)\n\n"
        "Before you hang up, agree the next step and its reason:\n"
        '"Is it OK if I come by on ... to measure up, and call you the day before?"\n\n'
        "If {first_name} isn't there: ask who else is involved in the decision, "
        "and when is a good time to call back.",
    ),
    BuiltinTemplate(
        "call_agreed",
        "Call: the time we agreed",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "You asked me to call {agreed_time}, so here I am.\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "- Has anything changed since we last spoke?\n"
        "[[- Anything in quote {quote_number} ({quote_amount}) you'd like me to explain or "
        "adjust?\n]]\n"
        "Agree the next step before you hang up (a time, a channel and a reason), "
        "or ask whether to park it and when to try again.",
    ),
    BuiltinTemplate(
        "call_after_sale",
        "Call: thank you after the sale",
        TemplateKind.CALL_SCRIPT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}.\n\n"
        "The reason I'm calling is {reason}.\n\n"
        "- Thank them for choosing you for the {job}.\n"
        "- Confirm the start date and anything they need to do before it.\n"
        "- Give your cell number for anything at all: {owner_phone}.",
    ),
    BuiltinTemplate(
        "voicemail",
        "Voicemail",
        TemplateKind.VOICEMAIL,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "The reason I'm calling is {reason}. "
        "You can call or text me on my cell, {owner_phone}, whenever suits you. "
        "I'll send you a quick text as well. Thanks, {first_name}.",
    ),
    BuiltinTemplate(
        "text_follow_up",
        "Text: follow up on a quote",
        TemplateKind.TEXT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
        "The reason I'm texting is {reason}. "
        "Reply here or call me on {owner_phone} if it's easier.",
    ),
    BuiltinTemplate(
        "text_lead",
        "Text: first reply to an enquiry",
        TemplateKind.TEXT,
        "Hi {first_name}, it's {owner_first_name} from {owner_business}. Thanks for getting "
        "in touch about the {job}.[[ The reason I'm texting is {reason}.]] "
        "Reply here or call me on {owner_phone}, whichever suits.",
    ),
    BuiltinTemplate(
        "text_agreed",
        "Text: the time we agreed",
        TemplateKind.TEXT,
        "Hi {first_name}, {owner_first_name} from {owner_business} here, as agreed. "
        "The reason I'm texting is {reason}. "
        "Happy to chat: {owner_phone}.",
    ),
    BuiltinTemplate(
        "email_follow_up",
        "Email: follow up on a quote",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "The reason I'm writing is {reason}.\n\n"
        "[[Your quote {quote_number} for {job} comes to {quote_amount}. ]]If anything in the "
        "quote raised a question, reply to this email or call or text me on {owner_phone} "
        "(that's my cell). A two-minute chat usually sorts everything out.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your quote[[ {quote_number}]] from {owner_business}",
    ),
    BuiltinTemplate(
        "email_lead",
        "Email: first reply to an enquiry",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "Thanks for getting in touch with {owner_business} about the {job}.\n\n"
        "[[The reason I'm writing is {reason}.\n\n]]"
        "The quickest way to a firm price is a short visit to measure up. If you'd rather, "
        "reply with a few photos and rough measurements and I'll come back to you with a "
        "first idea. Call or text me on {owner_phone} (that's my cell) to pick a time.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your enquiry about the {job}",
    ),
    BuiltinTemplate(
        "email_saw_this",
        "Email: saw this and thought of you",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "I saw this and thought of you and your plans for the {job}.\n\n"
        "No pressure at all. If you'd like to talk it over, reply to this email or call or "
        "text me on {owner_phone}.\n\n"
        "All the best,\n" + _SIGNATURE,
        "Saw this and thought of you, {first_name}",
    ),
    BuiltinTemplate(
        "email_refreshed_quote",
        "Email: refreshed quote after a pause",
        TemplateKind.EMAIL,
        "Hi {first_name},\n\n"
        "The reason I'm writing is {reason}.\n\n"
        "I've brought quote {quote_number} for {job} up to date with today's prices: "
        "{quote_amount}. If the timing suits you now, reply to this email or call me on "
        "{owner_phone} and we'll find a start date.\n\n"
        "Thanks,\n" + _SIGNATURE,
        "Your updated quote from {owner_business}",
    ),
    BuiltinTemplate(
        "card_thank_you_quote",
        "Card: thank you for the chance to quote",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Thank you for asking us to quote for your {job}. Whatever you decide, it was a "
        "pleasure to meet you. If any question comes up, my cell is {owner_phone}.\n\n"
        "Warm regards,\n{owner_first_name}",
    ),
    BuiltinTemplate(
        "card_after_sale",
        "Card: thank you after the sale",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Thank you for choosing {owner_business} for your {job}. We'll look after it as if "
        "it were our own. If anything ever needs a look, call me on {owner_phone}.\n\n"
        "With thanks,\n{owner_first_name}",
    ),
    BuiltinTemplate(
        "card_saw_this",
        "Card: saw this and thought of you",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "I saw this and thought of you. No need to reply; I just wanted you to have it. "
        "Whenever the {job} is back on the list, I'm here.\n\n"
        "All the best,\n{owner_first_name}\n{owner_phone}",
    ),
    BuiltinTemplate(
        "card_birthday",
        "Card: happy birthday",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Happy birthday! Wishing you a wonderful day and a great year ahead.\n\n"
        "Best wishes,\n{owner_first_name} at {owner_business}",
    ),
    BuiltinTemplate(
        "card_holiday",
        "Card: season's greetings",
        TemplateKind.CARD,
        "Dear {first_name},\n\n"
        "Wishing you and yours a happy holiday season and a great new year. "
        "Thank you for being part of our year.\n\n"
        "Warm wishes,\n{owner_first_name} and everyone at {owner_business}",
    ),
)

BUILTIN_BY_KEY = {t.key: t for t in BUILTIN_TEMPLATES}

# Earlier words of built-in templates (name, subject, body). A row still holding them was
# never edited by the owner, so seeding brings it up to date.
RETIRED: dict[str, tuple[tuple[str, str | None, str], ...]] = {
    "call_follow_up": (
        (
            "Call: follow up on a quote",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "Have you got a couple of minutes?\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "About the quote for {job} ({quote_amount}):\n"
            "- What questions came up when you read it?\n"
            "- What matters most to you about the job: timing, materials or price?\n\n"
            "Before you hang up, agree the next step and its reason:\n"
            '"Is it OK if I check in again on ... in case anything else comes up?"\n\n'
            "If {first_name} isn't there: ask who else is involved in the decision, "
            "and when is a good time to call back.",
        ),
    ),
    "call_agreed": (
        (
            "Call: the time we agreed",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "You asked me to call {agreed_time}, so here I am.\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "- Has anything changed since we last spoke?\n"
            "- Anything in quote {quote_number} you'd like me to explain or adjust?\n\n"
            "Agree the next step before you hang up (a time, a channel and a reason), "
            "or ask whether to park it and when to try again.",
        ),
    ),
    # A lead's first reply reads naturally without a reason too (Call… from the details).
    "call_lead": (
        (
            "Call: first reply to an enquiry",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. "
            "Thanks for getting in touch about the {job}. Have you got a couple of minutes?\n\n"
            "The reason I'm calling is {reason}.\n\n"
            "- What would you like done, and by when?\n"
            "- Can I come and measure up? If it's easier, text a few photos to {owner_phone}.\n"
            "- Are you getting other quotes? (No problem either way: it helps me plan.)\n\n"
            "Before you hang up, agree the next step and its reason:\n"
            '"Is it OK if I come by on ... to measure up, and call you the day before?"\n\n'
            "If {first_name} isn't there: ask who else is involved in the decision, "
            "and when is a good time to call back.",
        ),
    ),
    "text_lead": (
        (
            "Text: first reply to an enquiry",
            None,
            "Hi {first_name}, it's {owner_first_name} from {owner_business}. Thanks for getting "
            "in touch about the {job}. The reason I'm texting is {reason}. "
            "Reply here or call me on {owner_phone}, whichever suits.",
        ),
    ),
    "email_lead": (
        (
            "Email: first reply to an enquiry",
            "Your enquiry about the {job}",
            "Hi {first_name},\n\n"
            "Thanks for getting in touch with {owner_business} about the {job}.\n\n"
            "The reason I'm writing is {reason}.\n\n"
            "The quickest way to a firm price is a short visit to measure up. If you'd rather, "
            "reply with a few photos and rough measurements and I'll come back to you with a "
            "first idea. Call or text me on {owner_phone} (that's my cell) to pick a time.\n\n"
            "Thanks,\n" + _SIGNATURE,
        ),
    ),
    "email_follow_up": (
        (
            "Email: follow up on a quote",
            "Your quote {quote_number} from {owner_business}",
            "Hi {first_name},\n\n"
            "The reason I'm writing is {reason}.\n\n"
            "Your quote {quote_number} for {job} comes to {quote_amount}. If anything in it "
            "raised a question, reply to this email or call or text me on {owner_phone} (that's "
            "my cell). A two-minute chat usually sorts everything out.\n\n"
            "Thanks,\n" + _SIGNATURE,
        ),
    ),
}
