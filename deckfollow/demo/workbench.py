"""What every part of the demo shares: its randomness, `now`, the business, the rows so far."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deckfollow.core.cadence_batch import PlanBatch
from deckfollow.core.cadence_library import list_cadences
from deckfollow.core.cadence_specs import CadenceSpec
from deckfollow.core.enums import (
    Stage,
)
from deckfollow.core.models import (
    Customer,
    Quote,
)
from deckfollow.core.settings import load_settings
from deckfollow.demo.markets import Market, market_of
from deckfollow.demo.people import Agreement, HandPlan, Person, StoryQuote
from deckfollow.demo.times import daytime, local_day

# Out-of-area customers of a local business (that share of all, exactly): a holiday home
# interstate, a family across the border. Everyone else lives in the business's region.
_INTERSTATE = 0.015


_ACROSS_THE_BORDER = 0.01


# A small business runs a few hundred plans at once; a demo of thousands of customers gives
# plans to a bounded share of them (the shares above scale down), which also keeps a
# 20,000-quote demo quick to generate.
_PLAN_BUDGET = 1500  # plan runs, plus one for every ten customers


_PLANS_PER_CUSTOMER = 0.55  # how many runs the shares above give a customer on average


class Ids:
    """Next free primary key per table, so rows can refer to each other before they are
    entered (provisional: the core numbers customers and quotes as it adds them,
    `customers_added`, `quotes_entered`)."""

    def __init__(self, session: Session) -> None:
        self._next: dict[type[Any], int] = {
            m: int(session.execute(select(func.coalesce(func.max(m.id), 0))).scalar_one()) + 1
            for m in (Customer, Quote)
        }

    def take(self, model: type[Any]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


class Workbench:
    """The demo being built: randomness, `now`, the plans and every row so far."""

    def __init__(
        self, session: Session, rng: random.Random, now: datetime, customers: int, home: Market
    ) -> None:
        self.rng = rng
        # The business quotes in its own currency and words, whoever the customer is.
        self.home = home
        self.local = tuple(p for p in home.places if p.region == home.home_region)
        self.interstate = tuple(p for p in home.places if p.region != home.home_region)
        neighbour = market_of(home.neighbour)
        self.neighbour = neighbour or home
        self.across = (
            tuple(p for p in self.neighbour.places if p.region == self.neighbour.home_region)
            or self.local
        )
        interstate = int(customers * _INTERSTATE) if self.interstate else 0
        away = rng.sample(range(customers), interstate + int(customers * _ACROSS_THE_BORDER))
        self.away = {i: i in away[:interstate] for i in away}  # index: True for interstate
        self.now = now
        budget = _PLAN_BUDGET + customers / 10
        self.plan_scale = min(1.0, budget / (customers * _PLANS_PER_CUSTOMER))
        self.ids = Ids(session)
        settings = load_settings(session)
        self.cap = settings.weekly_cap
        # Quotes are sent on a day in the owner's clock (`core.quotes.sent_moment`).
        self.owner_tz = ZoneInfo(settings.owner_timezone)
        self.plans: dict[str, CadenceSpec] = {
            c.key: c for c in list_cadences(session) if c.builtin and c.id is not None
        }
        self.customers: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.touches: list[dict[str, Any]] = []
        # The plans' runs and steps, started and moved on by the core (`start_plans`).
        self._book: PlanBatch | None = None
        # Next contacts customers agreed to: entered through the core once the rows are in.
        self.agreements: list[Agreement] = []
        # Next contacts the owner planned by hand: entered through the core the same way.
        self.hand_plans: list[HandPlan] = []
        self.emails: set[str] = set()
        self.by_id: dict[int, StoryQuote] = {}
        self.made_overdue = self.made_today = 0

    def start_plans(self, session: Session) -> None:
        """Plans can start once the customers are in: the core reads their rules."""
        self._book = PlanBatch(session)

    @property
    def book(self) -> PlanBatch:
        assert self._book is not None, "the customers go in before any plan starts"
        return self._book

    @property
    def follow_ups(self) -> list[dict[str, Any]]:
        """Every plan step so far (pending, done, cancelled)."""
        return self._book.steps if self._book is not None else []

    @property
    def runs(self) -> list[dict[str, Any]]:
        return [r.row for r in self._book.runs] if self._book is not None else []

    def touch(self, row: dict[str, Any]) -> dict[str, Any]:
        """Log a touch; its quote remembers when it was last touched."""
        self.touches.append(row)
        q = self.by_id.get(row["quote_id"]) if row["quote_id"] is not None else None
        if q is not None and (q.last_touch is None or row["at"] > q.last_touch):
            q.last_touch = row["at"]
        return row

    def before_now(self, person: Person, at: datetime, hours: int) -> datetime:
        """`at`, or if that is not at least `hours` ago, the latest waking moment that is (an
        acceptance "two hours ago" at 6 a.m. their time reads as last evening instead)."""
        latest = self.now - timedelta(hours=hours)
        if at <= latest:
            return at
        local = latest.astimezone(person.tz)
        if 8 <= local.hour < 21:
            return latest
        day = local.date() - timedelta(days=1) if local.hour < 8 else local.date()
        evening = daytime(self.rng, day, person.tz, 17, 20)
        return min(evening, latest)

    @staticmethod
    def bought_before(person: Person) -> bool:
        return any(q.row["stage"] is Stage.WON for q in person.quotes)

    def received(self, person: Person, days_ago: int) -> datetime:
        """An enquiry `days_ago` days back, at a time people fill in forms and ring."""
        day = local_day(self.now, person.tz) - timedelta(days=days_ago)
        at = daytime(self.rng, day, person.tz, 7, 22)
        return min(at, self.now - timedelta(minutes=15))

    def plan(self, share: float) -> bool:
        """Does this quote or customer run a plan (given its share, scaled to the budget)?"""
        return self.rng.random() < share * self.plan_scale
