"""`deckfollow due [--on YYYY-MM-DD] [--json]`: what to do today, oldest first."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.clock_format import clock_text, day_time_text, weekday_date_text

if TYPE_CHECKING:
    from deckfollow.core.due_list import DueItem

ORDER = 30


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("due", help="follow-ups due on a day, plus everything overdue")
    p.add_argument("--on", type=shapes.day, metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=run)


def _read(args: argparse.Namespace, ctx: CliContext) -> tuple[date, str, list[DueItem]]:
    """The day and its items: straight from a SQLite file when it can (no SQLAlchemy to
    import), else through the database layer."""
    conn = ctx.read_sqlite()
    if conn is not None:
        from deckfollow.core.due_sqlite import owner_timezone, read_due_items

        try:
            owner_tz = owner_timezone(conn)
            if owner_tz is None:
                from deckfollow.core.timezones import system_timezone

                owner_tz = system_timezone()
            day: date = args.on or ctx.now.astimezone(ZoneInfo(owner_tz)).date()
            return day, owner_tz, read_due_items(conn, day=day, now=ctx.now, owner_tz=owner_tz)
        finally:
            conn.close()
    from deckfollow.core.due import due_items
    from deckfollow.core.settings import load_settings

    with ctx.database() as db, db.reading() as session:
        owner_tz = load_settings(session).owner_timezone
        day = args.on or ctx.now.astimezone(ZoneInfo(owner_tz)).date()
        return day, owner_tz, due_items(session, day=day, now=ctx.now, owner_tz=owner_tz)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    day, owner_tz, items = _read(args, ctx)
    if args.json:
        # One write: json.dump writes token by token, each through the output's escape filter.
        text = json.dumps([i.as_json() for i in items], ensure_ascii=False, indent=1)
        ctx.out.write(text + "\n")
        return 0
    if not items:
        print(f"Nothing due on {weekday_date_text(day)} and nothing overdue.", file=ctx.out)
        return 0
    overdue = sum(i.overdue for i in items)
    print(f"{len(items)} to do for {weekday_date_text(day)} ({overdue} overdue)", file=ctx.out)
    whens = [_when(i, ZoneInfo(owner_tz)) for i in items]
    width = max(len(w) for w in whens)
    for i, when in zip(items, whens, strict=True):
        flag = "OVERDUE" if i.overdue else "due    "
        quote = f" [{i.quote}]" if i.quote else ""
        basis = "agreed" if i.basis.value == "agreed" else "planned"
        print(
            f"{flag} {when:<{width}}  {i.channel.value:<5}  {i.customer}{quote}"
            f"  — {i.reason} ({basis})",
            file=ctx.out,
        )
    return 0


def _when(item: DueItem, owner: ZoneInfo) -> str:
    """The due time on the owner's clock, with the customer's beside it where it differs."""
    mine = item.due_at.astimezone(owner)
    if mine.utcoffset() == item.due_at.utcoffset():
        return day_time_text(mine)
    return f"{day_time_text(mine)} · {clock_text(item.due_at)} their time"
