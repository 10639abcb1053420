"""Working as a team on one PostgreSQL database.

team add-member NAME --role staff|owner   create their sign-in; prints a one-time password
team list-members [--json]                who is on the team
team remove-member LOGIN                  take away a member's sign-in
team assign QUOTE_ID LOGIN                make a member the owner of a quote
team move --to URL                        copy this file's business into the empty team server
"""

from __future__ import annotations

import argparse
import json

from deckfollow.cli.context import CliContext
from deckfollow.core.enums import MemberRole

ORDER = 85


def _hidden_globals(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--now", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser("team", help="members of a team database: add, list, remove, assign")
    ts = t.add_subparsers(dest="team_cmd", metavar="ACTION", required=True)

    p = ts.add_parser("add-member", help="create a member's sign-in (prints a one-time password)")
    p.add_argument("name", metavar="NAME", help="the person's name, e.g. 'Sam Lee'")
    p.add_argument("--role", choices=[r.value for r in MemberRole], default="staff")
    p.add_argument("--login", help="their sign-in name (default: from NAME, e.g. sam_lee)")
    _hidden_globals(p)
    p.set_defaults(run=run_add)

    p = ts.add_parser("list-members", help="who is on the team")
    p.add_argument("--json", action="store_true")
    _hidden_globals(p)
    p.set_defaults(run=run_list)

    p = ts.add_parser("remove-member", help="take away a member's sign-in")
    p.add_argument("login", metavar="LOGIN")
    _hidden_globals(p)
    p.set_defaults(run=run_remove)

    p = ts.add_parser("move", help="copy this file's business into the empty team database")
    p.add_argument("--to", required=True, metavar="URL", help="postgresql+psycopg://user@host/db")
    _hidden_globals(p)
    p.set_defaults(run=run_move)

    p = ts.add_parser("assign", help="make a member the owner of a quote")
    p.add_argument("quote_id", type=int, metavar="QUOTE_ID")
    p.add_argument("login", metavar="LOGIN")
    _hidden_globals(p)
    p.set_defaults(run=run_assign)


def run_move(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.errors import ValidationError
    from deckfollow.storage.location import is_url
    from deckfollow.storage.team_move import move_to_server

    if not is_url(args.to):
        raise ValidationError("--to", "give the team database's URL, postgresql+psycopg://…")
    with ctx.database() as db:
        report = move_to_server(db, args.to)
    print(f"Moved {report.total} rows to {report.target}; counts match:", file=ctx.out)
    for name, n in report.counts.items():
        print(f"  {name:<16} {n}", file=ctx.out)
    print(f"Your file {report.source} is kept as it was.", file=ctx.out)
    print(f"From now on open the team database: --db {report.target}", file=ctx.out)
    return 0


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.team import add_member

    with ctx.database() as db, db.unit_of_work() as session:
        added = add_member(session, args.name, MemberRole(args.role), now=ctx.now, login=args.login)
    m = added.info
    print(f"Added {m.name} as {m.role.value}; sign-in: {m.login}", file=ctx.out)
    print(f"One-time password (shown only now; hand it over): {added.password}", file=ctx.out)
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.team import list_members

    with ctx.database() as db, db.reading() as session:
        members = list_members(session)
    if args.json:
        print(json.dumps([m.as_json() for m in members], indent=2), file=ctx.out)
        return 0
    if not members:
        print("No members yet: add one with 'deckfollow team add-member NAME'.", file=ctx.out)
    for m in members:
        print(f"{m.login:<20} {m.role.value:<6} {m.name}", file=ctx.out)
    return 0


def run_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.team import remove_member

    with ctx.database() as db, db.unit_of_work() as session:
        remove_member(session, args.login, now=ctx.now)
    print(f"Removed {args.login}: that sign-in no longer opens this database.", file=ctx.out)
    return 0


def run_assign(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.team import assign_quote

    with ctx.database() as db, db.unit_of_work() as session:
        changed = assign_quote(session, args.quote_id, args.login, now=ctx.now)
    said = "now belongs to" if changed.quotes else "already belongs to"
    print(f"Quote {args.quote_id} {said} {args.login}.", file=ctx.out)
    return 0
