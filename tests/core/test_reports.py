"""Every report figure on a small business built by hand, against values worked out by hand.

The business is built through the core services (new leads, logged touches, stage moves,
follow-ups planned, done, skipped and closed). A quote's amount and sent date have no
service of their own yet, so `_send` sets those two fields and then moves the stage.

The period is June 2026 in Sydney (UTC+10 all month): it starts 2026-05-31 14:00 UTC and
ends 2026-06-30 14:00 UTC. Win rate counts quotes sent 30 to 90 days before that end:
from 2026-04-01 14:00 UTC to 2026-05-31 14:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from deckfollow.core.enums import Basis, Channel, Direction, FollowUpStatus, Outcome, Stage
from deckfollow.core.errors import ValidationError
from deckfollow.core.follow_up_closing import close_follow_up
from deckfollow.core.followups import FollowUpPlan
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import FollowUp, Quote
from deckfollow.core.pipeline import Close, close_quote, move_stage
from deckfollow.core.report_periods import (
    PeriodKind,
    custom,
    financial_year,
    financial_year_start_month,
    this_month,
)
from deckfollow.core.reports import build_report, job_type
from deckfollow.core.reports_behind import Drill, Figure, quotes_behind
from deckfollow.core.settings import save_setting
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.storage.database import Database
from tests.conftest import Prebuilt

NOW = datetime(2026, 7, 5, 0, 0, tzinfo=UTC)
JUNE = custom(date(2026, 6, 1), date(2026, 6, 30), "Australia/Sydney")


def t(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Q:
    customer_id: int
    quote_id: int


_CURRENCY = {"AU": "AUD", "GB": "GBP"}


class Business:
    """Verbs for building the business through the services, one unit of work each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def lead(self, name: str, at: datetime, job: str, source: str | None, country: str) -> Q:
        with self.db.unit_of_work() as s:
            made = add_lead(s, NewLead(name, job=job, source=source, country=country), now=at)
            # This business quotes its British customers in pounds (a new lead starts in the
            # business's own currency), and was drawn before every new lead got a first
            # reply planned at once: that row is left out, so the hand count stays as drawn.
            quote = s.get(Quote, made.quote_id)
            assert quote is not None
            quote.currency = _CURRENCY[country]
            if made.follow_up_id is not None:
                s.delete(s.get(FollowUp, made.follow_up_id))
            return Q(made.customer_id, made.quote_id)

    def send(self, q: Q, amount: str, at: datetime) -> None:
        with self.db.unit_of_work() as s:
            quote = s.get(Quote, q.quote_id)
            assert quote is not None
            quote.amount = Decimal(amount)
            quote.sent_at = at
            move_stage(s, q.quote_id, Stage.QUOTED, now=at)

    def touch(
        self,
        q: Q,
        at: datetime,
        then: FollowUpPlan | Close,
        *,
        done: int | None = None,
    ) -> int | None:
        """An outbound email; `done` is the follow-up it carries out. Returns the next one."""
        with self.db.unit_of_work() as s:
            log_touch(
                s,
                TouchRecord(
                    q.customer_id,
                    Channel.EMAIL,
                    Direction.OUTBOUND,
                    Outcome.SENT,
                    at,
                    quote_id=q.quote_id,
                    follow_up_id=done,
                ),
                then,
                now=at,
            )
            return s.execute(
                select(FollowUp.id)
                .where(FollowUp.quote_id == q.quote_id, FollowUp.status == FollowUpStatus.PENDING)
                .order_by(FollowUp.id.desc())
            ).scalar()

    def close(self, q: Q, stage: Stage, at: datetime, reason: str | None = None) -> None:
        with self.db.unit_of_work() as s:
            close_quote(s, q.quote_id, Close(stage, lost_reason=reason), now=at)

    def skip(self, follow_up_id: int, at: datetime) -> None:
        with self.db.unit_of_work() as s:
            close_follow_up(s, follow_up_id, FollowUpStatus.SKIPPED, now=at)


def email(due: datetime) -> FollowUpPlan:
    return FollowUpPlan(due, Channel.EMAIL, "Check they have the quote and answer questions")


@pytest.fixture
def shop(db: Database, prebuilt: Prebuilt) -> dict[str, Q]:
    """The shop's year of quotes (built once per run, then copied into each test's database)."""
    return prebuilt.fill(db, "reports shop", _shop)


