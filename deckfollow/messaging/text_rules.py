"""What a text sent through a provider must say: who it is from, and how to opt out.

Where the customer's country requires it, the text ends with how to stop (docs/texts.md):
- US and Canada: CTIA messaging principles and the TCPA — identify the sender, "Reply STOP
  to opt out";
- Australia: Spam Act 2003 — identify the sender and give a functional unsubscribe;
- New Zealand: Unsolicited Electronic Messages Act 2007 — the same;
- United Kingdom and Ireland: PECR / ePrivacy — a simple means to refuse further messages.
Everywhere, a text names the business, so the customer knows who is writing.
"""

from __future__ import annotations

OPT_OUT_COUNTRIES = frozenset({"US", "CA", "AU", "NZ", "GB", "IE"})
OPT_OUT = "Reply STOP to opt out."


def needs_opt_out(country: str | None) -> bool:
    return (country or "").upper() in OPT_OUT_COUNTRIES


def compliant_text(body: str, *, business: str, country: str | None) -> str:
    """The text with the business named and, where required, the opt-out line added."""
    text = body.strip()
    name = " ".join(business.split())
    if name and name.casefold() not in text.casefold():
        text = f"{name}: {text}"
    if needs_opt_out(country) and "reply stop" not in " ".join(text.casefold().split()):
        text = f"{text}\n{OPT_OUT}"
    return text
