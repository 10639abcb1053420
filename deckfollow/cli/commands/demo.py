"""`deckfollow demo --customers N --quotes M [--seed S] [--if-empty]`: a believable business."""

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
        "--if-empty",
        action="store_true",
        help="only fill a database that has no customers yet (for the demo launcher)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy import func, select

    from deckfollow.core.models import Customer
    from deckfollow.demo.generator import generate_demo, plans_text, stage_counts_text

    db = ctx.open_db(create=True)
    try:
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
            )
        took = time.perf_counter() - started
    finally:
        db.close()
    countries = ", ".join(f"{c} {n}" for c, n in sorted(summary.by_country.items()))
    print(
        f"Demo data written in {took:.1f} s: {summary.customers} customers ({countries}), "
        f"{summary.quotes} quotes ({stage_counts_text(summary)}), {summary.touches} touches, "
        f"{summary.pending_follow_ups} pending follow-ups, {summary.plans} follow-up plans "
        f"({plans_text(summary)}), {summary.consent_events} consent records.",
        file=ctx.out,
    )
    return 0