def _shop(db: Database) -> dict[str, Q]:
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Harbour Decks")
        save_setting(s, "owner_timezone", "Australia/Sydney")
        save_setting(s, "default_country", "AU")
    b = Business(db)
    q: dict[str, Q] = {}

    # Q1: won in June after 7 touches; AUD 10,000 sent 2 May (in the win-rate cohort).
    q["deck"] = b.lead("Ada Deck", t(5, 1), "Hardwood deck — merbau, 40 m²", "referral", "AU")
    fu = b.touch(q["deck"], t(5, 1, 0, 30), email(t(5, 5)))
    b.send(q["deck"], "10000.00", t(5, 2))
    for done_at, next_due in (
        (t(5, 5, 1), t(5, 12)),
        (t(5, 12, 1), t(5, 19)),
        (t(5, 19, 1), t(5, 26)),
        (t(5, 26, 1), t(6, 2)),
        (t(6, 2, 1), t(6, 9)),  # done on time for the one due 2 June
    ):
        fu = b.touch(q["deck"], done_at, email(next_due), done=fu)
    # Exactly 24 hours after it fell due: still on time.
    b.touch(q["deck"], t(6, 10), Close(Stage.WON), done=fu)

    # Q2: lost in June for no reply, with one follow-up after sending; AUD 5,000.
    q["pergola"] = b.lead("Ben Pergola", t(4, 20), "Pergola: louvred", "Google", "AU")
    fu = b.touch(q["pergola"], t(4, 20, 2), email(t(4, 28)))
    b.send(q["pergola"], "5000.00", t(4, 21))
    b.touch(q["pergola"], t(4, 28, 1), email(t(5, 5)), done=fu)
    b.close(q["pergola"], Stage.LOST, t(6, 5), "No reply after several tries")

    # Q3: GBP 2,000, still open; its follow-up due 15 June was skipped.
    q["fence"] = b.lead("Cy Fence", t(5, 10), "Garden fence - close-board", None, "GB")
    fu = b.touch(q["fence"], t(5, 10, 1), email(t(6, 15)))
    b.send(q["fence"], "2000.00", t(5, 11))
    assert fu is not None
    b.skip(fu, t(6, 15, 5))

    # Q4: GBP 3,000, won in May (counts in the win rate, not in June's touches to close).
    q["fence2"] = b.lead("Di Fence", t(4, 5), "Garden fence - horizontal", "website form", "GB")
    b.touch(q["fence2"], t(4, 5, 0, 10), email(t(4, 12)))
    b.send(q["fence2"], "3000.00", t(4, 6))
    b.close(q["fence2"], Stage.WON, t(5, 20))

    # Q5: too young for the win rate; answered after 3 minutes with an agreed follow-up
    # on 8 June that was never done (a promise broken).
    q["carport"] = b.lead("Ed Carport", t(6, 1), "Carport, double", "referral", "AU")
    b.touch(
        q["carport"],
        t(6, 1, 0, 3),
        FollowUpPlan(
            t(6, 8), Channel.CALL, "Talk through the carport options", Basis.AGREED,
            "Call me Monday week",
        ),
    )  # fmt: skip
    b.send(q["carport"], "8000.00", t(6, 3))

    # Q6: a lead never answered.
    q["restore"] = b.lead("Flo Restore", t(6, 15), "Deck restoration", "Facebook", "AU")

    # Q7: sent too long ago for the win rate (March), won in March.
    q["old"] = b.lead("Gus Old", t(2, 28), "Roof repairs", "referral", "AU")
    b.send(q["old"], "1000.00", t(3, 1))
    b.close(q["old"], Stage.WON, t(3, 20))

    # Q8: answered after 2 hours; its follow-up due 12 June done 60 hours late, the next
    # one (due 19 June) left undone until the quote was lost on 25 June: lapsed.
    q["pergola2"] = b.lead("Hal Pergola", t(6, 5), "Pergola — flat roof", "Google", "AU")
    fu = b.touch(q["pergola2"], t(6, 5, 2), email(t(6, 12)))
    b.send(q["pergola2"], "4000.00", t(6, 6))
    b.touch(q["pergola2"], t(6, 14, 12), email(t(6, 19)), done=fu)
    b.close(q["pergola2"], Stage.LOST, t(6, 25), "went with a cheaper quote")
    return q


