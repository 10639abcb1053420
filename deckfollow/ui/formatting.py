"""Money, dates and times as the user's locale writes them, every moment on the owner's clock.

One clock: a moment is shown in the owner's zone (Settings › Your business), with the
customer's own time beside it where they live elsewhere ("Thu 10 Dec 10:00 am · 8:00 am
their time"). The owner's zone is set once when a database is opened and again whenever
it is changed; until then it is this computer's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit

from deckfollow.core.clock_format import ClockStyle, clock_style, set_clock_style
from deckfollow.core.currency_signs import currency_sign

# The owner's zone, once a database told it (one process shows one business).
_OWNER_ZONE: dict[str, str] = {}


def set_owner_zone(name: str) -> None:
    """Show every moment on this zone's clock from now on (the owner's, from settings)."""
    _OWNER_ZONE["zone"] = name


def owner_zone() -> str:
    """The IANA zone every time on screen is shown in."""
    if "zone" not in _OWNER_ZONE:
        from deckfollow.core.timezones import system_timezone

        _OWNER_ZONE["zone"] = system_timezone()
    return _OWNER_ZONE["zone"]


def owner_time(dt: datetime) -> datetime:
    """A moment on the owner's clock."""
    return dt.astimezone(ZoneInfo(owner_zone()))


def owner_qdatetime(dt: datetime) -> QDateTime:
    """A moment as a QDateTime on the owner's clock, to the minute (for date-time editors)."""
    secs = int(dt.timestamp()) // 60 * 60
    return QDateTime.fromSecsSinceEpoch(secs, QTimeZone(owner_zone().encode()))


def from_qdatetime(value: QDateTime) -> datetime:
    """What a date-time editor on the owner's clock holds, as an aware UTC moment."""
    from datetime import UTC

    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def use_sensible_locale(country: str | None = None) -> None:
    """A machine set to the bare "C" locale would print "12490.49US$" and "23 11 2026"; use
    English as written in the owner's country instead (any real locale the user chose is
    kept)."""
    if _bare(QLocale.system()):
        territory = QLocale.codeToTerritory((country or "").upper())
        if territory == QLocale.Country.AnyTerritory:
            territory = QLocale.Country.UnitedStates
        QLocale.setDefault(QLocale(QLocale.Language.English, territory))
    _share_clock_style(_written_locale())


def display_locale() -> QLocale:
    """The locale every text on screen is written in: the user's, or on a bare "C" machine
    English, even for what is shown before the owner's settings are read (the pipeline
    painted ahead at start-up) or where nothing set it (a report, a test)."""
    if _bare(QLocale()):
        use_sensible_locale()
    locale = _written_locale()
    _share_clock_style(locale)
    return locale


def written_with() -> tuple[str, str, object]:
    """What every time, day and amount on screen is written with: the owner's zone, the
    locale and the clock style. A text kept from an earlier paint is still right while
    this is unchanged."""
    return owner_zone(), display_locale().name(), clock_style()


def _written_locale() -> QLocale:
    locale = QLocale()
    if _bare(locale):  # the default was set to "C" on purpose: still never "12490.49US$"
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


# The locale the core's clock style was last taken from, and the style it gave.
_SHARED: dict[str, object] = {}


def _share_clock_style(locale: QLocale) -> None:
    """Have the core write times as the screen does, so a refusal in a dialog reads "Sat 28
    Nov 9:00 AM" beside the window's own "9:00 AM" (or "09:00" where the locale reads a
    24-hour clock). Taken again whenever the locale the screen writes in changes."""
    if _SHARED.get("name") == locale.name() and _SHARED.get("style") is clock_style():
        return
    short = QLocale.FormatType.ShortFormat
    morning = locale.toString(QTime(9, 0), short)
    evening = locale.toString(QTime(21, 0), short)
    hour12 = "21" not in evening
    style = ClockStyle(
        hour12=hour12,
        pad_hour=morning.startswith("09"),
        am=morning.removeprefix("0").removeprefix("9:00"),
        pm=evening.removeprefix("0").removeprefix("9:00") if hour12 else "",
        # Every day on screen is written day first ("Sat 5 Dec"), in any locale: a numeric
        # order that differs by country is what the screens avoid.
        day_first=True,
    )
    set_clock_style(style)
    _SHARED.update(name=locale.name(), style=style)


def _bare(locale: QLocale) -> bool:
    return locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage)


def currency_symbol(currency: str, home: str | None = None) -> str:
    """`$` for the user's own currency, an unambiguous symbol for others."""
    locale = display_locale()
    if home is None:
        home = locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    if currency == home:
        return locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencySymbol)
    return currency_sign(currency)


def money_text(amount: Decimal | None, currency: str, *, whole: bool = False) -> str:
    """12480.50 AUD -> "A$12,480.50" (in the user's locale's digits and separators)."""
    if amount is None:
        return ""
    return money_writer(currency, whole=whole)(amount)


def money_writer(currency: str, *, whole: bool = False) -> Callable[[Decimal], str]:
    """`money_text` for many amounts in one currency: the locale and the currency's symbol
    are looked up once (each lookup costs more than writing the amount), for as long as
    the locale stays the one in use."""
    locale = display_locale()
    symbol = currency_symbol(currency)
    digits = 0 if whole else 2

    def write(amount: Decimal) -> str:
        # Qt formats doubles; cents of a quote are exact well within a double's 15 digits.
        return locale.toCurrencyString(float(amount), symbol, digits)

    return write


