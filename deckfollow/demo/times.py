"""Times of day the demo's people act: waking hours in the customer's zone, working days."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from deckfollow.core.contact_hours import local_to_utc
from deckfollow.demo.jobs import Job
from deckfollow.demo.markets import Market
from deckfollow.demo.people import Person

T = TypeVar("T")


def weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def clock(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """`minutes` past midnight on a local day, as UTC."""
    return local_to_utc(day, time(minutes // 60, minutes % 60), tz)


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def daytime(rng: random.Random, day: date, tz: ZoneInfo, lo: int = 8, hi: int = 18) -> datetime:
    """A moment between `lo` and `hi` o'clock on a local day."""
    return clock(day, rng.randint(lo * 60, hi * 60 - 1), tz)


def reachable(rng: random.Random, person: Person, at: datetime) -> datetime:
    """`at`, or a little after the customer's allowed hours next open (nobody rings at 3 a.m.)."""
    if person.hours.allows(at):
        return at
    nxt = person.hours.next_allowed(at)
    if nxt is None:
        return at
    later = nxt + timedelta(minutes=rng.randint(3, 50))
    return later if person.hours.allows(later) else nxt


def money(rng: random.Random, job: Job, market: Market) -> Decimal:
    raw = Decimal(rng.randint(job.low, job.high)) * market.price_factor
    # Trades quote round figures, or now and then the exact total of their line items.
    rounded = (raw / 50).quantize(Decimal(1)) * 50
    if rng.random() < 0.3:
        rounded += Decimal(rng.randint(-4999, 4999)) / 100
    return rounded.quantize(Decimal("0.01"))


def working_day(day: date) -> date:
    """Nobody plans to ring a customer on Christmas Day, Boxing Day or New Year's Day."""
    while (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        day += timedelta(days=1)
    return day