def test_every_figure_matches_the_hand_count(db: Database, shop: dict[str, Q]) -> None:
    with db.reading() as s:
        report = build_report(s, JUNE, now=NOW)
    j = report.as_json()

    assert j["business"] == "Harbour Decks"
    assert j["period"]["starts"] == "2026-05-31T14:00:00+00:00"
    assert j["period"]["ends"] == "2026-06-30T14:00:00+00:00"

    # Win rate: Q1, Q2, Q3, Q4 were sent in the cohort; Q1 and Q4 won, Q2 lost, Q3 open.
    win = j["win_rate"]
    assert win["sent_from"] == "2026-04-01T14:00:00+00:00"
    assert win["sent_before"] == "2026-05-31T14:00:00+00:00"
    assert win["count"] == {"won": 2, "lost": 1, "open": 1, "decided": 4, "rate": "0.50"}
    assert win["value"] == {
        "AUD": {"won": "10000.00", "decided": "15000.00", "rate": "0.67"},
        "GBP": {"won": "3000.00", "decided": "5000.00", "rate": "0.60"},
    }
    assert win["by_job_type"] == [
        {"job_type": "Garden fence", "won": 1, "decided": 2, "rate": "0.50"},
        {"job_type": "Hardwood deck", "won": 1, "decided": 1, "rate": "1.00"},
        {"job_type": "Pergola", "won": 0, "decided": 1, "rate": "0.00"},
    ]
    assert win["by_lead_source"] == [
        {"source": "Google", "won": 0, "decided": 1, "rate": "0.00"},
        {"source": "referral", "won": 1, "decided": 1, "rate": "1.00"},
        {"source": "website form", "won": 1, "decided": 1, "rate": "1.00"},
        {"source": None, "won": 0, "decided": 1, "rate": "0.00"},
    ]

    # Touches to close: Q1 won in June after 7 outbound touches; Q2 lost for no reply
    # after 1 follow-up (its first answer came before the quote was sent).
    won = j["touches_to_close"]["won"]
    assert won["quotes"] == 1 and won["median"] == 7
    assert won["histogram"]["7"] == 1 and sum(won["histogram"].values()) == 1
    assert list(won["histogram"])[-1] == "13+"
    assert won["within_yardstick"] == 1 and won["within_yardstick_share"] == "1.00"
    lost = j["touches_to_close"]["lost_no_reply"]
    assert lost["quotes"] == 1 and lost["median"] == 1 and lost["histogram"]["1"] == 1
    assert lost["one_or_none"] == 1 and lost["one_or_none_share"] == "1.00"

    # Speed to lead: Q5 (3 min), Q8 (120 min) and Q6 (never) came in during June.
    speed = j["speed_to_lead"]
    assert {k: speed[k] for k in speed if k != "by_week"} == {
        "leads": 3,
        "answered": 2,
        "unanswered": 1,
        "median_minutes": 61.5,
        "p90_minutes": 120,
        "within_5_min": "0.33",
        "within_1_h": "0.33",
        "within_1_day": "0.67",
    }
    assert speed["by_week"] == [
        {"week_starting": "2026-06-01", "leads": 2, "answered": 2, "median_minutes": 61.5},
        {"week_starting": "2026-06-08", "leads": 0, "answered": 0, "median_minutes": None},
        {"week_starting": "2026-06-15", "leads": 1, "answered": 0, "median_minutes": None},
    ]

    # Discipline: due in June were Q1's two (on time, one exactly 24 h after), Q3's
    # (skipped), Q5's agreed one (still overdue), Q8's two (60 h late; lapsed at the loss).
    assert j["discipline"] == {
        "due": 6,
        "on_time": 2,
        "late": 1,
        "late_median_hours": 60,
        "missed": 3,
        "skipped": 1,
        "lapsed": 1,
        "overdue": 1,
        "not_yet_due": 0,
        "cancelled": 0,
        "agreed_due": 1,
        "agreed_kept": 0,
        "agreed_late": 0,
        "agreed_missed": 1,
    }

    # Pipeline now: Q6 a lead (no amount yet), Q5 and Q3 quoted; never a sum across currencies.
    assert j["pipeline"] == {
        "lead": {"AUD": {"count": 1, "value": "0.00"}},
        "quoted": {
            "AUD": {"count": 1, "value": "8000.00"},
            "GBP": {"count": 1, "value": "2000.00"},
        },
        "following_up": {},
        "parked": {},
    }

    assert j["by_month"] == [
        {
            "month": "2026-06",
            "quoted": {"AUD": {"count": 2, "value": "12000.00"}},
            "won": {"AUD": {"count": 1, "value": "10000.00"}},
            "lost": {"AUD": {"count": 2, "value": "9000.00"}},
        }
    ]
    assert j["lost_reasons"] == [
        {"reason": "No reply after several tries", "count": 1, "share": "0.50",
         "value": {"AUD": "5000.00"}},
        {"reason": "went with a cheaper quote", "count": 1, "share": "0.50",
         "value": {"AUD": "4000.00"}},
    ]  # fmt: skip
    # Sent in June: Q5 after 2 days, Q8 after 1. Decided in June: Q1 (39 and 40 days),
    # Q2 (45 and 46), Q8 (19 and 20).
    assert j["time_in_stage"] == {
        "lead_to_quoted": {"quotes": 2, "median_days": 1.5},
        "quoted_to_decided": {"quotes": 3, "median_days": 39},
        "lead_to_decided": {"quotes": 3, "median_days": 40},
    }
    readings = j["readings"]
    assert readings["lost_no_reply"].startswith("100% of the quotes you lost for no reply")
    assert "1 agreed follow-up missed: promises broken" in readings["discipline"]
    # Money shares name the money they are shares of, written as the board writes amounts:
    # the business's own dollars "$", another currency by its sign.
    assert readings["win_rate"].endswith(
        "By value: $10k won of $15k quoted (67%); £3,000 won of £5,000 quoted (60%)."
    )
    assert readings["by_month"] == "In this period you quoted $12k, won $10k, lost $9,000."
    assert "AUD" not in " ".join(readings.values())
    assert all(readings.values())


