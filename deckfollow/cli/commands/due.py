"""`deckfollow due [--on YYYY-MM-DD] [--json]`: what to do today, oldest first."""

from __future__ import annotations

import argparse
import json
from zoneinfo import ZoneInfo

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext

ORDER = 30


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("due", help="follow-ups due on a day, plus everything overdue")
    p.add_argument("--on", type=shapes.day, metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.due import due_items
    from deckfollow.core.settings import load_settings

    asked = args.on
    db = ctx.open_db()
    try:
        with db.reading() as session:
            owner_tz = load_settings(session).owner_timezone
            day = asked or ctx.now.astimezone(ZoneInfo(owner_tz)).date()
            items = due_items(session, day=day, now=ctx.now, owner_tz=owner_tz)
    finally:
        db.close()
    if args.json:
        # One write: json.dump writes token by token, each through the output's escape filter.
        text = json.dumps([i.as_json() for i in items], ensure_ascii=False, indent=1)
        ctx.out.write(text + "\n")
        return 0
    if not items:
        print(f"Nothing due on {day:%a %d %b %Y} and nothing overdue.", file=ctx.out)
        return 0
    overdue = sum(i.overdue for i in items)
    print(f"{len(items)} to do for {day:%a %d %b %Y} ({overdue} overdue)", file=ctx.out)
    for i in items:
        flag = "OVERDUE" if i.overdue else "due    "
        quote = f" [{i.quote}]" if i.quote else ""
        basis = "agreed" if i.basis.value == "agreed" else "planned"
        print(
            f"{flag} {i.due_at:%a %d %b %H:%M %z}  {i.channel.value:<5}  {i.customer}{quote}"
            f"  — {i.reason} ({basis})",
            file=ctx.out,
        )
    return 0
