"""`deckfollow ics --out FILE.ics [--days N]`: pending follow-ups as a calendar file."""

from __future__ import annotations

import argparse
from pathlib import Path

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.cli.files import check_out_file
from deckfollow.core.errors import DeckfollowError

ORDER = 35


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ics",
        help="write pending follow-ups as an iCalendar (.ics) file for phone and desktop calendars",
        description=(
            "Write pending follow-ups (overdue ones too) as an RFC 5545 calendar. Importing a "
            "newer file updates the same events instead of adding copies; follow-ups done or "
            "cancelled in the last 30 days are written as cancelled."
        ),
    )
    p.add_argument("--out", required=True, metavar="FILE.ics", help="where to write ('-': stdout)")
    p.add_argument(
        "--days",
        type=shapes.bounded(1, 3660),
        default=60,
        metavar="N",
        help="how many days ahead (default 60)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.reminders.ics import export_calendar, write_calendar_file

    out = None if args.out == "-" else Path(args.out)
    if out is not None:
        check_out_file(out, "--out")
    # A unit of work: the first export gives the database its calendar identity.
    with ctx.database() as db, db.unit_of_work() as session:
        text, count = export_calendar(session, now=ctx.now, days=args.days)
    if out is None:
        ctx.out.write(text)
        return 0
    try:
        write_calendar_file(out, text)
    except OSError as exc:
        raise DeckfollowError(f"could not write {out}: {exc.strerror or exc}") from exc
    noun = "follow-up" if count == 1 else "follow-ups"
    print(f"Wrote {count} {noun} (next {args.days} days and overdue) to {out}", file=ctx.out)
    return 0