def test_the_quotes_behind_each_figure_are_the_ones_it_counts(
    db: Database, shop: dict[str, Q]
) -> None:
    ids = {name: q.quote_id for name, q in shop.items()}

    def behind(figure: Figure, part: str = "", **kw: object) -> set[int]:
        with db.reading() as s:
            found = quotes_behind(s, JUNE, Drill(figure, part, **kw), now=NOW)  # type: ignore[arg-type]
        return set(found)

    assert behind(Figure.WIN_RATE) == {ids[k] for k in ("deck", "pergola", "fence", "fence2")}
    assert behind(Figure.WIN_RATE, "won") == {ids["deck"], ids["fence2"]}
    assert behind(Figure.WIN_JOB_TYPE, "garden fence") == {ids["fence"], ids["fence2"]}
    assert behind(Figure.WIN_SOURCE, "") == {ids["fence"]}
    assert behind(Figure.TOUCHES_WON, index=7) == {ids["deck"]}
    assert behind(Figure.TOUCHES_LOST, index=1) == {ids["pergola"]}
    assert behind(Figure.SPEED, "unanswered") == {ids["restore"]}
    assert behind(Figure.SPEED, "5_min") == {ids["carport"]}
    assert behind(Figure.SPEED, index=0) == {ids["carport"], ids["pergola2"]}
    assert behind(Figure.DISCIPLINE, "agreed_missed") == {ids["carport"]}
    assert behind(Figure.DISCIPLINE, "missed") == {ids["carport"], ids["fence"], ids["pergola2"]}
    assert behind(Figure.DISCIPLINE, "on_time") == {ids["deck"]}
    assert behind(Figure.PIPELINE, "quoted", currency="GBP") == {ids["fence"]}
    assert behind(Figure.MONTH, "lost", index=0) == {ids["pergola"], ids["pergola2"]}
    assert behind(Figure.LOST_REASON, "WENT WITH a cheaper quote") == {ids["pergola2"]}
    assert behind(Figure.TIME_IN_STAGE, "lead_to_quoted") == {ids["carport"], ids["pergola2"]}


def test_an_empty_business_gives_zeros_and_no_medians(db: Database) -> None:
    with db.reading() as s:
        j = build_report(s, JUNE, now=NOW).as_json()
    assert j["win_rate"]["count"] == {"won": 0, "lost": 0, "open": 0, "decided": 0, "rate": None}
    assert j["win_rate"]["value"] == {} and j["win_rate"]["by_job_type"] == []
    assert j["touches_to_close"]["won"]["median"] is None
    assert set(j["touches_to_close"]["won"]["histogram"].values()) == {0}
    assert j["speed_to_lead"]["leads"] == 0 and j["speed_to_lead"]["median_minutes"] is None
    assert j["speed_to_lead"]["p90_minutes"] is None and j["speed_to_lead"]["by_week"] == []
    assert set(j["discipline"].values()) == {0, None}
    assert j["pipeline"] == {"lead": {}, "quoted": {}, "following_up": {}, "parked": {}}
    assert j["by_month"] == [{"month": "2026-06", "quoted": {}, "won": {}, "lost": {}}]
    assert j["lost_reasons"] == []
    assert j["time_in_stage"]["lead_to_decided"] == {"quotes": 0, "median_days": None}
    assert all(j["readings"].values())


