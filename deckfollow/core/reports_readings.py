"""Each report figure read out in one line of plain words, for the owner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from deckfollow.core.currency_signs import currency_sign
from deckfollow.core.reports_model import CountValue, ValueRate, rate


@dataclass(frozen=True)
class Who:
    """Whose figures a reading speaks of: the owner ("you") or a team member by name."""

    subject: str  # "You won …", "Sam won …"
    owner: str  # "Your wins …", "Sam’s wins …"
    mid: str  # "… the quotes you lost", "… the quotes Sam lost"
    their: str  # "Half your leads …", "Half Sam’s leads …"

    @classmethod
    def member(cls, name: str) -> Who:
        """A member by the name people know them by ("Sam Lee" -> "Sam Lee’s wins")."""
        owner = f"{name}’" if name.endswith("s") else f"{name}’s"
        return cls(name, owner, name, owner)


YOU = Who("You", "Your", "you", "your")


def percent(part: int | Decimal, whole: int | Decimal) -> str:
    """ "42%" (whole percents, from the same two-place rate the JSON gives)."""
    value = rate(part, whole)
    return "–" if value is None else f"{value * 100:.0f}%"


def money(currency: str, amount: Decimal, home: str = "") -> str:
    """ "US$125,864", "£950", "CHF 1,200": whole units, written as the rest of the app does."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_sign(currency, home)}{abs(amount):,.0f}"


def short_money(currency: str, amount: Decimal, home: str = "") -> str:
    """ "A$1.38M", "A$309k", "A$950": for readings that name several amounts."""
    size = abs(amount)
    sign = "-" if amount < 0 else ""
    if size >= 1_000_000:
        return f"{sign}{currency_sign(currency, home)}{size / 1_000_000:.2f}M"
    if size >= 10_000:
        return f"{sign}{currency_sign(currency, home)}{size / 1000:.0f}k"
    return money(currency, amount, home)


def _number(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


def _duration(minutes: Decimal) -> str:
    if minutes < 60:
        return f"{_number(minutes)} min"
    if minutes < 48 * 60:
        return f"{_number((minutes / 60).quantize(Decimal('0.1')))} h"
    return f"{_number((minutes / 1440).quantize(Decimal('0.1')))} days"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def win_rate(
    won: int,
    decided: int,
    still_open: int,
    values: tuple[ValueRate, ...],
    low: int,
    high: int,
    who: Who = YOU,
    home: str = "",
) -> str:
    if not decided:
        return (
            f"No quotes were sent {low}–{high} days before the end of this period, so there is"
            " no win rate to judge yet."
        )
    text = (
        f"{who.subject} won {won:,} of the {_plural(decided, 'quote')} sent {low}–{high} days"
        f" before the end ({percent(won, decided)})"
    )
    if still_open:
        text += f"; {still_open:,} still open"
    # "US$126k won of US$950k quoted (13%)": the share, with the money it is a share of.
    by_value = "; ".join(
        f"{short_money(v.currency, v.won, home)} won of {short_money(v.currency, v.decided, home)}"
        f" quoted ({percent(v.won, v.decided)})"
        for v in values
        if v.decided
    )
    return text + (f". By value: {by_value}." if by_value else ".")


def touches_won(
    quotes: int, median: Decimal | None, in_range: int, low: int, high: int, who: Who = YOU
) -> str:
    if not quotes or median is None:
        return "No quotes were won in this period."
    return (
        f"{who.owner} wins took a median of {_number(median)} touches; {in_range:,} of {quotes:,}"
        f" ({percent(in_range, quotes)}) took {low}–{high}, the range most sales need."
    )


def lost_no_reply(quotes: int, one_or_none: int, who: Who = YOU) -> str:
    if not quotes:
        return "No quotes were lost for want of a reply in this period."
    return (
        f"{percent(one_or_none, quotes)} of the quotes {who.mid} lost for no reply got one"
        f" follow-up or none ({one_or_none:,} of {quotes:,})."
    )


def speed_to_lead(
    leads: int,
    answered: int,
    median: Decimal | None,
    within_5: int,
    within_day: int,
    who: Who = YOU,
) -> str:
    if not leads:
        return "No leads came in during this period."
    if median is None:
        return f"None of the {_plural(leads, 'lead')} has had a first answer yet."
    text = (
        f"Half of {who.their} leads had a first answer within {_duration(median)};"
        f" {percent(within_5, leads)} within 5 minutes, {percent(within_day, leads)} within a day."
    )
    if leads > answered:
        text += f" {leads - answered:,} still waiting."
    return text


def discipline(
    due: int, on_time: int, late: int, late_hours: Decimal | None, missed: int, agreed_missed: int
) -> str:
    if not due:
        return "No follow-ups fell due in this period."
    text = f"{percent(on_time, due)} of the {_plural(due, 'follow-up')} due were done on time"
    if late and late_hours is not None:
        text += f", {late:,} late (typically {_duration(late_hours * 60)})"
    text += f", {missed:,} missed."
    if agreed_missed:
        text += f" {_plural(agreed_missed, 'agreed follow-up')} missed: promises broken."
    elif missed == 0 and late == 0:
        text += " Every promise kept."
    return text


def pipeline(
    open_totals: Mapping[str, CountValue], parked: Mapping[str, CountValue], home: str = ""
) -> str:
    if not open_totals and not parked:
        return "Nothing is open in the pipeline right now."
    parts = [
        f"{short_money(cur, cell.value, home)} in {_plural(cell.count, 'open quote')}"
        for cur, cell in open_totals.items()
    ]
    text = "Open now: " + "; ".join(parts) if parts else "No open quotes now"
    parked_count = sum(c.count for c in parked.values())
    if parked_count:
        text += f", and {_plural(parked_count, 'parked quote')} to revisit"
    return text + "."


def by_month(
    quoted: Mapping[str, CountValue],
    won: Mapping[str, CountValue],
    lost: Mapping[str, CountValue],
    who: Who = YOU,
    home: str = "",
) -> str:
    if not (quoted or won or lost):
        return "Nothing was quoted, won or lost in this period."
    parts = []
    for cur in sorted(set(quoted) | set(won) | set(lost)):
        zero = CountValue(0, Decimal(0))
        parts.append(
            f"quoted {short_money(cur, quoted.get(cur, zero).value, home)},"
            f" won {short_money(cur, won.get(cur, zero).value, home)},"
            f" lost {short_money(cur, lost.get(cur, zero).value, home)}"
        )
    return f"In this period {who.mid} " + "; ".join(parts) + "."


def lost_reasons(total: int, top: tuple[str, int] | None) -> str:
    if not total or top is None:
        return "No quotes were lost in this period."
    reason, count = top
    return f"The most common reason for a lost quote: “{reason}” ({count:,} of {total:,})."


def time_in_stage(lead_to_quoted: Decimal | None, quoted_to_decided: Decimal | None) -> str:
    if lead_to_quoted is None and quoted_to_decided is None:
        return "Not enough quotes were sent or decided in this period to tell."
    parts = []
    if lead_to_quoted is not None:
        parts.append(f"a lead typically waits {_number(lead_to_quoted)} days for its quote")
    if quoted_to_decided is not None:
        parts.append(f"a quote is decided {_number(quoted_to_decided)} days after it is sent")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
