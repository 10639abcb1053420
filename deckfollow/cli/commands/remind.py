"""`deckfollow remind --once`: remind of what is due now (for cron, a login script or tests)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from deckfollow.cli.context import CliContext

if TYPE_CHECKING:
    from deckfollow.reminders.check import Notice

ORDER = 36


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "remind",
        help="show desktop notifications for follow-ups that fell due (each only once)",
        description=(
            "Check once: every follow-up that fell due and was not yet reminded of is shown "
            "(missed ones together as one notification), plus the morning digest when its "
            "time has come. A follow-up reminded here is not reminded again by the app."
        ),
    )
    p.add_argument("--once", action="store_true", required=True, help="check now and exit")
    p.add_argument(
        "--print-only", action="store_true", help="print the reminders, no desktop notification"
    )
    p.add_argument("--json", action="store_true", help="print what was claimed as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.reminders.check import run_check

    with ctx.database() as db, db.unit_of_work() as session:
        result = run_check(session, ctx.now)
    shown_on_desktop = False
    if result.notices and not args.print_only:
        shown_on_desktop = _notify(result.notices)
    if args.json:
        data = {
            "notices": [
                {
                    "kind": n.kind.value,
                    "summary": n.summary,
                    "body": n.body,
                    "follow_up_ids": list(n.follow_up_ids),
                }
                for n in result.notices
            ],
            "desktop": shown_on_desktop,
            "next_check": result.next_wake.isoformat() if result.next_wake else None,
        }
        json.dump(data, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    if not result.notices:
        print("Nothing new to remind of.", file=ctx.out)
    for n in result.notices:
        print(n.summary, file=ctx.out)
        for line in n.body.splitlines():
            print(f"  {line}", file=ctx.out)
    if result.notices and not args.print_only and not shown_on_desktop:
        print("(no desktop notification service: shown here only)", file=ctx.err)
    return 0


def _notify(notices: list[Notice]) -> bool:
    from deckfollow.reminders.notify_choice import connect_notifier

    notifier = connect_notifier()
    if notifier is None:
        return False
    try:
        for n in notices:
            notifier.notify(n.summary, n.body)
    finally:
        notifier.close()
    return True