def test_a_trashed_quote_leaves_the_report(db: Database, shop: dict[str, Q]) -> None:
    from deckfollow.core.trash import trash_quote

    with db.unit_of_work() as s:
        trash_quote(s, shop["deck"].quote_id, now=NOW)
    with db.reading() as s:
        j = build_report(s, JUNE, now=NOW).as_json()
    assert j["win_rate"]["count"]["decided"] == 3
    assert j["touches_to_close"]["won"]["quotes"] == 0


def test_financial_years_follow_the_business_country() -> None:
    now = datetime(2026, 5, 10, 3, tzinfo=UTC)
    assert financial_year_start_month("AU") == 7 and financial_year_start_month("nz") == 7
    assert financial_year_start_month("GB") == 4 and financial_year_start_month("US") == 1
    au = financial_year("Australia/Sydney", "AU", now)
    assert (au.first, au.last) == (date(2025, 7, 1), date(2026, 5, 10))
    assert au.kind is PeriodKind.FINANCIAL_YEAR
    assert financial_year("Europe/London", "GB", now).first == date(2026, 4, 1)
    assert financial_year("America/Chicago", "US", now).first == date(2026, 1, 1)
    month = this_month("Australia/Sydney", now)
    assert (month.first, month.last) == (date(2026, 5, 1), date(2026, 5, 10))
    # This month so far: the period ends now, not at midnight.
    assert month.ends(now) == now


def test_a_custom_period_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError, match=r"^to:"):
        custom(date(2026, 6, 30), date(2026, 6, 1), "UTC")


@pytest.mark.parametrize(
    ("job", "kind"),
    [
        ("Hardwood deck — merbau, 40 m²", "Hardwood deck"),
        ("Pergola: louvred", "Pergola"),
        ("garden fence - close-board", "Garden fence"),
        ("Re-roof", "Re-roof"),
        ("Carport (double)", "Carport"),
        ("", "Not described"),
    ],
)
def test_job_type_is_the_description_up_to_its_first_dash_colon_or_comma(
    job: str, kind: str
) -> None:
    assert job_type(job) == kind


def test_the_period_ends_no_later_than_now() -> None:
    early = datetime(2026, 6, 10, tzinfo=UTC)
    assert JUNE.ends(early) == early
    assert JUNE.ends(NOW) == datetime(2026, 6, 30, 14, tzinfo=UTC)
    assert timedelta(0) < JUNE.ends(NOW) - JUNE.starts()


def test_a_member_s_readings_name_the_member_and_the_business_s_say_you() -> None:
    from deckfollow.core.reports_model import CountValue
    from deckfollow.core.reports_readings import (
        YOU,
        Who,
        by_month,
        lost_no_reply,
        touches_won,
        win_rate,
    )
    from deckfollow.core.reports_readings import speed_to_lead as speed

    sam, chris = Who.member("Sam Lee"), Who.member("Chris")
    month = {"AUD": CountValue(2, Decimal("9700.00"))}
    assert win_rate(3, 5, 0, (), 7, 90, sam).startswith("Sam Lee won 3 of the 5 quotes")
    assert win_rate(3, 5, 0, (), 7, 90, YOU).startswith("You won 3 of the 5 quotes")
    assert touches_won(2, Decimal(6), 1, 5, 12, chris).startswith("Chris’ wins took a median")
    assert "the quotes Sam Lee lost" in lost_no_reply(4, 1, sam)
    assert speed(4, 4, Decimal(30), 1, 4, sam).startswith("Half of Sam Lee’s leads had")
    assert speed(4, 4, Decimal(30), 1, 4).startswith("Half of your leads had")
    assert by_month(month, {}, {}, sam).startswith("In this period Sam Lee quoted A$9,700")
    assert by_month(month, {}, {}, YOU, "AUD").startswith("In this period you quoted $9,700")
    us = {"USD": CountValue(1, Decimal("345000"))}
    assert by_month(us, {}, {}, YOU, "AUD").startswith("In this period you quoted US$345k")
