"""`deckfollow demo --customers N --quotes M [--seed S] [--country C] [--if-empty]`: a
believable business; `deckfollow demo --remove` takes it out again."""

from __future__ import annotations

import argparse
import time

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext

ORDER = 90


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="fill the database with realistic demo data")
    p.add_argument(
        "--customers",
        type=shapes.bounded(1, 100_000),
        default=600,
        help="how many customers, 1 to 100,000 (default 600)",
    )
    p.add_argument(
        "--quotes",
        type=shapes.bounded(0, 500_000),
        default=1500,
        help="how many quotes, 0 to 500,000 (default 1500)",
    )
    p.add_argument("--seed", type=shapes.seed, default=7, help="the same seed gives the same data")
    p.add_argument(
        "--country",
        type=str.upper,
        choices=("AU", "US", "UK", "NZ", "CA", "IE"),
        default=None,
        help="where the business is based "
        "(default: the owner's country, else this computer's, else AU)",
    )
    p.add_argument(
        "--remove",
        action="store_true",
        help="remove the sample data (what the demo made; the owner's own entries stay)",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="only fill a database that has no customers yet (for the demo launcher)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy import func, select

    from deckfollow.core.models import Customer
    from deckfollow.demo.generator import generate_demo, plans_text, stage_counts_text

    if args.remove:
        return _remove(ctx)
    with ctx.database(create=True) as db:
        with db.reading() as session:
            existing = session.execute(select(func.count(Customer.id))).scalar_one()
        if args.if_empty and existing:
            print(f"{db.path}: already holds {existing} customers; left as it is.", file=ctx.out)
            return 0
        started = time.perf_counter()
        with db.unit_of_work() as session:
            summary = generate_demo(
                session,
                customers=args.customers,
                quotes=args.quotes,
                seed=args.seed,
                now=ctx.now,
                country=args.country,
            )
        took = time.perf_counter() - started
    countries = ", ".join(f"{c} {n}" for c, n in sorted(summary.by_country.items()))
    print(
        f"Demo data written in {took:.1f} s: a business in {summary.country} "
        f"({summary.currency}), {summary.customers} customers ({countries}), "
        f"{summary.quotes} quotes ({stage_counts_text(summary)}), {summary.touches} touches, "
        f"{summary.pending_follow_ups} pending follow-ups, {summary.plans} follow-up plans "
        f"({plans_text(summary)}), {summary.consent_events} consent records.",
        file=ctx.out,
    )
    return 0


def _remove(ctx: CliContext) -> int:
    from deckfollow.demo.sample import remove_sample_data

    with ctx.database() as db, db.unit_of_work() as session:
        removed = remove_sample_data(session, now=ctx.now)
    if not removed.customers:
        print(f"{db.path}: no sample data to remove.", file=ctx.out)
        return 0
    print(
        f"Removed the sample data: {removed.customers} customers, {removed.quotes} quotes, "
        f"{removed.touches} touches, {removed.follow_ups} follow-ups, {removed.plans} "
        f"follow-up plans, {removed.consent_events} consent records. Your own entries stay.",
        file=ctx.out,
    )
    return 0