def compact_money(amount: Decimal, currency: str, *, home: str | None = None) -> str:
    """A column total: "A$1.2M", "US$310k"; with `home`, the business's own currency, signed
    as the core's readings sign it ("$1.2M" for an Australian business's dollars, "£310k"),
    not as this computer's locale would."""
    symbol = currency_symbol(currency) if home is None else currency_sign(currency, home)
    value = float(amount)
    locale = display_locale()
    if value >= 1_000_000:
        return f"{symbol}{locale.toString(value / 1_000_000, 'f', 1)}M"
    if value >= 10_000:
        return f"{symbol}{locale.toString(round(value / 1_000))}k"
    return locale.toCurrencyString(value, symbol, 0)


def date_time_text(dt: datetime | None, tz: str | None = None, *, joiner: str = " ") -> str:
    """A moment on the owner's clock, short, in the user's locale: "Mon 23 Nov 2:30 pm", and
    "· 11:30 am their time" when `tz` (the customer's zone) reads another time."""
    if dt is None:
        return ""
    local = owner_time(dt)
    day = display_locale().toString(QDate(local.year, local.month, local.day), "ddd d MMM")
    text = f"{day}{joiner}{clock_text(local)}"
    theirs = their_time_text(dt, tz, owner_zone()) if tz else ""
    return f"{text} · {theirs} their time" if theirs else text


def clock_text(moment: datetime | time) -> str:
    """A wall-clock time as the user's locale writes it: "5:42 am" or "05:42"."""
    return display_locale().toString(
        QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat
    )


def weekday_time_text(dt: datetime, tz: str | None = None) -> str:
    """A moment in `tz` (else as given) with its weekday: "Sat 5:42 am" (for "their time
    now": everything else is on the owner's clock)."""
    local = dt.astimezone(ZoneInfo(tz)) if tz else dt
    day = display_locale().toString(QDate(local.year, local.month, local.day), "ddd")
    return f"{day} {clock_text(local)}"


def zone_date_time_text(dt: datetime, tz: str) -> str:
    """A moment on the clock of `tz` with its day: "Mon 23 Nov 9:00 am" (for "it is … there")."""
    local = dt.astimezone(ZoneInfo(tz))
    day = display_locale().toString(QDate(local.year, local.month, local.day), "ddd d MMM")
    return f"{day} {clock_text(local)}"


def full_date_time_text(dt: datetime, tz: str | None = None) -> str:
    """A moment with its year on the owner's clock: "Sat 5 Dec 2026 5:42 am" (and the
    customer's time beside it when `tz` reads another)."""
    local = owner_time(dt)
    day = display_locale().toString(QDate(local.year, local.month, local.day), "ddd d MMM yyyy")
    text = f"{day} {clock_text(local)}"
    theirs = their_time_text(dt, tz, owner_zone()) if tz else ""
    return f"{text} · {theirs} their time" if theirs else text


def their_time_text(dt: datetime, tz: str, home_tz: str | None = None) -> str:
    """The customer's wall clock at `dt` when it differs from the owner's, else "".

    Short: "4:45 pm", with the day ("Fri 4:45 pm") when it is another day there.
    """
    theirs = dt.astimezone(ZoneInfo(tz))
    home = dt.astimezone(ZoneInfo(home_tz or owner_zone()))
    if theirs.utcoffset() == home.utcoffset():
        return ""
    if theirs.date() == home.date():
        return clock_text(theirs)
    return weekday_time_text(theirs)


def long_date_text(d: date) -> str:
    """A day written out, in the user's locale: "Saturday 5 December"."""
    return display_locale().toString(QDate(d.year, d.month, d.day), "dddd d MMMM")


def date_text(d: date | datetime | None, tz: str | None = None) -> str:
    """A calendar day in the user's locale, short: "23 Nov 2026" (the year only if not this
    one); a moment's day is the owner's (`tz` is accepted for callers that name the
    customer's zone, and not used: one clock)."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = owner_time(d).date()
    pattern = "d MMM" if d.year == date.today().year else "d MMM yyyy"
    return display_locale().toString(QDate(d.year, d.month, d.day), pattern)


def clock_pattern() -> str:
    """The pattern a time editor writes a time of day in, as `clock_text` does: "h:mm AP"
    where the locale reads a 12-hour clock, "HH:mm" where it reads a 24-hour one."""
    return display_locale().timeFormat(QLocale.FormatType.ShortFormat)


def readable_time_edit(edit: QDateTimeEdit) -> None:
    """Write a time editor's time as every time on screen reads: "9:00 AM" or "09:00"."""
    edit.setLocale(display_locale())
    edit.setDisplayFormat(clock_pattern())


def readable_date_edit(edit: QDateTimeEdit, *, weekday: bool = False, clock: str = "") -> None:
    """Write a date editor's day as every day on screen reads: "7 Dec 2026" ("Mon 7 Dec
    2026" with `weekday`), in the user's language. A locale's numeric short form reads
    differently by country ("7/12/26" against "12/7/26"), and a machine left at the "C"
    locale writes "7 12 2026"; `clock` adds a time pattern (`clock_pattern()`)."""
    edit.setLocale(display_locale())
    day = "ddd d MMM yyyy" if weekday else "d MMM yyyy"
    edit.setDisplayFormat(f"{day} {clock}" if clock else day)


def counted(n: int, word: str, many: str | None = None) -> str:
    """ "1 quote", "1,204 quotes": a count with its word, singular for one."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def ago_text(then: datetime, now: datetime) -> str:
    """ "3 h", "2 d", "5 wk": how long ago, compact for cards and lists."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    if days < 28:
        return f"{days} d"
    if days < 365:
        return f"{days // 7} wk"
    return f"{days // 365} yr"
